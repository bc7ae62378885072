/**
 * Assertions that stay on in production. A simulation that breaks an invariant must stop
 * and say how to get back to that exact moment: the seed and the step. The kernel sets the
 * context; code anywhere below calls `assert` and the failure carries it.
 */

/** Where a simulation was when an assertion failed: enough to reproduce it. */
export interface AssertionContext {
  seed: number;
  step: number;
  timeMs: number;
}

let context: AssertionContext | null = null;

/**
 * Sets the context reported by failed assertions (the running kernel does this). A plain
 * module variable is enough: a simulation runs to completion on one thread, and the kernel
 * restores the previous context when it yields.
 */
export function setAssertionContext(next: AssertionContext | null): AssertionContext | null {
  const previous = context;
  context = next;
  return previous;
}

/** Thrown when an invariant is broken: a bug in Weir or in a scenario's assumptions. */
export class SimulationAssertionError extends Error {
  readonly seed: number | null;
  readonly step: number | null;
  readonly timeMs: number | null;
  constructor(message: string, where: AssertionContext | null) {
    // Copy the numbers now: the kernel reuses its context object from step to step.
    super(
      where === null
        ? `assertion failed: ${message}`
        : `assertion failed at step ${where.step} (t=${where.timeMs} ms, seed ${where.seed}): ${message}`,
    );
    this.name = 'SimulationAssertionError';
    this.seed = where?.seed ?? null;
    this.step = where?.step ?? null;
    this.timeMs = where?.timeMs ?? null;
  }
}

/**
 * Fails with the seed and step when `condition` is false. On a hot path pass the message
 * as a function, so that it is only built when the assertion fails.
 * @example assert(watermark >= previous, () => `watermark went back from ${previous} to ${watermark}`)
 */
export function assert(condition: boolean, message: string | (() => string)): asserts condition {
  if (!condition) throw new SimulationAssertionError(typeof message === 'string' ? message : message(), context);
}
