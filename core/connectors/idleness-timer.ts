/**
 * When a partition counts as idle, as Flink's WatermarksWithIdleness decides it. The
 * countdown does not start at the last record: it starts at the first periodic watermark
 * check that saw no activity since the check before, and the partition is idle once more
 * than the timeout has passed since that check. So with checks every 200 ms and an
 * idleness of 500 ms, a partition whose last record came at 50 ms is seen quiet at the
 * check of 400 ms (nothing since 200), and declared idle at the check of 1000 ms (more
 * than 500 ms after 400). Any activity resets it, so the next quiet check starts anew.
 */

export class IdlenessTimer {
  #activity = 0;
  #activitySeen = 0;
  /** The time of the first check that saw no activity since the one before; null while active. */
  #quietSinceMs: number | null = null;

  /** `timeoutMs` > 0: how long a partition stays quiet, counted from the first quiet check, before it is idle. */
  constructor(readonly timeoutMs: number) {}

  /** A record was read (or is waiting to be read). */
  activity(): void {
    this.#activity += 1;
  }

  /**
   * Called at each periodic watermark check.
   * @example
   * const t = new IdlenessTimer(10);
   * t.checkIfIdle(0);  // false: the first quiet check starts the countdown at 0
   * t.checkIfIdle(10); // false: 10 ms is not more than the timeout
   * t.checkIfIdle(11); // true
   * t.activity();
   * t.checkIfIdle(20); // false: active again; the countdown restarts at the next quiet check
   */
  checkIfIdle(nowMs: number): boolean {
    if (this.#activity !== this.#activitySeen) {
      this.#activitySeen = this.#activity;
      this.#quietSinceMs = null;
      return false;
    }
    if (this.#quietSinceMs === null) {
      this.#quietSinceMs = nowMs;
      return false;
    }
    return nowMs - this.#quietSinceMs > this.timeoutMs;
  }
}
