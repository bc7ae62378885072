/**
 * `CheckpointConfig`, with Flink's setter names: how often the CheckpointCoordinator
 * triggers a checkpoint, how long one may take, how many may run at once, whether barriers
 * are aligned, how many failed ones the job tolerates, and where completed ones are kept.
 * As in Flink, a setter throws at once on a value out of range (Flink's
 * IllegalArgumentException; here a RangeError), while the rules that tie settings together
 * (unaligned checkpoints need exactly-once and one checkpoint at a time) are checked when
 * the job is built, by `env.getStreamGraph()`. Defaults are Flink's (1.19 and later), the
 * same a scenario file gets for the fields it leaves out.
 *
 * @example
 * env.enableCheckpointing(1000);
 * const cc = env.getCheckpointConfig();
 * cc.setMinPauseBetweenCheckpoints(500);
 * cc.setCheckpointTimeout(60_000);
 * cc.setTolerableCheckpointFailureNumber(2);
 * cc.setCheckpointStorage(new FileSystemCheckpointStorage('s3://bucket/checkpoints', 20));
 */
import { CHECKPOINTING_DEFAULTS, JobGraphError, type CheckpointingMode, type CheckpointingSpec } from '../../graph/index.ts';
import { FileSystemCheckpointStorage, JobManagerCheckpointStorage, type CheckpointStorage } from './checkpoint-storage.ts';
import { requireInt, requireMs } from './config-checks.ts';

/** Flink's CheckpointCoordinatorConfiguration.MINIMAL_CHECKPOINT_TIME: the shortest interval and timeout, in ms. */
export const MINIMAL_CHECKPOINT_TIME_MS = 10;

/** The most checkpoints that may be in flight, or retained, at once: Weir's limit (a scenario file has the same). */
export const MAX_CHECKPOINTS = 1000;

const MODES: readonly CheckpointingMode[] = ['exactly-once', 'at-least-once'];

export class CheckpointConfig {
  /** -1: checkpointing is off, as Flink's getCheckpointInterval says. */
  #intervalMs = -1;
  #mode: CheckpointingMode = CHECKPOINTING_DEFAULTS.mode;
  #timeoutMs = CHECKPOINTING_DEFAULTS.timeoutMs;
  #minPauseMs = CHECKPOINTING_DEFAULTS.minPauseMs;
  #maxConcurrent = CHECKPOINTING_DEFAULTS.maxConcurrent;
  #unaligned = CHECKPOINTING_DEFAULTS.unaligned;
  #alignedCheckpointTimeoutMs = CHECKPOINTING_DEFAULTS.alignedCheckpointTimeoutMs;
  #tolerableFailures = CHECKPOINTING_DEFAULTS.tolerableFailures;
  #retained = CHECKPOINTING_DEFAULTS.retained;
  #storage: CheckpointStorage = new JobManagerCheckpointStorage();

  /** Whether an interval is set (by `env.enableCheckpointing` or `setCheckpointInterval`). */
  isCheckpointingEnabled(): boolean {
    return this.#intervalMs > 0;
  }

  /** Turns checkpointing off again; the other settings stay. */
  disableCheckpointing(): this {
    this.#intervalMs = -1;
    return this;
  }

  /** The interval in ms, or -1 when checkpointing is off. */
  getCheckpointInterval(): number {
    return this.#intervalMs;
  }

  /**
   * execution.checkpointing.interval: virtual ms between the triggering of two checkpoints,
   * at least 10 (Flink's MINIMAL_CHECKPOINT_TIME). Setting it turns checkpointing on.
   */
  setCheckpointInterval(intervalMs: number): this {
    this.#intervalMs = requireMs('setCheckpointInterval', 'the checkpoint interval', intervalMs, MINIMAL_CHECKPOINT_TIME_MS, "Flink's MINIMAL_CHECKPOINT_TIME");
    return this;
  }

  getCheckpointingMode(): CheckpointingMode {
    return this.#mode;
  }

  /** execution.checkpointing.mode: 'exactly-once' (aligned barriers, the default) or 'at-least-once' (no alignment). */
  setCheckpointingMode(mode: CheckpointingMode): this {
    if (!MODES.includes(mode)) throw new RangeError(`setCheckpointingMode: the mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, found ${JSON.stringify(mode)}`);
    this.#mode = mode;
    return this;
  }

  getCheckpointTimeout(): number {
    return this.#timeoutMs;
  }

  /** execution.checkpointing.timeout (default 600000): a pending checkpoint older than this expires. At least 10 ms. */
  setCheckpointTimeout(timeoutMs: number): this {
    this.#timeoutMs = requireMs('setCheckpointTimeout', 'the checkpoint timeout', timeoutMs, MINIMAL_CHECKPOINT_TIME_MS, "Flink's MINIMAL_CHECKPOINT_TIME");
    return this;
  }

  getMinPauseBetweenCheckpoints(): number {
    return this.#minPauseMs;
  }

  /** execution.checkpointing.min-pause (default 0): the least time between one checkpoint's end and the next one's start. */
  setMinPauseBetweenCheckpoints(minPauseMs: number): this {
    this.#minPauseMs = requireMs('setMinPauseBetweenCheckpoints', 'the pause between checkpoints', minPauseMs, 0);
    return this;
  }

  getMaxConcurrentCheckpoints(): number {
    return this.#maxConcurrent;
  }

  /** execution.checkpointing.max-concurrent-checkpoints (default 1), at least 1 (and at most 1000, Weir's limit). */
  setMaxConcurrentCheckpoints(maxConcurrent: number): this {
    this.#maxConcurrent = requireInt('setMaxConcurrentCheckpoints', 'the maximum number of concurrent checkpoints', maxConcurrent, 1, MAX_CHECKPOINTS);
    return this;
  }

  isUnalignedCheckpointsEnabled(): boolean {
    return this.#unaligned;
  }

  /**
   * execution.checkpointing.unaligned (default false): barriers overtake the buffered
   * records, which become part of the checkpoint. Needs exactly-once and at most one
   * concurrent checkpoint, checked by `env.getStreamGraph()`.
   */
  enableUnalignedCheckpoints(enabled = true): this {
    if (typeof enabled !== 'boolean') throw new RangeError(`enableUnalignedCheckpoints: expected true or false, found ${JSON.stringify(enabled)}`);
    this.#unaligned = enabled;
    return this;
  }

  /** In ms (Flink returns a Duration). */
  getAlignedCheckpointTimeout(): number {
    return this.#alignedCheckpointTimeoutMs;
  }

  /**
   * execution.checkpointing.aligned-checkpoint-timeout (default 0: start unaligned at once):
   * with unaligned checkpoints on, a checkpoint starts aligned and switches to unaligned
   * when alignment takes longer than this. Without unaligned checkpoints it does nothing, so
   * `env.getStreamGraph()` refuses a value above 0 then, as a scenario file does.
   */
  setAlignedCheckpointTimeout(timeoutMs: number): this {
    this.#alignedCheckpointTimeoutMs = requireMs('setAlignedCheckpointTimeout', 'the aligned checkpoint timeout', timeoutMs, 0);
    return this;
  }

  getTolerableCheckpointFailureNumber(): number {
    return this.#tolerableFailures;
  }

  /** execution.checkpointing.tolerable-failed-checkpoints (default 0): consecutive failed checkpoints the job survives. */
  setTolerableCheckpointFailureNumber(tolerableFailures: number): this {
    this.#tolerableFailures = requireInt('setTolerableCheckpointFailureNumber', 'the number of tolerable checkpoint failures', tolerableFailures, 0);
    return this;
  }

  getNumRetainedCheckpoints(): number {
    return this.#retained;
  }

  /**
   * A Weir extension mirroring Flink's state.checkpoints.num-retained (default 1), which
   * Flink sets only in the configuration, not on CheckpointConfig: how many completed
   * checkpoints are kept (1 to 1000).
   */
  setNumRetainedCheckpoints(retained: number): this {
    this.#retained = requireInt('setNumRetainedCheckpoints', 'the number of retained checkpoints', retained, 1, MAX_CHECKPOINTS);
    return this;
  }

  getCheckpointStorage(): CheckpointStorage {
    return this.#storage;
  }

  /**
   * Where completed checkpoints are kept: a `JobManagerCheckpointStorage` (the default) or a
   * `FileSystemCheckpointStorage`; a string is a file-system path, as in Flink.
   */
  setCheckpointStorage(storage: CheckpointStorage | string): this {
    if (typeof storage === 'string') {
      this.#storage = new FileSystemCheckpointStorage(storage);
      return this;
    }
    if (!(storage instanceof JobManagerCheckpointStorage) && !(storage instanceof FileSystemCheckpointStorage)) {
      throw new RangeError('setCheckpointStorage: expected a JobManagerCheckpointStorage, a FileSystemCheckpointStorage or a path');
    }
    this.#storage = storage;
    return this;
  }

  /**
   * @internal What the runtime is told; null when checkpointing is off. Throws a
   * JobGraphError on settings that do not go together, as Flink's job submission does.
   */
  toCheckpointingSpec(): CheckpointingSpec | null {
    if (!this.isCheckpointingEnabled()) return null;
    // Flink's StreamingJobGraphGenerator turns unaligned checkpoints off with a warning under
    // at-least-once, and CheckpointCoordinatorConfiguration refuses them with more than one
    // concurrent checkpoint; Weir refuses both, with the messages a scenario file gets.
    if (this.#unaligned && this.#mode !== 'exactly-once') {
      throw new JobGraphError(`unaligned checkpoints need the checkpointing mode 'exactly-once' (as in Flink), but the mode is '${this.#mode}'`);
    }
    if (this.#unaligned && this.#maxConcurrent > 1) {
      throw new JobGraphError(`unaligned checkpoints need at most 1 concurrent checkpoint (as in Flink), found setMaxConcurrentCheckpoints(${this.#maxConcurrent})`);
    }
    if (!this.#unaligned && this.#alignedCheckpointTimeoutMs > 0) {
      throw new JobGraphError(
        `setAlignedCheckpointTimeout(${this.#alignedCheckpointTimeoutMs}) switches an aligned checkpoint to unaligned after that long, so it needs enableUnalignedCheckpoints() (Flink ignores it otherwise)`,
      );
    }
    return {
      intervalMs: this.#intervalMs,
      mode: this.#mode,
      timeoutMs: this.#timeoutMs,
      minPauseMs: this.#minPauseMs,
      maxConcurrent: this.#maxConcurrent,
      unaligned: this.#unaligned,
      alignedCheckpointTimeoutMs: this.#alignedCheckpointTimeoutMs,
      tolerableFailures: this.#tolerableFailures,
      retained: this.#retained,
      storage: this.#storage.spec,
    };
  }
}
