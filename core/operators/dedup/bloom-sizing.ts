/**
 * How big a Bloom filter must be. For n expected items and a wanted false-positive rate p,
 * the textbook optimum is m = ceil(-n ln p / (ln 2)^2) bits and k = round((m / n) ln 2)
 * hash functions (at least one): with k chosen so, half the bits end up set when n items
 * are in, and the chance that k probes all hit set bits is p. Computed with the
 * engine-independent `naturalLog`, so every engine sizes the same filter.
 *
 * Weir keeps one filter per key group so that the filter can be checkpointed and rescaled
 * the way keyed state is (docs/dedup.md): each of the maxParallelism filters gets
 * ceil(m / maxParallelism) bits and the same k, since each sees about n / maxParallelism
 * of the keys (k is lowered where a group's own bits and keys make it too many).
 */
import { LN2, naturalLog } from './natural-log.ts';

/** The most bits a filter may have in all: 2^28 bits, 32 MiB, a lot for a browser tab. */
export const MAX_BLOOM_BITS = 268_435_456;

export interface BloomSizing {
  /** m, the filter's bits. */
  readonly bits: number;
  /** k, the number of bit positions each key sets and tests. */
  readonly hashFunctions: number;
}

/**
 * m and k for `expectedItems` (an integer >= 1) and `falsePositiveRate` in (0, 1).
 * @example bloomSizing(1_000_000, 0.01) // { bits: 9585059, hashFunctions: 7 }
 */
export function bloomSizing(expectedItems: number, falsePositiveRate: number): BloomSizing {
  const bits = Math.ceil((-expectedItems * naturalLog(falsePositiveRate)) / (LN2 * LN2));
  const hashFunctions = Math.max(1, Math.round((bits / expectedItems) * LN2));
  return { bits, hashFunctions };
}

/** The bits of each key group's filter: ceil(m / maxParallelism), at least 1. */
export function bitsPerKeyGroup(bits: number, maxParallelism: number): number {
  return Math.max(1, Math.ceil(bits / maxParallelism));
}

/**
 * k for one key group's filter: the textbook k, but never more than is optimal for the
 * group's own bits and keys (at least one). The two agree while there are at least as many
 * keys as groups; with fewer (and a small p) the global k can exceed a group's bits, and
 * one key would then set almost all of them, so every later key of the group looked seen.
 * @example hashFunctionsPerKeyGroup({ bits: 14378, hashFunctions: 997 }, 10, 128) // 78
 */
export function hashFunctionsPerKeyGroup(sizing: BloomSizing, expectedItems: number, maxParallelism: number): number {
  const bits = bitsPerKeyGroup(sizing.bits, maxParallelism);
  // A group's bits are at least m / maxParallelism, so with n >= maxParallelism this is never below the textbook k.
  const items = Math.max(1, expectedItems / maxParallelism);
  return Math.max(1, Math.min(sizing.hashFunctions, Math.round((bits / items) * LN2)));
}
