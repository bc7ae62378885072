/**
 * Every loop and queue has a limit. A run that reaches one ends with a message naming the
 * limit, never a hang or an out-of-memory crash in a classroom browser tab.
 */

/** Bounds on one simulation run. */
export interface Limits {
  /** Kernel events processed before the run is stopped. */
  maxSteps: number;
  /** Events waiting in the kernel's queue at once. */
  maxQueueSize: number;
  /** Trace events kept in memory. */
  maxTraceEvents: number;
  /**
   * Bytes of trace content, as the trace hash reads it (four bytes per 32-bit word: about
   * 2.4 times the length of the events' canonical JSON). Events carry values (a state's
   * new value at level full, what a sink wrote), so a few huge values make a huge trace
   * long before maxTraceEvents.
   */
  maxTraceBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxSteps: 50_000_000,
  maxQueueSize: 1_000_000,
  maxTraceEvents: 2_000_000,
  // windowed-100k.json (100,000 records, 417,750 events at level full) hashes 143 MB.
  maxTraceBytes: 1_000_000_000,
});

/** The `weir run` flag that sets each limit (docs/cli.md). */
export const LIMIT_FLAGS: Readonly<Record<keyof Limits, string>> = {
  maxSteps: '--max-steps',
  maxQueueSize: '--max-queue-size',
  maxTraceEvents: '--max-trace-events',
  maxTraceBytes: '--max-trace-bytes',
};

/**
 * Bounds of the simulation itself that no flag raises, because what is past them is a job
 * to change, not a run to enlarge (validation refuses what it can see of them beforehand).
 */
export type FixedBound = 'maxWindowAssignments';

const FIXED_BOUNDS: ReadonlySet<string> = new Set<FixedBound>(['maxWindowAssignments']);

/** Whether `limit` is a fixed bound: its message says what in the scenario to change, not which flag to raise. */
export function isFixedBound(limit: keyof Limits | FixedBound): limit is FixedBound {
  return FIXED_BOUNDS.has(limit);
}

/**
 * A limit was reached; the run stops here, with the seed and step that got there. For a
 * fixed bound, `where` is the whole message: what was exceeded and what to change.
 */
export class LimitExceededError extends Error {
  readonly limit: keyof Limits | FixedBound;
  readonly value: number;
  /**
   * `lowerTraceLevels`: for a trace limit, the levels below the run's own (`--trace-level`
   * values that record less), so that the advice names only those that would help.
   */
  constructor(limit: keyof Limits | FixedBound, value: number, where: string, lowerTraceLevels: readonly string[] = []) {
    const levels = lowerTraceLevels.length === 0 ? '' : `, or record fewer events with --trace-level ${lowerTraceLevels.join(' or ')}`;
    super(isFixedBound(limit) ? where : `limit ${limit} = ${value} reached ${where}; if the run is meant to be that large, raise it with weir run ${LIMIT_FLAGS[limit]} N or the scenario's run.limits.${limit}${levels}`);
    this.name = 'LimitExceededError';
    this.limit = limit;
    this.value = value;
  }
}

/** Fills in defaults and checks that every limit is a positive number. */
export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  const limits = { ...DEFAULT_LIMITS, ...partial };
  for (const [name, value] of Object.entries(limits)) {
    if (!(value > 0)) throw new RangeError(`limit ${name} must be positive, got ${value}`);
  }
  return limits;
}
