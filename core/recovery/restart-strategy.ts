/**
 * Restart strategies decide whether, and when, a failed job is restarted. When a task
 * fails, Flink's JobMaster (its ExecutionFailureHandler) tells the job's
 * RestartBackoffTimeStrategy about the failure (`notifyFailure`), asks whether recovery is
 * allowed (`canRestart`) and, if it is, how long to wait before restarting the tasks the
 * failover strategy picked (`getBackoffTime`). If it is not, the job fails with "Recovery is
 * suppressed by ..." and the strategy's description. The restart strategy only decides *if*
 * and *when*; *what* is restarted (the failed task's pipelined region, or everything) is the
 * failover strategy's business (see pipelined-regions.ts).
 *
 * Flink's strategies read the JobMaster's clock. Weir's run on virtual time, and Flink asks
 * its three questions at one instant, right after the failure: so `notifyFailure` takes the
 * virtual time of the failure, and `canRestart` / `getBackoffTime` answer as of the time of
 * the most recent `notifyFailure`. Every delay is an integer number of virtual milliseconds.
 */
import type { RestartStrategySpec } from '../graph/index.ts';
import { assert } from '../kernel/index.ts';

/** Flink's RestartBackoffTimeStrategy, on virtual time. */
export interface RestartBackoffTimeStrategy {
  /** Flink's canRestart(): whether the job may restart after the failures notified so far. */
  canRestart(): boolean;
  /** Flink's getBackoffTime(): virtual ms to wait before the restart. */
  getBackoffTime(): number;
  /**
   * Flink's notifyFailure(cause): a failure happened at nowMs. Returns whether it counted as
   * a new failure (Flink 1.19+ returns boolean: exponential-delay ignores failures that
   * arrive while a restart is pending / within the current backoff).
   */
  notifyFailure(nowMs: number): boolean;
  /** e.g. "fixed-delay (3 attempts, 1000 ms)" for messages like "Recovery is suppressed by FixedDelayRestartBackoffTimeStrategy(...)". */
  describe(): string;
}

/** One variant of the job's restart strategy setting. */
export type FixedDelaySpec = Extract<RestartStrategySpec, { type: 'fixed-delay' }>;
export type FailureRateSpec = Extract<RestartStrategySpec, { type: 'failure-rate' }>;
export type ExponentialDelaySpec = Extract<RestartStrategySpec, { type: 'exponential-delay' }>;

/**
 * A restart strategy's options are out of range (Flink rejects the same values when it
 * builds the strategy, with an IllegalArgumentException).
 */
export class RestartStrategyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RestartStrategyConfigError';
  }
}

/** Throws a RestartStrategyConfigError unless `value` is an integer >= `min`. */
export function requireInteger(strategy: string, option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RestartStrategyConfigError(`${strategy}: ${option} must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * The virtual clock of a strategy: remembers the time of the latest failure and refuses
 * time going backwards (a bug in the caller, never a property of the job).
 */
export class FailureClock {
  #lastMs: number | null = null;

  /** Records a failure at `nowMs` and returns it. */
  advance(strategy: string, nowMs: number): number {
    assert(Number.isSafeInteger(nowMs), () => `${strategy}: failure time must be an integer ms, got ${nowMs}`);
    const last = this.#lastMs;
    assert(last === null || nowMs >= last, () => `${strategy}: failure at ${nowMs} ms is before the previous one at ${last} ms`);
    this.#lastMs = nowMs;
    return nowMs;
  }

  /** The time of the latest failure, or null before the first. */
  get lastMs(): number | null {
    return this.#lastMs;
  }
}
