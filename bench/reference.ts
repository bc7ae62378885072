/**
 * The answers every implementation must give, and the folds that compute them. A run
 * whose outputs or checksum differ from this table measured something other than the
 * workload, so its speed means nothing: the runner fails it.
 *
 * All folds are unsigned 32-bit. `Math.imul(a, b)` is a*b mod 2^32 for any integer a and b
 * a double holds exactly (it reduces both to int32 first, which is congruent mod 2^32), and
 * a sum of a few int32 values is exact in a double, so `>>> 0` on it reduces correctly,
 * negative terms included. A naive `h * 31 + ...` would pass 2^53 and lose its low bits.
 */
import type { Workload } from './workloads.ts';

export interface ReferenceRow {
  readonly events: number;
  /** `inputFingerprint` of the first `events` events. */
  readonly fingerprint: number;
  readonly w1: { readonly outputs: number; readonly checksum: number };
  /** W2 and W3 give the same results. */
  readonly windows: { readonly outputs: number; readonly checksum: number; readonly late: number };
}

/** From `/work/shared/bench/WORKLOADS.md`, restated in `bench/WORKLOADS.md`. */
export const REFERENCE: readonly ReferenceRow[] = [
  {
    events: 1_000,
    fingerprint: 185792477,
    w1: { outputs: 748, checksum: 115555 },
    windows: { outputs: 643, checksum: 721426932, late: 0 },
  },
  {
    events: 100_000,
    fingerprint: 691443219,
    w1: { outputs: 74922, checksum: 11227890 },
    windows: { outputs: 63220, checksum: 2980734308, late: 0 },
  },
  {
    events: 1_000_000,
    fingerprint: 3610339868,
    w1: { outputs: 749856, checksum: 112419033 },
    windows: { outputs: 632219, checksum: 348334597, late: 0 },
  },
];

export function referenceFor(events: number): ReferenceRow | undefined {
  return REFERENCE.find((row) => row.events === events);
}

/** The expected outputs/checksum/late of `workload` on `events` events, if the table has them. */
export function expectedResult(
  workload: Workload,
  events: number,
): { readonly outputs: number; readonly checksum: number; readonly late: number } | undefined {
  const row = referenceFor(events);
  if (row === undefined) return undefined;
  return workload === 'W1' ? { ...row.w1, late: 0 } : row.windows;
}

/** W1's checksum step: the sum of kept values, mod 2^32. */
export function w1Step(h: number, v: number): number {
  return (h + (v >>> 0)) >>> 0;
}

/** W2/W3's checksum step for one window result. `windowStart` must be a multiple of 1000. */
export function windowStep(h: number, key: number, windowStart: number, count: number, sum: number): number {
  return (
    (Math.imul(h, 31) + Math.imul(key, 7) + Math.imul(windowStart / 1000, 13) + Math.imul(count, 17) + (sum | 0)) >>> 0
  );
}

/** Window results as columns: result i is (key[i], [windowStart[i], windowEnd[i]), count[i], sum[i]). */
export interface WindowResults {
  readonly length: number;
  readonly key: ArrayLike<number>;
  readonly windowStart: ArrayLike<number>;
  readonly windowEnd: ArrayLike<number>;
  readonly count: ArrayLike<number>;
  readonly sum: ArrayLike<number>;
}

/**
 * W2/W3's checksum: the results sorted by (windowEnd, key), then folded with `windowStep`.
 * @example
 * windowChecksum({ length: 1, key: [1], windowStart: [0], windowEnd: [1000], count: [1], sum: [2] });
 * // 0*31 + 1*7 + 0*13 + 1*17 + 2 = 26
 */
export function windowChecksum(results: WindowResults): number {
  const { length, key, windowStart, windowEnd, count, sum } = results;
  const order = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    const start = windowStart[i]!;
    if (!Number.isSafeInteger(start / 1000)) {
      throw new Error(`window result ${i} starts at ${start}, not a multiple of 1000`);
    }
    if (!Number.isSafeInteger(key[i]!) || !Number.isSafeInteger(count[i]!) || !Number.isSafeInteger(sum[i]!)) {
      throw new Error(`window result ${i} has a non-integer key, count or sum`);
    }
    order[i] = i;
  }
  order.sort((a, b) => windowEnd[a]! - windowEnd[b]! || key[a]! - key[b]!);
  let h = 0;
  for (let j = 0; j < length; j++) {
    const i = order[j]!;
    h = windowStep(h, key[i]!, windowStart[i]!, count[i]!, sum[i]!);
  }
  return h;
}
