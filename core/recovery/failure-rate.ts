/**
 * Failure-rate restart strategy (`restart-strategy.type: failure-rate`): keep restarting,
 * after a fixed delay, as long as failures are rare enough; fail the job when they come too
 * often. `max-failures-per-interval` = N failures are tolerated within
 * `failure-rate-interval`; the job fails when N + 1 failures fall within one interval.
 *
 * Flink keeps the timestamps of the latest N + 1 failures in a queue (the queue is "full"
 * when it holds more than N). While it is not full, a restart is allowed. Once it is, the
 * restart is allowed only if the oldest of those N + 1 failures is *more* than the interval
 * before now: N + 1 failures spanning exactly `intervalMs` are within the interval, and the
 * job fails. Every failure counts (none is merged with another), and old failures fall out
 * of the queue as new ones arrive, so the strategy forgets a burst once it is long past.
 *
 * @example
 * // at most 2 failures per minute, 1 s delay
 * const s = new FailureRateRestartBackoffTimeStrategy({ type: 'failure-rate', maxFailures: 2, intervalMs: 60_000, delayMs: 1000 });
 * s.notifyFailure(0); s.notifyFailure(10_000);
 * s.canRestart();      // true: 2 failures within a minute are tolerated
 * s.notifyFailure(60_000);
 * s.canRestart();      // false: 3 failures within [0, 60000]
 */
import { FailureClock, requireInteger, type FailureRateSpec, type RestartBackoffTimeStrategy } from './restart-strategy.ts';

const NAME = 'FailureRateRestartBackoffTimeStrategy';

/** Flink's FailureRateRestartBackoffTimeStrategy: restarts after `delayMs` unless more than `maxFailures` failures fall within `intervalMs`. */
export class FailureRateRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  readonly maxFailures: number;
  readonly intervalMs: number;
  readonly delayMs: number;
  readonly #clock = new FailureClock();
  /** The latest failures' times, oldest first; never more than maxFailures + 1 of them. */
  readonly #failureTimes: number[] = [];

  constructor(spec: FailureRateSpec) {
    requireInteger(NAME, 'maxFailures', spec.maxFailures, 1);
    requireInteger(NAME, 'intervalMs', spec.intervalMs, 1);
    requireInteger(NAME, 'delayMs', spec.delayMs, 0);
    this.maxFailures = spec.maxFailures;
    this.intervalMs = spec.intervalMs;
    this.delayMs = spec.delayMs;
  }

  /** Allowed unless more than maxFailures failures lie within intervalMs of the latest one (both ends included). */
  canRestart(): boolean {
    if (!this.#isFull()) return true;
    const nowMs = this.#clock.lastMs!;
    return nowMs - this.#failureTimes[0]! > this.intervalMs;
  }

  getBackoffTime(): number {
    return this.delayMs;
  }

  /** Every failure counts. */
  notifyFailure(nowMs: number): boolean {
    this.#clock.advance(NAME, nowMs);
    if (this.#isFull()) this.#failureTimes.shift();
    this.#failureTimes.push(nowMs);
    return true;
  }

  describe(): string {
    return `failure-rate (${this.maxFailures} failures per ${this.intervalMs} ms, ${this.delayMs} ms)`;
  }

  #isFull(): boolean {
    return this.#failureTimes.length > this.maxFailures;
  }
}
