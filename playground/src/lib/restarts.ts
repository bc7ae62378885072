/**
 * The job's restarts, as Flink's web UI shows them under Exceptions (the failure, when, on
 * which subtask) together with what the restart did: how long the restart strategy waited,
 * which subtasks it redeployed (the failed one's pipelined region, or all), and which
 * checkpoint their state came back from. A restart whose subtasks a later failure took over
 * (its region failed again during the backoff, or the whole job did) is carried out by that
 * later restart: it redeploys nothing itself, and says so rather than "no checkpoint".
 */
import type { RestartStrategySpec } from '../../../core/index.ts';
import type { ReportCheckpoint, ReportRestart } from './checkpoints.ts';
import { formatCount } from './format.ts';
import type { RestartOutcome } from './pending-restarts.ts';

export interface RestartRow {
  attempt: number;
  /** When the failure was handled (the restart decision). */
  at: number;
  cause: string;
  delayMs: number;
  /** When its subtasks were redeployed (`job.restored`); null when a later restart took them over, or by the run's end. */
  redeployedAt: number | null;
  /** The restart that took all its subtasks over, if one did. */
  takenOverBy: number | null;
  tasks: readonly string[];
  /** `all 4 subtasks` or the list, when it is a region of the job. */
  tasksText: string;
  restoredFrom: number | null;
  /** `checkpoint 3 (triggered at 3,000 ms)`, `savepoint 5 …`, that there was nothing to restore, or why it restored nothing itself. */
  restoredText: string;
}

/**
 * `outcomes` are the trace's (restartOutcomes), one per restart in the report's order.
 * @example
 * restartRows([{ at: 3500, cause: 'kill-task counts#0', attempt: 1, delay: 500, tasks: ['a#0', 'b#0'], restoredFrom: 3 }], checkpoints, 2, [{ redeployedAtMs: 4000, takenOverBy: null }]);
 * // [{ attempt: 1, redeployedAt: 4000, tasksText: 'all 2 subtasks', restoredText: 'checkpoint 3 (triggered at 3,000 ms)', ... }]
 */
export function restartRows(
  restarts: readonly ReportRestart[],
  checkpoints: readonly ReportCheckpoint[],
  subtasksInJob: number,
  outcomes: readonly RestartOutcome[],
): RestartRow[] {
  return restarts
    .map((r, i) => {
      const outcome = outcomes[i] ?? { redeployedAtMs: null, takenOverBy: null };
      return {
        attempt: r.attempt,
        at: r.at,
        cause: r.cause,
        delayMs: r.delay,
        redeployedAt: outcome.redeployedAtMs,
        takenOverBy: outcome.takenOverBy,
        tasks: r.tasks,
        tasksText: tasksText(r.tasks, subtasksInJob),
        restoredFrom: r.restoredFrom,
        restoredText:
          outcome.takenOverBy !== null
            ? `nothing itself: a later failure's restart ${outcome.takenOverBy} took its subtasks over`
            : outcome.redeployedAtMs === null
              ? 'nothing yet: not redeployed by the end of the run'
              : restoredText(r.restoredFrom, checkpoints),
      };
    })
    .sort((a, b) => a.at - b.at || a.attempt - b.attempt);
}

function tasksText(tasks: readonly string[], subtasksInJob: number): string {
  if (tasks.length === subtasksInJob && tasks.length > 1) return `all ${formatCount(tasks.length)} subtasks`;
  return tasks.join(', ');
}

/** Where a restart's state came from, in words. */
export function restoredText(restoredFrom: number | null, checkpoints: readonly ReportCheckpoint[]): string {
  if (restoredFrom === null) return 'nothing: no checkpoint had completed, so the subtasks started with empty state';
  const found = checkpoints.find((c) => c.id === restoredFrom);
  const noun = found?.savepoint === true ? 'savepoint' : 'checkpoint';
  return found === undefined ? `${noun} ${restoredFrom}` : `${noun} ${restoredFrom} (triggered at ${formatCount(found.triggeredAt)} ms)`;
}

/**
 * The restart strategy's name, for the countdown beside the job's status.
 * @example strategyName(null, true) // 'exponential-delay, the default'
 */
export function strategyName(spec: RestartStrategySpec | null, checkpointingOn: boolean): string {
  if (spec === null || spec.type === 'fallback') return checkpointingOn ? 'exponential-delay, the default' : 'none, the default';
  return spec.type;
}

/**
 * The restart strategy in words. null and `fallback` are Flink's default, which depends on
 * whether checkpointing is on.
 *
 * @example
 * describeRestartStrategy({ type: 'fixed-delay', attempts: 3, delayMs: 500 }, true);
 * // 'fixed-delay, up to 3 restarts, 500 ms apart'
 */
export function describeRestartStrategy(spec: RestartStrategySpec | null, checkpointingOn: boolean): string {
  if (spec === null || spec.type === 'fallback') {
    return checkpointingOn ? "exponential-delay (Flink's default with checkpointing)" : "none (Flink's default without checkpointing)";
  }
  switch (spec.type) {
    case 'fixed-delay':
      return `fixed-delay, up to ${plural(spec.attempts, 'restart')}, ${formatCount(spec.delayMs)} ms apart`;
    case 'failure-rate':
      return `failure-rate, at most ${plural(spec.maxFailures, 'failure')} in ${formatCount(spec.intervalMs)} ms, ${formatCount(spec.delayMs)} ms before each restart`;
    case 'exponential-delay':
      return `exponential-delay, ${formatCount(spec.initialBackoffMs)} ms at first, ×${spec.multiplier} each time, at most ${formatCount(spec.maxBackoffMs)} ms`;
    case 'none':
      return 'none: the first failure fails the job';
  }
}

function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${n === 1 ? noun : `${noun}s`}`;
}
