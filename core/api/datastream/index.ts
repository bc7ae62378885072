/**
 * The DataStream API: Flink's names for building a job in TypeScript.
 */
export { StreamExecutionEnvironment, ExecutionConfig } from './environment.ts';
export type { Transformation, TransformationSink } from './transformation.ts';
export { DataStream, DataStreamSink, KeyedStream, WindowedStream } from './data-stream.ts';
export { WatermarkStrategy, type TimestampAssigner } from './watermark-strategy.ts';
export {
  CountTrigger,
  EventTimeSessionWindows,
  ProcessingTimeSessionWindows,
  SlidingEventTimeWindows,
  SlidingProcessingTimeWindows,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  type AggregateFunction,
  type ProcessWindowFunction,
} from './windows.ts';
