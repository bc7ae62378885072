/**
 * No restart (`restart-strategy.type: none`, also `off` / `disable`): the first failure
 * fails the job. It is Flink's default when checkpointing is off, because without a
 * checkpoint a restarted job would start again from nothing and silently reprocess or lose
 * data. Flink's NoRestartBackoffTimeStrategy counts every failure as new and reports a
 * backoff of 0, which is never used since a restart is never allowed.
 *
 * @example
 * const s = new NoRestartBackoffTimeStrategy();
 * s.notifyFailure(0); // true
 * s.canRestart();     // false: "Recovery is suppressed by NoRestartBackoffTimeStrategy"
 */
import { FailureClock, type RestartBackoffTimeStrategy } from './restart-strategy.ts';

const NAME = 'NoRestartBackoffTimeStrategy';

/** Flink's NoRestartBackoffTimeStrategy: every failure is final. */
export class NoRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  readonly #clock = new FailureClock();

  canRestart(): boolean {
    return false;
  }

  getBackoffTime(): number {
    return 0;
  }

  notifyFailure(nowMs: number): boolean {
    this.#clock.advance(NAME, nowMs);
    return true;
  }

  describe(): string {
    return 'none (no restarts)';
  }
}
