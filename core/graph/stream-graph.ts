/**
 * The StreamGraph: the job as the user wrote it, one node per operator and one edge per
 * connection, before anything is decided about chaining or parallelism. Both the scenario
 * loader and the DataStream API produce one; `buildJobGraph` turns it into what the
 * JobManager schedules.
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { OperatorFactory } from '../operators/index.ts';
import type { FaultToleranceConfig } from './job-config.ts';

/** Chooses the key of a record, for hash partitioning into key groups. */
export interface KeySelector {
  /** How the key is computed, for people (e.g. the expression's source). */
  readonly description: string;
  select(record: StreamRecord): JsonValue;
}

/** How records travel over an edge, with Flink's partitioner names. */
export type Partitioner =
  | { readonly type: 'forward' }
  | { readonly type: 'rebalance' }
  | { readonly type: 'rescale' }
  | { readonly type: 'broadcast' }
  | { readonly type: 'hash'; readonly key: KeySelector };

export interface StreamNode {
  readonly id: string;
  readonly name: string;
  /** Operator-level parallelism, or null to inherit from the environment or client. */
  readonly parallelism: number | null;
  readonly factory: OperatorFactory;
  /** Whether the node is a sink (nothing reads from it). */
  readonly isSink: boolean;
  /** For an operator on a keyed stream: how its input is keyed (gives it keyed state). */
  readonly keySelector: KeySelector | null;
  /**
   * Records per virtual ms one subtask can process, or null for no limit. A simulation
   * knob (Flink has none): it makes an operator slow, so that backpressure can be seen.
   */
  readonly throughput?: number | null;
  /** The buffer timeout of its outgoing channels (Flink's setBufferTimeout on the operator); null or absent: the job's. */
  readonly bufferTimeoutMs?: number | null;
}

export interface StreamEdge {
  readonly from: string;
  readonly to: string;
  /** Null: Flink's default, forward when parallelisms match, otherwise rebalance. */
  readonly partitioner: Partitioner | null;
  /**
   * Which input of a two-input operator the edge feeds (Flink's StreamEdge typeNumber):
   * 1 or 2. Absent for one-input operators, whose edges all feed input 1.
   */
  readonly logicalInput?: 1 | 2;
}

export interface StreamGraphConfig {
  readonly jobName: string;
  /** Environment-level parallelism (`config.parallelism`), or null. */
  readonly parallelism: number | null;
  readonly maxParallelism: number | null;
  readonly autoWatermarkIntervalMs: number;
  /**
   * Flink's execution.buffer-timeout (`env.setBufferTimeout`): how long a partial network
   * buffer may wait before the output flusher sends it; 0 sends each element at once, -1
   * only full buffers. Null or absent: Weir's default, a partial buffer leaves at the end of
   * its producer's step.
   */
  readonly bufferTimeoutMs?: number | null;
  /** Checkpointing, state backend, restart and failover strategy; absent: Flink's defaults (DEFAULT_FAULT_TOLERANCE). */
  readonly faultTolerance?: FaultToleranceConfig;
}

export interface StreamGraph {
  readonly config: StreamGraphConfig;
  /** Nodes in a topological order (inputs before the nodes that read them). */
  readonly nodes: readonly StreamNode[];
  readonly edges: readonly StreamEdge[];
}
