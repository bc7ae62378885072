/**
 * What a job asks of the runtime besides its operators: checkpointing, the state backend,
 * the restart strategy and the failover strategy. Flink carries these in the JobGraph
 * (JobCheckpointingSettings, the ExecutionConfig's restart strategy), so that the
 * JobManager can act on them without knowing how the job was written; so does Weir. A
 * scenario's `config` and the DataStream API's `env.enableCheckpointing(...)` /
 * `env.setRestartStrategy(...)` both end up here.
 */

export type StateBackendKind = 'hashmap' | 'rocksdb';
export type FailoverStrategyKind = 'region' | 'full';
/** Flink's CheckpointingMode: `CheckpointingMode.EXACTLY_ONCE` in code, `"exactly-once"` in a scenario file. */
export const CheckpointingMode = { EXACTLY_ONCE: 'exactly-once', AT_LEAST_ONCE: 'at-least-once' } as const;
export type CheckpointingMode = (typeof CheckpointingMode)[keyof typeof CheckpointingMode];

/** Flink's CheckpointConfig, with Flink's defaults where the file is silent. */
export interface CheckpointingSpec {
  /** execution.checkpointing.interval, > 0. */
  intervalMs: number;
  mode: CheckpointingMode;
  /** execution.checkpointing.timeout (default 600000): a pending checkpoint older than this EXPIRES. */
  timeoutMs: number;
  /** execution.checkpointing.min-pause (default 0); > 0 forces maxConcurrent 1, as in Flink. */
  minPauseMs: number;
  /** execution.checkpointing.max-concurrent-checkpoints (default 1). */
  maxConcurrent: number;
  /** execution.checkpointing.unaligned (default false); needs exactly-once and maxConcurrent 1. */
  unaligned: boolean;
  /** execution.checkpointing.aligned-checkpoint-timeout (default 0: never switch to unaligned). */
  alignedCheckpointTimeoutMs: number;
  /** execution.checkpointing.tolerable-failed-checkpoints (default 0). */
  tolerableFailures: number;
  /** state.checkpoints.num-retained (default 1). */
  retained: number;
  storage: CheckpointStorageSpec;
}

/** Where completed checkpoints are kept (Flink's checkpoint storage). */
export type CheckpointStorageSpec =
  /** JobManagerCheckpointStorage: in the JobManager's memory, each subtask's state at most `maxStateSize` bytes (default 5 MiB). */
  | { type: 'jobmanager'; maxStateSizeBytes: number }
  /** FileSystemCheckpointStorage: durable, each subtask's write takes `writeLatencyMs`. */
  | { type: 'filesystem'; writeLatencyMs: number };

/** Flink's restart strategies (RestartBackoffTimeStrategy implementations), with Flink's option names. */
export type RestartStrategySpec =
  | { type: 'fixed-delay'; attempts: number; delayMs: number }
  | { type: 'failure-rate'; maxFailures: number; intervalMs: number; delayMs: number }
  | {
      type: 'exponential-delay';
      initialBackoffMs: number;
      maxBackoffMs: number;
      multiplier: number;
      resetThresholdMs: number;
      /** In [0, 1]: each backoff is moved by up to this fraction, drawn from the seeded random. */
      jitter: number;
      /** restart-strategy.exponential-delay.attempts-before-reset-backoff (default unlimited). */
      attemptsBeforeReset: number | null;
    }
  | { type: 'none' }
  /** Use the cluster's default: what Flink does when the job sets none. */
  | { type: 'fallback' };


/** The job-level settings of fault tolerance, with Flink's defaults. */
export interface FaultToleranceConfig {
  /** null: checkpointing is off (Flink's default). */
  readonly checkpointing: CheckpointingSpec | null;
  readonly stateBackend: StateBackendKind;
  /** null: Flink's default (exponential-delay with checkpointing, none without). */
  readonly restartStrategy: RestartStrategySpec | null;
  readonly failoverStrategy: FailoverStrategyKind;
}

export const DEFAULT_FAULT_TOLERANCE: FaultToleranceConfig = { checkpointing: null, stateBackend: 'hashmap', restartStrategy: null, failoverStrategy: 'region' };

/** Flink's defaults for the fields of `config.checkpointing` a file leaves out. */
export const CHECKPOINTING_DEFAULTS: Omit<CheckpointingSpec, 'intervalMs'> = {
  mode: 'exactly-once',
  timeoutMs: 600_000,
  minPauseMs: 0,
  maxConcurrent: 1,
  unaligned: false,
  alignedCheckpointTimeoutMs: 0,
  tolerableFailures: 0,
  retained: 1,
  storage: { type: 'jobmanager', maxStateSizeBytes: 5 * 1024 * 1024 },
};
