/**
 * The cost of a sliding window: each record lands in size / slide windows, each with its
 * own state and timer. Validation bounds it against the records a file's sources hold, but
 * an operator before the window can multiply them (a flatMap, a union of a stream with
 * itself), and the DataStream API has no validation: so the window operator counts too,
 * and stops the run where validation would have refused the file.
 */
import { LimitExceededError } from '../../kernel/index.ts';

/** Window assignments a run may make (size / slide per record). Validation uses the same bound. */
export const MAX_WINDOW_ASSIGNMENTS = 20_000_000;

/**
 * The run stopped: one subtask attempt of a sliding window made more than
 * MAX_WINDOW_ASSIGNMENTS. Counted per subtask attempt, not shared: a subtask sees each
 * record of its input at most once per attempt, so a job validation accepted never gets
 * here however its keys are skewed, and a restart starts the count again.
 * @example throw windowAssignmentsExceeded('w', 'w#0', 1000, 1)
 */
export function windowAssignmentsExceeded(operator: string, task: string, sizeMs: number, slideMs: number): LimitExceededError {
  const perRecord = Math.ceil(sizeMs / slideMs);
  return new LimitExceededError(
    'maxWindowAssignments',
    MAX_WINDOW_ASSIGNMENTS,
    `operator '${operator}': a sliding window of size ${sizeMs} every ${slideMs} ms puts each record in ${perRecord} windows, and ${task} has made ${MAX_WINDOW_ASSIGNMENTS} window assignments (more records reached it than the input holds: an operator before it multiplies them); at most ${MAX_WINDOW_ASSIGNMENTS}: make the slide larger or the input smaller`,
  );
}
