/**
 * The order in which a finished run's panels appear: the transport and the graph first, then
 * one group a task (a zero-delay timer apart), so that the page answers between them. The
 * render of a 200,000-record run's panels took 1.4 s in one task; in groups, none is long.
 */
export const STAGE = { moment: 2, charts: 3, find: 4, outputs: 5, tables: 9, trace: 10 } as const;

/** Rows each output table shows, growing one step a stage from STAGE.outputs (its last is the table's own limit). */
export const OUTPUT_ROWS = [150, 400, 700, 1_000] as const;

export const LAST_STAGE = STAGE.trace;

/**
 * Calls `show` with 2, 3, ... LAST_STAGE, one call a task, for a finished run; nothing for
 * none. Returns what stops it (a newer outcome).
 */
export function revealStages(
  outcome: unknown,
  show: (stage: number) => void,
  later: (callback: () => void) => unknown = (callback) => setTimeout(callback, 0),
  cancel: (handle: unknown) => void = (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
): () => void {
  let stage = 1;
  let handle: unknown = null;
  const next = (): void => {
    stage++;
    show(stage);
    handle = stage < LAST_STAGE ? later(next) : null;
  };
  if (outcome !== null) handle = later(next);
  return () => {
    if (handle !== null) cancel(handle);
  };
}
