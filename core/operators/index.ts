/**
 * The operators layer: the operator contracts and one file per operator.
 */
export * from './operator.ts';
export * from './user-function.ts';
export { MapOperator } from './map.ts';
export { FilterOperator } from './filter.ts';
export { FlatMapOperator } from './flat-map.ts';
export { PrintSink } from './print-sink.ts';
export { SequenceSource } from './sequence-source.ts';
export type { SequenceItemSpec } from './source-items.ts';
export { WatermarkGenerator, type WatermarkStrategySpec } from './watermark-strategy.ts';
export { CollectSink, type SinkFunction } from './collect-sink.ts';
