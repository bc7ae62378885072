/**
 * The run report's restarts, folded from the trace alone: one entry per restart decision of
 * the JobManager (`job.restarting`), with the checkpoint its redeployment restored
 * (`job.restored`). Both are of level summary, so a summary trace, a full one, or a prefix
 * of either gives the report's own entries; a restart whose backoff had not ended by the
 * prefix's end has `restoredFrom: null`, as the report of a run stopped there says.
 *
 * Which decisions a `job.restored` carries out follows from the decisions alone: a newer
 * decision takes over the subtasks it restarts from older ones still waiting (in their
 * backoff, or for slots), so the subtasks each decision still restarts never overlap, and a
 * redeployment carries out every waiting decision whose subtasks it all redeploys. A decision
 * left with none is carried out by a newer one and never restores anything itself. A job's
 * start (`job.status` CREATED: the submission, or a `resume` from a savepoint, whose own
 * restore is no restart) leaves the decisions before it as they were.
 */
import type { TraceEvent, TraceTag } from '../trace/index.ts';

/** One restart decision (CONTRACT 3): when, why, which attempt, after what delay, which subtasks, restored from which checkpoint. */
export interface ReportRestart {
  at: number;
  cause: string;
  attempt: number;
  delay: number;
  tasks: string[];
  restoredFrom: number | null;
}

/** The tags the fold reads: all of level summary. */
export const RESTART_TAGS: readonly TraceTag[] = ['job.status', 'job.restarting', 'job.restored'];

/** A decision not carried out yet, and the subtasks it still restarts (never empty). */
interface Waiting {
  readonly record: ReportRestart;
  readonly tasks: Set<string>;
}

/**
 * @example
 * const fold = new RestartsFold();
 * for (const e of sim.trace.events) fold.apply(e);
 * fold.restarts(); // [{ at: 2500, cause: 'kill-task counts#1', attempt: 1, delay: 500, tasks: [...], restoredFrom: 2 }]
 */
export class RestartsFold {
  readonly #records: ReportRestart[] = [];
  /** Decisions not carried out yet, with the subtasks each still restarts. */
  #waiting: Waiting[] = [];

  apply(event: TraceEvent): void {
    if (event.tag === 'job.restarting') {
      for (const w of this.#waiting) for (const id of event.tasks) w.tasks.delete(id);
      const record: ReportRestart = { at: event.timeMs, cause: event.cause, attempt: event.attempt, delay: event.delayMs, tasks: [...event.tasks], restoredFrom: null };
      this.#records.push(record);
      this.#waiting = this.#waiting.filter((w) => w.tasks.size > 0);
      this.#waiting.push({ record, tasks: new Set(event.tasks) });
    } else if (event.tag === 'job.restored') {
      const deployed = new Set(event.tasks);
      const done = (w: Waiting): boolean => [...w.tasks].every((id) => deployed.has(id));
      for (const w of this.#waiting) if (done(w)) w.record.restoredFrom = event.checkpoint;
      this.#waiting = this.#waiting.filter((w) => !done(w));
    } else if (event.tag === 'job.status' && event.status === 'CREATED') {
      this.#waiting = [];
    }
  }

  /** The restarts so far, in decision order (copies: the caller may keep or change them). */
  restarts(): ReportRestart[] {
    return this.#records.map((r) => ({ ...r, tasks: [...r.tasks] }));
  }
}

/**
 * @example
 * foldRestarts(sim.trace.events).length // how often the job restarted
 */
export function foldRestarts(events: Iterable<TraceEvent>): ReportRestart[] {
  const fold = new RestartsFold();
  for (const e of events) fold.apply(e);
  return fold.restarts();
}
