/**
 * What the job looked like at one moment of a finished run, as a pure function of the
 * trace up to that moment: the job's status, each subtask's status, attempt, watermark,
 * idleness and back-pressure (`task.backpressure`, on each flip), what the sinks had
 * committed, and what the side outputs had been written (the same number `weir run --until MS`
 * reports for sinks). The time slider, play and step of the transport only move a cursor; every view
 * of the moment is folded from the events before it, so it is the same whichever way the
 * cursor got there.
 */
import { CommittedOutputFold, type JobStatus, type TraceEvent } from '../../../core/index.ts';
import { PendingRestartsFold, type PendingRestart } from './pending-restarts.ts';

export interface SubtaskAt {
  readonly id: string;
  readonly status: string;
  readonly attempt: number;
  /** The latest watermark of any operator of the subtask, or null before the first. */
  readonly watermark: number | null;
  readonly idle: boolean;
  /** Blocked on a full output buffer whose channel has no credit (Flink's back-pressure), in this attempt. */
  readonly backPressured: boolean;
  /** While back-pressured: the consumer subtask it waits for credit from, when the trace names it. */
  readonly waitingFor: string | null;
}

export interface Moment {
  readonly timeMs: number;
  /** How many trace events happened up to and including this moment. */
  readonly events: number;
  readonly jobStatus: JobStatus | null;
  readonly subtasks: readonly SubtaskAt[];
  /** Committed records per sink. */
  readonly sinks: readonly (readonly [string, number])[];
  readonly sinkCount: number;
  /**
   * Records written to each side output so far: a user function's (`sideoutput.wrote`, at
   * trace level full only) and late elements sent there (`record.late`), by tag.
   */
  readonly sideOutputs: readonly (readonly [string, number])[];
  readonly checkpointsCompleted: number;
  readonly restarts: number;
  /**
   * The restarts decided (`job.restarting`) and not yet carried out (`job.restored`), the next
   * redeploy first: one countdown each, as regions restart after their own failure's delay.
   */
  readonly pendingRestarts: readonly PendingRestart[];
  /** TaskManagers that died (LOST) or that the JobManager has noticed dead (TIMED_OUT). */
  readonly deadTaskManagers: ReadonlySet<string>;
  /** The last event at or before the moment, for the narration line. */
  readonly last: TraceEvent | null;
}

/** The number of events with `timeMs <= t` (events are in time order). */
export function eventsUpTo(events: readonly TraceEvent[], timeMs: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.timeMs <= timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type SubtaskState = { -readonly [K in keyof Omit<SubtaskAt, 'id'>]: SubtaskAt[K] };

/**
 * Folds events one by one into the state a moment shows; moving forward applies only the
 * new events, moving back starts again from the first (see Transport).
 */
export class MomentFold {
  readonly #committed = new CommittedOutputFold();
  readonly #subtasks = new Map<string, SubtaskState>();
  readonly #sideOutputs = new Map<string, number>();
  #jobStatus: JobStatus | null = null;
  #checkpointsCompleted = 0;
  #restarts = 0;
  readonly #pendingRestarts = new PendingRestartsFold();
  #deadTaskManagers = new Set<string>();
  #last: TraceEvent | null = null;
  /** Events applied so far. */
  count = 0;

  apply(e: TraceEvent): void {
    this.count++;
    this.#last = e;
    this.#committed.apply(e);
    this.#pendingRestarts.apply(e);
    switch (e.tag) {
      case 'job.status':
        this.#jobStatus = e.status;
        break;
      case 'task.status': {
        const t = this.#task(e.task);
        t.status = e.status;
        if (e.attempt !== t.attempt) {
          // A new attempt starts with no watermark of its own.
          t.attempt = e.attempt;
          t.watermark = null;
          t.idle = false;
          t.backPressured = false;
          t.waitingFor = null;
        }
        break;
      }
      case 'task.backpressure': {
        const t = this.#task(e.task);
        // An older attempt's flip says nothing of the current one (the core ends every episode when its attempt stops).
        if (e.attempt !== t.attempt) break;
        t.backPressured = e.backPressured;
        t.waitingFor = e.backPressured ? (e.downstream ?? null) : null;
        break;
      }
      case 'sideoutput.wrote':
        this.#sideOutputs.set(e.sideOutput, (this.#sideOutputs.get(e.sideOutput) ?? 0) + 1);
        break;
      case 'record.late':
        if (e.sideOutput !== null) this.#sideOutputs.set(e.sideOutput, (this.#sideOutputs.get(e.sideOutput) ?? 0) + 1);
        break;
      case 'watermark.advanced': {
        const t = this.#task(e.task);
        if (t.watermark === null || e.watermark > t.watermark) t.watermark = e.watermark;
        break;
      }
      case 'watermark.status':
        this.#task(e.task).idle = e.status === 'IDLE';
        break;
      case 'checkpoint.completed':
        this.#checkpointsCompleted++;
        break;
      case 'job.restarting':
        this.#restarts++;
        break;
      case 'taskmanager.status':
        this.#deadTaskManagers = new Set(this.#deadTaskManagers);
        if (e.status === 'REGISTERED') this.#deadTaskManagers.delete(e.taskManager);
        else this.#deadTaskManagers.add(e.taskManager);
        break;
    }
  }

  moment(timeMs: number): Moment {
    const sinks = [...this.#committed.counts().entries()];
    return {
      timeMs,
      events: this.count,
      jobStatus: this.#jobStatus,
      subtasks: [...this.#subtasks.entries()].map(([id, t]) => ({ id, ...t })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      sinks,
      sinkCount: sinks.reduce((n, [, c]) => n + c, 0),
      sideOutputs: [...this.#sideOutputs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      checkpointsCompleted: this.#checkpointsCompleted,
      restarts: this.#restarts,
      pendingRestarts: this.#pendingRestarts.pending(),
      deadTaskManagers: this.#deadTaskManagers,
      last: this.#last,
    };
  }

  #task(id: string): SubtaskState {
    let t = this.#subtasks.get(id);
    if (t === undefined) this.#subtasks.set(id, (t = { status: 'CREATED', attempt: 1, watermark: null, idle: false, backPressured: false, waitingFor: null }));
    return t;
  }
}

/**
 * The moment after the first `count` events, at virtual time `timeMs`.
 * @example
 * momentAt(events, eventsUpTo(events, 2500), 2500).sinkCount
 */
export function momentAt(events: readonly TraceEvent[], count: number, timeMs: number): Moment {
  const fold = new MomentFold();
  for (let i = 0; i < count; i++) fold.apply(events[i]!);
  return fold.moment(timeMs);
}

/**
 * A moment of one run read at any time, cheaply while time moves forward (play): the fold
 * only applies the events since the last read, and starts again when time goes back.
 * @example const b = new MomentCursor(runB.events); b.at(2500).restarts
 */
export class MomentCursor {
  readonly #events: readonly TraceEvent[];
  #fold = new MomentFold();

  constructor(events: readonly TraceEvent[]) {
    this.#events = events;
  }

  at(timeMs: number): Moment {
    const count = eventsUpTo(this.#events, timeMs);
    if (count < this.#fold.count) this.#fold = new MomentFold();
    while (this.#fold.count < count) this.#fold.apply(this.#events[this.#fold.count]!);
    return this.#fold.moment(timeMs);
  }
}
