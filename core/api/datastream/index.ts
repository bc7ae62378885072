/**
 * The DataStream API: Flink's names for building a job in TypeScript.
 */
export { StreamExecutionEnvironment, ExecutionConfig } from './environment.ts';
export { CheckpointConfig, MINIMAL_CHECKPOINT_TIME_MS } from './checkpoint-config.ts';
export { DEFAULT_MAX_STATE_SIZE_BYTES, FileSystemCheckpointStorage, JobManagerCheckpointStorage, type CheckpointStorage } from './checkpoint-storage.ts';
export { RestartStrategies, type RestartStrategyConfiguration } from './restart-strategies.ts';
export { EmbeddedRocksDBStateBackend, HashMapStateBackend, type StateBackend } from './state-backends.ts';
export type { Transformation, TransformationSink } from './transformation.ts';
export { DataStream, DataStreamSink, KeyedStream, WindowedStream } from './data-stream.ts';
export { AllWindowedStream, type AllWindowFunction, type ProcessAllWindowContext, type ProcessAllWindowFunction } from './all-windowed-stream.ts';
export type { WindowFunction } from './windowed-stream-base.ts';
export { BroadcastConnectedStream, BroadcastStream, ConnectedStreams, IntervalJoin, IntervalJoined } from './connected-streams.ts';
export { JoinedStreams, WindowJoinKeys, WithWindow } from './joined-streams.ts';
export { DeliveryGuarantee, GenericWriteAheadSink, KafkaSink, KafkaSinkBuilder, UpsertSink, type Sink } from './sinks.ts';
export { WatermarkStrategy, type TimestampAssigner } from './watermark-strategy.ts';
export type { FilterFunction, FlatMapFunction, MapFunction, SinkFunctionObject } from './rich-functions.ts';
export {
  ContinuousEventTimeTrigger,
  ContinuousProcessingTimeTrigger,
  CountEvictor,
  DeltaEvictor,
  DeltaTrigger,
  EventTimeTrigger,
  GlobalWindows,
  ProcessingTimeTrigger,
  PurgingTrigger,
  TimeEvictor,
  WindowStagger,
  CountTrigger,
  EventTimeSessionWindows,
  ProcessingTimeSessionWindows,
  SlidingEventTimeWindows,
  SlidingProcessingTimeWindows,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  type AggregateFunction,
  type KeyedStateStore,
  type ProcessWindowContext,
  type ProcessWindowFunction,
  type WindowValueState,
} from './windows.ts';
