/**
 * The typed form of a `weir/scenario@1` file. A scenario is data only: the validator turns
 * untrusted JSON into these types (or a list of issues naming the JSON path of each
 * mistake), and everything downstream trusts them.
 */
import type { JsonValue } from '../../model/index.ts';
import type { CheckpointingSpec, FailoverStrategyKind, RestartStrategySpec, StateBackendKind } from '../../graph/index.ts';
import type { AggregateFunctionSpec, BroadcastConnectSpec, CoProcessSpec, DedupFilterSpec, ExtremumBySpec, IntervalJoinBounds, ProcessSpec, WindowAggregateSpec, WindowOperatorConfig } from '../../operators/index.ts';

export { CheckpointingMode } from '../../graph/index.ts';
export type { CheckpointingSpec, CheckpointStorageSpec, FailoverStrategyKind, RestartStrategySpec, StateBackendKind } from '../../graph/index.ts';

export const SCENARIO_FORMAT = 'weir/scenario@1';

export interface ClusterSpec {
  taskManagers: number;
  slotsPerTaskManager: number;
  heartbeatTimeoutMs: number;
  /**
   * After a TaskManager is lost, a replacement registers this long after the loss was
   * noticed (as an active resource manager, Kubernetes or YARN, starts a new one); null: no
   * replacement (a standalone cluster), so a job that needs the lost slots waits for them
   * and fails after the slot request timeout.
   */
  replacementDelayMs: number | null;
  networkLatencyMs: number;
  /** Credits per channel (Flink's exclusive buffers per channel). */
  buffersPerChannel: number;
  /** Elements per network buffer. */
  bufferSize: number;
}

export interface JobConfigSpec {
  /** Environment-level parallelism, or null when the scenario leaves it to the client. */
  parallelism: number | null;
  maxParallelism: number | null;
  autoWatermarkIntervalMs: number;
  /** `config.bufferTimeout` (Flink's execution.buffer-timeout); null: partial buffers leave at the end of their producer's step. */
  bufferTimeoutMs: number | null;
  /** `config.checkpointing`; null: checkpointing is off (Flink's default). */
  checkpointing: CheckpointingSpec | null;
  stateBackend: StateBackendKind;
  /** null: Flink's default (exponential-delay with checkpointing, none without). */
  restartStrategy: RestartStrategySpec | null;
  /** Flink's jobmanager.execution.failover-strategy (default `region`). */
  failoverStrategy: FailoverStrategyKind;
}

/** Named points of the checkpoint and commit protocols where `crash-at` kills a subtask. */
export const CRASH_POINTS = ['snapshot', 'after-ack', 'pre-commit', 'commit', 'after-commit', 'wal-send', 'after-wal-send'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** When a fault fires: at a virtual time, or after the target has processed n records. */
export type FaultTrigger = { atMs: number; afterRecords: null } | { atMs: null; afterRecords: number };

/** One fault of a scenario's `faults` (CONTRACT 1.2). Each fires once. */
export type FaultSpec = (
  | { type: 'kill-task'; operator: string; subtask: number }
  | { type: 'kill-taskmanager'; taskManager: string }
  | { type: 'throw-in-operator'; operator: string; subtask: number | null }
  | { type: 'fail-checkpoint'; checkpoint: number; operator: string | null; subtask: number }
  | { type: 'fail-commit'; operator: string }
  | { type: 'slow-task'; operator: string; subtask: number; factor: number; forMs: number }
  | { type: 'network-delay'; from: string; to: string; extraMs: number; forMs: number }
  | { type: 'crash-at'; operator: string; subtask: number; point: CrashPoint; checkpoint: number | null }
) &
  FaultTrigger & {
    /** JSON path of the fault in the file, for messages. */
    path: string;
  };
export type FaultType = FaultSpec['type'];

/** A scenario action: what an operator of the cluster does by hand at a given time. */
export type ActionSpec = (
  /** Triggers a savepoint; the job goes on. */
  | { type: 'savepoint' }
  /** Takes a savepoint and stops the job, which ends FINISHED, as Flink's stop-with-savepoint. */
  | { type: 'stop-with-savepoint' }
  /** Starts the job again from the last savepoint, optionally with a new parallelism (rescaling). */
  | { type: 'resume'; parallelism: number | null }
) & { atMs: number; path: string };

interface OperatorBase {
  id: string;
  name: string;
  /** Operator-level parallelism, or null to inherit. */
  parallelism: number | null;
  /** Records per virtual ms one subtask can process (a slow operator), or null: no limit. */
  throughput: number | null;
  /** The buffer timeout of its outgoing channels (Flink's setBufferTimeout on the operator), or null: the job's `config.bufferTimeout`. */
  bufferTimeout: number | null;
  /** JSON path of this operator in the file, for messages. */
  path: string;
}

/** One item of a `sequence` source. */
export type SequenceItem =
  | { kind: 'record'; value: JsonValue; timestamp: number | null }
  | { kind: 'watermark'; timestamp: number }
  | { kind: 'advance'; ms: number };

export interface SequenceSpec extends OperatorBase {
  type: 'sequence';
  items: SequenceItem[];
}

export interface ExprOperatorSpec extends OperatorBase {
  type: 'map' | 'filter' | 'flatMap';
  input: string;
  expr: string;
}

export interface KeyBySpec extends OperatorBase {
  type: 'keyBy';
  input: string;
  key: string;
}

export type WatermarksSpec =
  | { strategy: 'bounded-out-of-orderness'; maxOutOfOrdernessMs: number; idlenessMs: number | null }
  | { strategy: 'monotonous'; idlenessMs: number | null }
  | { strategy: 'ingestion-time'; idlenessMs: number | null }
  | { strategy: 'none' };

export interface SourceSpec extends OperatorBase {
  type: 'source';
  topic: string;
  watermarks: WatermarksSpec;
  /** Expression choosing event time from the value; null: the topic record's timestamp. */
  timestamp: string | null;
  bounded: boolean;
}

export interface UnionSpec extends OperatorBase {
  type: 'union';
  inputs: string[];
}

export interface TopicRecordSpec {
  partition: number;
  key: JsonValue;
  value: JsonValue;
  timestamp: number | null;
  at: number;
}

/** Records made from the run's seed instead of listed one by one (see docs/scenario-format.md). */
export interface TopicGeneratorSpec {
  /** Absent: the generic generator (a taxi generator has a `type`). */
  type?: undefined;
  count: number;
  /** Append-time step between consecutive records, in ms. */
  intervalMs: number;
  /** Number of distinct keys, named k0, k1, ... */
  keys: number;
  /** Event time = append time - a seeded draw in [0, outOfOrdernessMs]. */
  outOfOrdernessMs: number;
  /** Traffic peaks: `count` more records appended all at once at `atMs`, after the regular ones in index order. */
  peaks: { atMs: number; count: number }[];
  /** Expression for the value; bindings i, key, r (a seeded draw in [0, 2^31)), at. */
  value: string;
}

/**
 * Flink's training course's taxi data (docs/training.md): `count` rides, each a START and
 * an END event (`taxi-rides`) or a fare (`taxi-fares`), every field derived from the rideId.
 */
export interface TaxiGeneratorSpec {
  type: 'taxi-rides' | 'taxi-fares';
  count: number;
}

/** How many records a generator makes. */
export function generatedRecordCount(generator: TopicGeneratorSpec | TaxiGeneratorSpec): number {
  if (generator.type === undefined) return generator.count + generator.peaks.reduce((n, p) => n + p.count, 0);
  return generator.type === 'taxi-rides' ? 2 * generator.count : generator.count;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Records per partition, in offset order. */
  records: TopicRecordSpec[][];
  /** When set, the records are generated from the run's seed (and `records` is empty). */
  generator: TopicGeneratorSpec | TaxiGeneratorSpec | null;
}

/** Where a sink writes (CONTRACT 1.1). `partitions`: of the output topic when `$.topics` declares it, else null (one per sink subtask). */
export type SinkTargetSpec =
  | { type: 'print' }
  | { type: 'two-phase-commit'; topic: string; partitions: number | null; transactionTimeoutMs: number }
  | { type: 'write-ahead-log'; topic: string; partitions: number | null }
  | { type: 'at-least-once'; topic: string; partitions: number | null }
  /** `key`: an expression over the record, the row's key. */
  | { type: 'idempotent'; table: string; key: string };

export interface SinkSpec extends OperatorBase {
  type: 'sink';
  input: string;
  sink: SinkTargetSpec;
}

/** A window aggregate as a scenario writes it: the window operator's own, Flink's maxBy / minBy, or an AggregateFunction as expressions. */
export type ScenarioAggregateSpec = WindowAggregateSpec | ExtremumBySpec | AggregateFunctionSpec;

/** A `window` or `windowAll` operator's fields, as data: the window operator's config without its TypeScript-only functions. */
export interface ScenarioWindowConfig extends Omit<WindowOperatorConfig, 'aggregate' | 'aggregateFunction' | 'windowFunction'> {
  readonly aggregate: ScenarioAggregateSpec;
  /**
   * Flink's ProcessWindowFunction after the incremental aggregate, as an expression: `key`,
   * `window` and `result` (the aggregate's result, also `$`) are in scope; its value is the
   * record emitted for each firing, in place of `{key, window, value}`.
   */
  readonly process?: string;
}

export interface WindowSpec extends OperatorBase {
  type: 'window';
  input: string;
  window: ScenarioWindowConfig;
}

/**
 * `windowAll` (docs/windows.md): Flink's non-keyed window over the whole stream. As in Flink
 * it runs at parallelism 1, as a window keyed by one constant key; a result is
 * `{"window": {"start", "end"}, "value": aggregate}` with timestamp end - 1.
 */
export interface WindowAllSpec extends OperatorBase {
  type: 'windowAll';
  input: string;
  parallelism: 1;
  window: ScenarioWindowConfig;
}

export interface ProcessOperatorSpec extends OperatorBase {
  type: 'process';
  input: string;
  process: ProcessSpec;
}

/** `dedup` (docs/dedup.md): drops records whose `key` was seen, remembered by a Bloom filter or an exact set. */
export interface DedupSpec extends OperatorBase {
  type: 'dedup';
  input: string;
  /** Expression choosing the key; the dedup's input is hash-partitioned by it. */
  key: string;
  filter: DedupFilterSpec;
}

/**
 * `connect` (docs/two-inputs.md): two inputs into one operator. Without `broadcastState`,
 * Flink's (Keyed)CoProcessFunction; with it, input 2 is broadcast and this is Flink's
 * (Keyed)BroadcastProcessFunction.
 */
export interface ConnectSpec extends OperatorBase {
  type: 'connect';
  inputs: [string, string];
  /** Key expressions: both inputs' (a keyed connect), input 1's only (a keyed broadcast connect), or null: not keyed. */
  keys: [string, string] | [string] | null;
  function: { kind: 'co-process'; spec: CoProcessSpec } | { kind: 'broadcast'; spec: BroadcastConnectSpec };
}

/** `intervalJoin` (docs/two-inputs.md): Flink's interval join of two keyed inputs. */
export interface IntervalJoinSpec extends OperatorBase {
  type: 'intervalJoin';
  inputs: [string, string];
  keys: [string, string];
  bounds: IntervalJoinBounds;
  /** Expression over left, right, leftTimestamp, rightTimestamp: the joined record. */
  select: string;
  /** Side-output tags for late elements of each side, or null: dropped. */
  lateOutput: { left: string | null; right: string | null };
}

/** The windowing of a `windowJoin` or `coGroup`: a window's fields without aggregate, process and late side output. */
export type ScenarioJoinWindowConfig = Omit<ScenarioWindowConfig, 'aggregate' | 'process' | 'lateOutputTag'>;

/** `windowJoin` (docs/two-inputs.md): Flink's window join, every pair of a key's elements of both sides in one window. */
export interface WindowJoinSpec extends OperatorBase {
  type: 'windowJoin';
  inputs: [string, string];
  keys: [string, string];
  window: ScenarioJoinWindowConfig;
  /** Expression over left, right (the pair), key and window: the joined record. */
  select: string;
}

/** `coGroup` (docs/two-inputs.md): Flink's coGroup, a key's elements of both sides in one window, as two lists. */
export interface CoGroupSpec extends OperatorBase {
  type: 'coGroup';
  inputs: [string, string];
  keys: [string, string];
  window: ScenarioJoinWindowConfig;
  /** Expression over left, right (the lists), key and window: the list of records to emit. */
  apply: string;
}

export type OperatorSpec =
  | SequenceSpec
  | SourceSpec
  | ExprOperatorSpec
  | KeyBySpec
  | UnionSpec
  | WindowSpec
  | WindowAllSpec
  | ProcessOperatorSpec
  | DedupSpec
  | SinkSpec
  | ConnectSpec
  | IntervalJoinSpec
  | WindowJoinSpec
  | CoGroupSpec;
export type OperatorType = OperatorSpec['type'];

/** What a scenario expects of the records of one sink or side output. */
export interface RecordExpectation {
  committed: { value: JsonValue; timestamp: number | null }[] | null;
  count: number | null;
  /** An expression (as a filter's) that must be truthy for every record, e.g. "ride.rideId == fare.rideId". */
  every: string | null;
}

/** What a scenario expects of its own run (`weir run` exits 3 when it is not met). */
export interface ExpectSpec {
  status: 'FINISHED' | 'FAILED' | 'CANCELED' | 'RUNNING' | null;
  /** Per sink: the committed records (compared as a multiset), their number, and/or an expression every record satisfies. */
  sinks: Record<string, RecordExpectation>;
  sideOutputs: Record<string, RecordExpectation>;
  lateRecords: number | null;
  /** How many times the job restarted (the report's `restarts` length). */
  restarts: number | null;
  /** Per checkpoint status, how many checkpoints ended so (e.g. {"COMPLETED": 3, "FAILED": 1}). */
  checkpoints: Partial<Record<'COMPLETED' | 'FAILED' | 'ABORTED', number>> | null;
  /** Per table (of idempotent sinks): its exact final contents, row key to value. Absent: tables are not checked. */
  tables?: Record<string, Record<string, JsonValue>>;
  /** Per dedup operator: the report's counters it must show (null: not checked). Absent: dedups are not checked. */
  dedup?: Record<string, DedupExpectation>;
}

/** `expect.dedup.ID`: what the run report's `dedup.ID` must say. */
export interface DedupExpectation {
  keysSeen: number | null;
  dropped: number | null;
  falsePositives: number | null;
  memoryBytes: number | null;
}

export interface Scenario {
  format: typeof SCENARIO_FORMAT;
  name: string;
  description: string;
  seed: number;
  cluster: ClusterSpec;
  config: JobConfigSpec;
  topics: Record<string, TopicSpec>;
  job: { name: string; operators: OperatorSpec[] };
  /** The fault plan (CONTRACT 1.2), in file order. */
  faults: FaultSpec[];
  /** Savepoints, stops and resumes at given times (docs/checkpoints.md). */
  actions: ActionSpec[];
  /** `limits`: the run's bounds (kernel steps, queue size, trace events and bytes) that the scenario raises or lowers; absent ones keep their defaults. */
  run: { untilMs: number | null; limits?: { maxSteps?: number; maxQueueSize?: number; maxTraceEvents?: number; maxTraceBytes?: number } };
  expect: ExpectSpec | null;
  /** The file it came from, for messages; '<memory>' when built in code. */
  file: string;
}

/** One mistake in a scenario: which file, where in it (a JSON path), and what is wrong. */
export interface ValidationIssue {
  file: string;
  path: string;
  message: string;
}

export type ScenarioResult = { ok: true; scenario: Scenario } | { ok: false; issues: ValidationIssue[] };

/** `file: $.job.operators[2].expr: message`, the form the CLI prints. */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.file}: ${issue.path}: ${issue.message}`;
}
