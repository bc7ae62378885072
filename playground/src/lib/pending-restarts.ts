/**
 * The restarts the JobManager has decided and not carried out yet, at one moment of a run,
 * folded from the trace. Each failure gets its own decision (`job.restarting`, with the
 * subtasks it restarts and its delay), and its subtasks are redeployed after that delay
 * (`job.restored`) whatever other regions are waiting for, so several decisions can be
 * pending at once, each with its own countdown.
 *
 * The rule of which redeployment carries out which decision is the report's (core's
 * RestartsFold, which core/index.ts does not export): a newer decision takes the subtasks it
 * restarts over from older ones still waiting; a decision left with none is carried out by
 * that newer one; a `job.restored` carries out every waiting decision whose subtasks it all
 * redeploys. test/playground/pending-restarts.test.ts holds the two folds to the same answer.
 */
import type { TraceEvent } from '../../../core/index.ts';
import { formatCount } from './format.ts';

/** A decision not carried out yet: the data of one countdown. */
export interface PendingRestart {
  /** The restart's number (the `attempt` of `job.restarting`). */
  readonly restart: number;
  readonly decidedAtMs: number;
  /** When the restart strategy's delay ends: the redeploy (later only while slots are missing). */
  readonly dueMs: number;
  readonly cause: string;
  /** The subtasks it still restarts: its own, less those a newer decision took over. */
  readonly tasks: readonly string[];
}

/** How a decision ended, by the end of the events folded. */
export interface RestartOutcome {
  /** When its subtasks were redeployed; null while pending, or when a newer decision took them all over. */
  readonly redeployedAtMs: number | null;
  /** The restart that took every one of its subtasks over and restarted them itself. */
  readonly takenOverBy: number | null;
}

interface Waiting {
  readonly index: number;
  readonly decision: Omit<PendingRestart, 'tasks'>;
  readonly tasks: Set<string>;
}

/**
 * @example
 * const fold = new PendingRestartsFold();
 * for (const e of events.slice(0, eventsUpTo(events, 2200))) fold.apply(e);
 * fold.pending().map((p) => p.tasks); // [['orders#1'], ['orders#0']]: two regions, each in its own backoff
 */
export class PendingRestartsFold {
  #waiting: Waiting[] = [];
  /** One per decision, in decision order (the report's order of restarts). */
  readonly #outcomes: { redeployedAtMs: number | null; takenOverBy: number | null }[] = [];

  apply(e: TraceEvent): void {
    if (e.tag === 'job.restarting') {
      for (const w of this.#waiting) {
        for (const id of e.tasks) w.tasks.delete(id);
        if (w.tasks.size === 0) this.#outcomes[w.index]!.takenOverBy = e.attempt;
      }
      this.#waiting = this.#waiting.filter((w) => w.tasks.size > 0);
      const decision = { restart: e.attempt, decidedAtMs: e.timeMs, dueMs: e.timeMs + e.delayMs, cause: e.cause };
      this.#waiting.push({ index: this.#outcomes.length, decision, tasks: new Set(e.tasks) });
      this.#outcomes.push({ redeployedAtMs: null, takenOverBy: null });
    } else if (e.tag === 'job.restored') {
      const deployed = new Set(e.tasks);
      const done = (w: Waiting): boolean => [...w.tasks].every((id) => deployed.has(id));
      for (const w of this.#waiting) if (done(w)) this.#outcomes[w.index]!.redeployedAtMs = e.timeMs;
      this.#waiting = this.#waiting.filter((w) => !done(w));
    } else if (e.tag === 'job.status') {
      // A new start (submission, resume) restores no restart; a job that ended has none coming.
      if (e.status === 'CREATED' || e.status === 'FAILED' || e.status === 'CANCELED' || e.status === 'FINISHED') this.#waiting = [];
    }
  }

  /** The decisions pending, the next redeploy first. */
  pending(): PendingRestart[] {
    return this.#waiting
      .map((w) => ({ ...w.decision, tasks: [...w.tasks] }))
      .sort((a, b) => a.dueMs - b.dueMs || a.restart - b.restart);
  }

  /** How each decision so far ended, in decision order. */
  outcomes(): RestartOutcome[] {
    return this.#outcomes.map((o) => ({ ...o }));
  }
}

/**
 * @example restartOutcomes(run.events)[0] // { redeployedAtMs: 2500, takenOverBy: null }
 */
export function restartOutcomes(events: Iterable<TraceEvent>): RestartOutcome[] {
  const fold = new PendingRestartsFold();
  for (const e of events) fold.apply(e);
  return fold.outcomes();
}

/** Beyond this many subtasks a countdown says how many, not which (its title lists them all). */
const NAMED_AT_MOST = 3;

/**
 * One pending restart's countdown at the moment. A restart of the whole job needs no names;
 * one of a region says which subtasks, because other regions may be counting down too.
 * @example restartCountdown({ restart: 1, decidedAtMs: 2500, dueMs: 3000, cause: '', tasks: ['a#0', 'b#0'] }, 2798, 'fixed-delay', 2)
 * // 'restarting in 202 ms (restart 1, fixed-delay)'
 * @example restartCountdown({ restart: 2, decidedAtMs: 2000, dueMs: 3000, cause: '', tasks: ['orders#0'] }, 2200, null, 2)
 * // 'restarting orders#0 in 800 ms (restart 2)'
 */
export function restartCountdown(pending: PendingRestart, timeMs: number, strategy: string | null, subtasksInJob: number): string {
  const left = Math.max(0, pending.dueMs - timeMs);
  const why = `(restart ${pending.restart}${strategy === null ? '' : `, ${strategy}`})`;
  const who = restartedText(pending.tasks, subtasksInJob);
  const verb = who === '' ? 'restarting' : `restarting ${who}`;
  return left === 0 ? `${verb} now ${why}` : `${verb} in ${formatCount(left)} ms ${why}`;
}

/** '' for every subtask of the job, else the subtasks (or how many). */
function restartedText(tasks: readonly string[], subtasksInJob: number): string {
  if (tasks.length === subtasksInJob) return '';
  return tasks.length <= NAMED_AT_MOST ? tasks.join(', ') : `${formatCount(tasks.length)} subtasks`;
}
