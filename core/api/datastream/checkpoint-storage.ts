/**
 * Checkpoint storage, with Flink's class names: where the JobManager keeps a completed
 * checkpoint. `JobManagerCheckpointStorage` keeps it in the JobManager's memory (fast, but
 * each subtask's state is capped, 5 MiB by default, and it is lost with the JobManager);
 * `FileSystemCheckpointStorage` writes it to a durable file system, which takes time. Weir
 * has no files: the path is a label, and the time is `writeLatencyMs` per subtask's write.
 *
 * @example
 * env.getCheckpointConfig().setCheckpointStorage(new FileSystemCheckpointStorage('s3://bucket/checkpoints', 20));
 */
import { CHECKPOINTING_DEFAULTS, type CheckpointStorageSpec } from '../../graph/index.ts';
import { requireInt, requireMs } from './config-checks.ts';

/** What `CheckpointConfig.setCheckpointStorage` accepts (Flink's CheckpointStorage). */
export interface CheckpointStorage {
  /** What the runtime is told (the `storage` of a scenario's `config.checkpointing`). */
  readonly spec: CheckpointStorageSpec;
}

/** Flink's default state.checkpoint-storage: the JobManager's memory, 5 MiB per subtask's state. */
export const DEFAULT_MAX_STATE_SIZE_BYTES = (CHECKPOINTING_DEFAULTS.storage as Extract<CheckpointStorageSpec, { type: 'jobmanager' }>).maxStateSizeBytes;

/**
 * Checkpoints in the JobManager's memory. A subtask whose state is larger than
 * `maxStateSizeBytes` fails its checkpoint, as in Flink.
 * @example new JobManagerCheckpointStorage(1024 * 1024)
 */
export class JobManagerCheckpointStorage implements CheckpointStorage {
  readonly spec: CheckpointStorageSpec;

  constructor(maxStateSizeBytes: number = DEFAULT_MAX_STATE_SIZE_BYTES) {
    this.spec = { type: 'jobmanager', maxStateSizeBytes: requireInt('JobManagerCheckpointStorage', 'the maximum state size', maxStateSizeBytes, 1) };
  }

  /** Flink's getMaxStateSize, in bytes. */
  getMaxStateSize(): number {
    return (this.spec as Extract<CheckpointStorageSpec, { type: 'jobmanager' }>).maxStateSizeBytes;
  }
}

/**
 * Checkpoints on a durable file system. `path` is shown, never written (Weir has no
 * files); `writeLatencyMs` (a Weir extension, default 0) is how long each subtask's write
 * takes, so that a slow store can be seen delaying checkpoints.
 * @example new FileSystemCheckpointStorage('hdfs:///flink/checkpoints', 50)
 */
export class FileSystemCheckpointStorage implements CheckpointStorage {
  readonly spec: CheckpointStorageSpec;

  constructor(
    readonly path: string,
    writeLatencyMs = 0,
  ) {
    if (typeof path !== 'string' || path.length === 0) throw new RangeError(`FileSystemCheckpointStorage: the checkpoint path must be a non-empty string, found ${JSON.stringify(path)}`);
    this.spec = { type: 'filesystem', writeLatencyMs: requireMs('FileSystemCheckpointStorage', 'the write latency', writeLatencyMs, 0) };
  }

  /** Flink's getCheckpointPath: here the label given. */
  getCheckpointPath(): string {
    return this.path;
  }
}
