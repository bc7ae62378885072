/**
 * The typed form of a `weir/scenario@1` file. A scenario is data only: the validator turns
 * untrusted JSON into these types (or a list of issues naming the JSON path of each
 * mistake), and everything downstream trusts them.
 */
import type { JsonValue } from '../../model/index.ts';
import type { ProcessSpec, WindowOperatorConfig } from '../../operators/index.ts';

export const SCENARIO_FORMAT = 'weir/scenario@1';

export interface ClusterSpec {
  taskManagers: number;
  slotsPerTaskManager: number;
  heartbeatTimeoutMs: number;
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
}

interface OperatorBase {
  id: string;
  name: string;
  /** Operator-level parallelism, or null to inherit. */
  parallelism: number | null;
  /** Records per virtual ms one subtask can process (a slow operator), or null: no limit. */
  throughput: number | null;
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
  count: number;
  /** Append-time step between consecutive records, in ms. */
  intervalMs: number;
  /** Number of distinct keys, named k0, k1, ... */
  keys: number;
  /** Event time = append time - a seeded draw in [0, outOfOrdernessMs]. */
  outOfOrdernessMs: number;
  /** Expression for the value; bindings i, key, r (a seeded draw in [0, 2^31)), at. */
  value: string;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Records per partition, in offset order. */
  records: TopicRecordSpec[][];
  /** When set, the records are generated from the run's seed (and `records` is empty). */
  generator: TopicGeneratorSpec | null;
}

export type SinkTargetSpec = { type: 'print' };

export interface SinkSpec extends OperatorBase {
  type: 'sink';
  input: string;
  sink: SinkTargetSpec;
}

export interface WindowSpec extends OperatorBase {
  type: 'window';
  input: string;
  window: WindowOperatorConfig;
}

export interface ProcessOperatorSpec extends OperatorBase {
  type: 'process';
  input: string;
  process: ProcessSpec;
}

export type OperatorSpec = SequenceSpec | SourceSpec | ExprOperatorSpec | KeyBySpec | UnionSpec | WindowSpec | ProcessOperatorSpec | SinkSpec;
export type OperatorType = OperatorSpec['type'];

/** What a scenario expects of its own run (`weir run` exits 3 when it is not met). */
export interface ExpectSpec {
  status: 'FINISHED' | 'FAILED' | 'CANCELED' | 'RUNNING' | null;
  /** Per sink: the committed records (compared as a multiset) and/or their number. */
  sinks: Record<string, { committed: { value: JsonValue; timestamp: number | null }[] | null; count: number | null }>;
  sideOutputs: Record<string, { committed: { value: JsonValue; timestamp: number | null }[] | null; count: number | null }>;
  lateRecords: number | null;
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
  run: { untilMs: number | null };
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
