/**
 * A subtask's lifecycle as one state machine, Flink's ExecutionState with two inner steps
 * made visible: `finishing` (its input has ended; at its next step it lets its operators
 * finish) and `waiting-for-final-checkpoint` (it has finished its records and, with
 * checkpointing on, waits for one more checkpoint to complete before it closes its
 * outputs, so that the last transactions get committed: Flink's FLIP-147). Both are
 * RUNNING to the outside, as in Flink.
 *
 * Each state is a variant of one union; `transition` is the only way from one to the
 * next and refuses a move Flink never makes (a FINISHED task cannot fail, say).
 */
import { assert } from '../kernel/index.ts';
import type { ExecutionState } from '../trace/index.ts';

export type TaskLifecycle =
  | { readonly kind: 'created' }
  | { readonly kind: 'deploying' }
  | { readonly kind: 'initializing' }
  | { readonly kind: 'running' }
  | { readonly kind: 'finishing' }
  | { readonly kind: 'waiting-for-final-checkpoint'; readonly sinceCheckpoint: number | null }
  | { readonly kind: 'finished' }
  /** Its TaskManager died; the JobManager does not know yet (it still shows RUNNING) until the heartbeat times out. */
  | { readonly kind: 'lost' }
  | { readonly kind: 'canceling' }
  | { readonly kind: 'canceled' }
  | { readonly kind: 'failed'; readonly cause: string };

export type TaskLifecycleKind = TaskLifecycle['kind'];

const NEXT: Readonly<Record<TaskLifecycleKind, readonly TaskLifecycleKind[]>> = {
  created: ['deploying', 'canceled', 'failed'],
  deploying: ['initializing', 'lost', 'canceling', 'failed'],
  initializing: ['running', 'lost', 'canceling', 'failed'],
  running: ['finishing', 'waiting-for-final-checkpoint', 'finished', 'lost', 'canceling', 'failed'],
  finishing: ['waiting-for-final-checkpoint', 'finished', 'lost', 'canceling', 'failed'],
  'waiting-for-final-checkpoint': ['waiting-for-final-checkpoint', 'finished', 'lost', 'canceling', 'failed'],
  finished: [],
  lost: ['failed', 'canceling', 'canceled'],
  canceling: ['canceled', 'failed'],
  canceled: [],
  failed: [],
};

export function transition(from: TaskLifecycle, to: TaskLifecycle, task: string): TaskLifecycle {
  assert(NEXT[from.kind].includes(to.kind), () => `${task} cannot go from ${from.kind} to ${to.kind}`);
  return to;
}

/** What Flink's ExecutionState calls each lifecycle state. */
export function executionStateOf(l: TaskLifecycle): ExecutionState {
  switch (l.kind) {
    case 'created':
      return 'CREATED';
    case 'deploying':
      return 'DEPLOYING';
    case 'initializing':
      return 'INITIALIZING';
    case 'running':
    case 'finishing':
    case 'waiting-for-final-checkpoint':
    case 'lost':
      return 'RUNNING';
    case 'finished':
      return 'FINISHED';
    case 'canceling':
      return 'CANCELING';
    case 'canceled':
      return 'CANCELED';
    case 'failed':
      return 'FAILED';
  }
}

/** Whether the task still reads input and takes part in checkpoints. */
export function isActive(l: TaskLifecycle): boolean {
  return l.kind === 'running' || l.kind === 'finishing' || l.kind === 'waiting-for-final-checkpoint';
}

/** Whether the attempt is over. */
export function isTerminal(l: TaskLifecycle): boolean {
  return l.kind === 'finished' || l.kind === 'canceled' || l.kind === 'failed';
}
