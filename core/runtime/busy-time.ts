/**
 * Processing time of a subtask whose chain has a throughput limit (records per virtual ms,
 * its slowest operator's). A mailbox step processes its records instantaneously on the
 * kernel's clock; afterwards the task is charged the time they took and takes no new work
 * before that time is over. Within a step, the task's own time has moved on by the records
 * processed so far, so a checkpoint taken halfway through a step happens, for this task,
 * after the records before it. Each record is charged once: a step's records count in the
 * task's own time until they are charged, and afterwards only through `untilMs`.
 */
export class BusyTime {
  /** The task is processing until this time and takes no new work before it. */
  untilMs = 0;
  /** `recordsIn` when the records not yet charged began: the step's start, or the last charge. */
  #unchargedFrom: number;

  constructor(
    /** Records per virtual ms the chain can process, or Infinity. */
    public throughput: number,
    /** The subtask's record count so far: its earlier attempts' records are none of this attempt's to process. */
    recordsIn: number,
  ) {
    this.#unchargedFrom = recordsIn;
  }

  /** A mailbox step begins: what came in between steps is not charged. */
  startStep(recordsIn: number): void {
    this.#unchargedFrom = recordsIn;
  }

  /** The task's own time at kernel time `nowMs`: after its busy time, and after the records of the step so far. */
  localNowMs(nowMs: number, recordsIn: number): number {
    const now = Math.max(nowMs, this.untilMs);
    const records = recordsIn - this.#unchargedFrom;
    if (records <= 0 || this.throughput === Number.POSITIVE_INFINITY) return now;
    return now + Math.ceil(records / this.throughput);
  }

  /** The step is over: the task is busy for the time its records took. Returns the ms charged. */
  charge(nowMs: number, recordsIn: number): number {
    const records = recordsIn - this.#unchargedFrom;
    this.#unchargedFrom = recordsIn;
    if (records === 0 || this.throughput === Number.POSITIVE_INFINITY) return 0;
    const busyMs = Math.ceil(records / this.throughput);
    this.untilMs = Math.max(this.untilMs, nowMs) + busyMs;
    return busyMs;
  }
}
