/**
 * The names and parameters of the benchmark workloads (stated in full in
 * `bench/WORKLOADS.md`). Implementations share these constants so that a change of window
 * size or watermark cadence cannot reach one implementation and miss another.
 */

/** The end-to-end workloads every implementation runs. */
export const WORKLOADS = ['W1', 'W2', 'W3'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** Micro-benchmarks of Weir's own kernel and trace (impl `weir`, see `bench/kernel.ts`). */
export const KERNEL_WORKLOADS = ['kernel.schedule', 'kernel.trace.off', 'kernel.trace.summary', 'kernel.trace.full'] as const;
export type KernelWorkload = (typeof KERNEL_WORKLOADS)[number];

/** `weir check`'s property runs on a small job, one line per sink type (impl `weir`, see `bench/check.ts`). */
export const CHECK_WORKLOADS = ['check.print', 'check.two-phase-commit', 'check.write-ahead-log', 'check.idempotent'] as const;
export type CheckWorkload = (typeof CHECK_WORKLOADS)[number];

/**
 * A whole scenario file (bench/scenarios/windowed-100k.json: 100,000 records through a keyed
 * tumbling window) run as `weir run` runs it, at trace level full and summary (impl `weir`,
 * see `bench/scenario-run.ts`; `npm run bench:browser` runs the same in Chromium).
 */
export const SCENARIO_WORKLOADS = ['scenario.full', 'scenario.summary'] as const;
export type ScenarioWorkload = (typeof SCENARIO_WORKLOADS)[number];

export function isScenarioWorkload(name: string): name is ScenarioWorkload {
  return (SCENARIO_WORKLOADS as readonly string[]).includes(name);
}

export function isCheckWorkload(name: string): name is CheckWorkload {
  return (CHECK_WORKLOADS as readonly string[]).includes(name);
}

export function isWorkload(name: string): name is Workload {
  return (WORKLOADS as readonly string[]).includes(name);
}

export function isKernelWorkload(name: string): name is KernelWorkload {
  return (KERNEL_WORKLOADS as readonly string[]).includes(name);
}

/** W2/W3: tumbling event-time windows of this size, aligned to 0 (no offset). */
export const WINDOW_SIZE_MS = 1000;

/**
 * W2/W3: the watermark is (max event time seen) - WATERMARK_LAG_MS. In Flink terms this is
 * `forBoundedOutOfOrderness(99 ms)`, because Flink emits max - bound - 1.
 */
export const WATERMARK_LAG_MS = 100;

/** W2/W3: the baselines emit a watermark after every this many records. */
export const WATERMARK_EVERY_RECORDS = 1000;

/** W3: the window operator's parallelism. */
export const W3_PARALLELISM = 4;

/**
 * The start of the tumbling window holding `ts`: floors toward minus infinity, so
 * ts = -1 lies in [-1000, 0), not in [0, 1000) as `ts - ts % size` would put it.
 * @example
 * windowStartOf(1999, 1000); // 1000
 * windowStartOf(-1, 1000);   // -1000
 */
export function windowStartOf(ts: number, sizeMs: number): number {
  return ts - (((ts % sizeMs) + sizeMs) % sizeMs);
}
