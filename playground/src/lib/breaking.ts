/**
 * Breaking a job from the page: a fault a person adds at the cursor (kill a subtask, make
 * its user function throw, slow it down) becomes a fault of the scenario's plan, in the
 * scenario format's own words, and the run is simulated again from the start with it. The
 * fault joins the plan, so the new run is as deterministic as any other: `weir run` of the
 * file with that fault added gives the same trace hash.
 */

export type BreakKind = 'kill-task' | 'throw-in-operator' | 'slow-task';

/** A fault of the plan as the scenario file writes it. */
export type AddedFault = Readonly<Record<string, string | number>>;

/** How long and how much slower a `slow-task` added from the page is. */
export const SLOW_FACTOR = 10;
export const SLOW_FOR_MS = 1000;

/**
 * The fault `kind` on subtask `task` (`vertex#index`; the vertex id is its chain's head operator) at `atMs`.
 * @example faultAt('kill-task', 'counts#1', 1500) // { type: 'kill-task', operator: 'counts', subtask: 1, at: 1500 }
 */
export function faultAt(kind: BreakKind, task: string, atMs: number): AddedFault {
  const hash = task.lastIndexOf('#');
  const operator = task.slice(0, hash);
  const subtask = Number(task.slice(hash + 1));
  switch (kind) {
    case 'kill-task':
      return { type: kind, operator, subtask, at: atMs };
    case 'throw-in-operator':
      return { type: kind, operator, subtask, at: atMs };
    case 'slow-task':
      return { type: kind, operator, subtask, factor: SLOW_FACTOR, for: SLOW_FOR_MS, at: atMs };
  }
}

/**
 * Kills TaskManager `taskManager` (`tm-1`, ...) at `atMs`: every subtask in its slots dies with it.
 * @example taskManagerFaultAt('tm-2', 2500) // { type: 'kill-taskmanager', taskManager: 'tm-2', at: 2500 }
 */
export function taskManagerFaultAt(taskManager: string, atMs: number): AddedFault {
  return { type: 'kill-taskmanager', taskManager, at: atMs };
}

/** The scenario's data with `added` appended to its plan. */
export function withFaults(data: unknown, added: readonly AddedFault[]): unknown {
  if (added.length === 0 || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  const own = (data as Record<string, unknown>)['faults'];
  return { ...(data as Record<string, unknown>), faults: [...(Array.isArray(own) ? own : []), ...added] };
}

/** One line for the fault lane: "kill-task counts#1 at 1,500 ms". */
export function describeFault(f: AddedFault): string {
  const at = Number(f['at']).toLocaleString('en-US');
  if (f['type'] === 'kill-taskmanager') return `kill-taskmanager ${f['taskManager']} at ${at} ms`;
  const extra = f['type'] === 'slow-task' ? ` (${f['factor']}× slower for ${f['for']} ms)` : '';
  return `${f['type']} ${f['operator']}#${f['subtask']} at ${at} ms${extra}`;
}
