/**
 * Processing time of a subtask whose chain has a throughput limit (records per virtual ms,
 * its slowest operator's). A mailbox step processes its records instantaneously on the
 * kernel's clock; afterwards the task is charged the time they took and takes no new work
 * before that time is over. Within a step, the task's own time has moved on by the records
 * processed so far, so a checkpoint taken halfway through a step happens, for this task,
 * after the records before it. Each record is charged once: a step's records count in the
 * task's own time until they are charged, and afterwards only through `untilMs`.
 *
 * A limited chain's step holds about one virtual ms of records (`stepBudget`), since Flink's
 * mailbox looks at its priority events (unaligned barriers, checkpoint triggers, the
 * alignment timeout) between records, and the clock's resolution is the ms. So that short
 * steps do not round a rate down (1.5 records per ms is not one record per ms), time is
 * counted from the start of a stretch of back-to-back steps: `untilMs` is that start plus
 * the stretch's records over the throughput, rounded up once.
 */
/** A slowed rate is a quotient (3 / 1.3): what lies this close to a whole ms is that ms, not the next. */
const ROUNDING = 1e-9;

export class BusyTime {
  /** The task is processing until this time and takes no new work before it. */
  untilMs = 0;
  #throughput: number;
  /** `recordsIn` when the records not yet charged began: the step's start, or the last charge. */
  #unchargedFrom: number;
  /** When the stretch of back-to-back busy steps began, and the records charged in it. */
  #stretchFromMs = 0;
  #stretchRecords = 0;

  constructor(
    /** Records per virtual ms the chain can process, or Infinity. */
    throughput: number,
    /** The subtask's record count so far: its earlier attempts' records are none of this attempt's to process. */
    recordsIn: number,
  ) {
    this.#throughput = throughput;
    this.#unchargedFrom = recordsIn;
  }

  get throughput(): number {
    return this.#throughput;
  }

  /** A new rate (a `slow-task` fault) counts from the end of what was charged at the old one. */
  set throughput(recordsPerMs: number) {
    this.#throughput = recordsPerMs;
    this.#stretchFromMs = this.untilMs;
    this.#stretchRecords = 0;
  }

  /** Elements a step may take: a limited chain's records of about one ms (at least one), else `batch`. */
  stepBudget(batch: number): number {
    const t = this.#throughput;
    return t === Number.POSITIVE_INFINITY ? batch : Math.min(batch, Math.max(1, Math.floor(t + ROUNDING)));
  }

  /** A mailbox step begins at `nowMs`: what came in between steps is not charged; after an idle gap a new stretch starts. */
  startStep(nowMs: number, recordsIn: number): void {
    this.#unchargedFrom = recordsIn;
    if (nowMs > this.untilMs) {
      this.#stretchFromMs = nowMs;
      this.#stretchRecords = 0;
    }
  }

  /** The task's own time at kernel time `nowMs`: after its busy time, and after the records of the step so far. */
  localNowMs(nowMs: number, recordsIn: number): number {
    const now = Math.max(nowMs, this.untilMs);
    const records = recordsIn - this.#unchargedFrom;
    if (records <= 0 || this.#throughput === Number.POSITIVE_INFINITY) return now;
    return Math.max(now, this.#endOf(this.#stretchRecords + records));
  }

  /** The step is over: the task is busy for the time its records took. Returns the ms charged. */
  charge(nowMs: number, recordsIn: number): number {
    const records = recordsIn - this.#unchargedFrom;
    this.#unchargedFrom = recordsIn;
    if (records === 0 || this.#throughput === Number.POSITIVE_INFINITY) return 0;
    this.#stretchRecords += records;
    const from = Math.max(this.untilMs, nowMs);
    const until = Math.max(from, this.#endOf(this.#stretchRecords));
    this.untilMs = until;
    return until - from;
  }

  #endOf(records: number): number {
    return this.#stretchFromMs + Math.ceil(records / this.#throughput - ROUNDING);
  }
}
