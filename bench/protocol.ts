/**
 * What the runner (`bench/run.ts`) and its child processes (`bench/child.ts`) agree on.
 */

/** Marks the child's result line on stdout, so stray output from an implementation cannot be mistaken for it. */
export const RESULT_PREFIX = '@weir-bench ';

/** The warm-up runs on at most this many events (and never more than N). */
export const WARMUP_EVENTS_MAX = 100_000;

/** Child exit codes. */
export const CHILD_EXIT = { ok: 0, internal: 1, usage: 2, verification: 3 } as const;
