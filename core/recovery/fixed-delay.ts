/**
 * Fixed-delay restart strategy (`restart-strategy.type: fixed-delay`): restart a fixed
 * number of times, waiting the same delay before each restart. Flink counts every failure
 * as one restart attempt and allows the restart while the count is at most
 * `restart-strategy.fixed-delay.attempts`: with attempts = 3 the job restarts after its
 * first, second and third failure and fails for good on the fourth. With attempts = 0 it
 * never restarts. Failures are never merged: two tasks failing at the same instant use two
 * attempts. The counter never resets, however long the job then runs without failing.
 *
 * @example
 * const s = new FixedDelayRestartBackoffTimeStrategy({ type: 'fixed-delay', attempts: 3, delayMs: 1000 });
 * s.notifyFailure(0);   // true
 * s.canRestart();       // true: 1 of 3 attempts used
 * s.getBackoffTime();   // 1000
 */
import { FailureClock, requireInteger, type FixedDelaySpec, type RestartBackoffTimeStrategy } from './restart-strategy.ts';

const NAME = 'FixedDelayRestartBackoffTimeStrategy';

/** Flink's FixedDelayRestartBackoffTimeStrategy: `attempts` restarts, each after `delayMs`. */
export class FixedDelayRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  readonly attempts: number;
  readonly delayMs: number;
  readonly #clock = new FailureClock();
  #failures = 0;

  constructor(spec: FixedDelaySpec) {
    requireInteger(NAME, 'attempts', spec.attempts, 0);
    requireInteger(NAME, 'delayMs', spec.delayMs, 0);
    this.attempts = spec.attempts;
    this.delayMs = spec.delayMs;
  }

  /** Restarting is allowed while the failures so far number at most `attempts`. */
  canRestart(): boolean {
    return this.#failures <= this.attempts;
  }

  getBackoffTime(): number {
    return this.delayMs;
  }

  /** Every failure is a new attempt. */
  notifyFailure(nowMs: number): boolean {
    this.#clock.advance(NAME, nowMs);
    this.#failures++;
    return true;
  }

  describe(): string {
    return `fixed-delay (${this.attempts} attempts, ${this.delayMs} ms)`;
  }
}
