/**
 * Key groups, as Flink computes them. A key is hashed into one of `maxParallelism` key
 * groups, and each subtask of a keyed operator owns a contiguous range of them. State is
 * organised by key group, so when parallelism changes, whole key groups move between
 * subtasks and no key is ever split. `maxParallelism` is therefore the upper bound on
 * parallelism and cannot change without losing state.
 */
import { stableHash32 } from '../expr/index.ts';
import { assert } from '../kernel/index.ts';
import type { JsonValue } from '../model/index.ts';

/** Flink's bounds for the default max parallelism. */
const DEFAULT_LOWER = 128;
const UPPER = 32768;

/**
 * Flink's default: 1.5 x parallelism rounded up to a power of two, between 128 and 32768.
 * @example defaultMaxParallelism(4) // 128; defaultMaxParallelism(200) // 512
 */
export function defaultMaxParallelism(parallelism: number): number {
  const wanted = parallelism + (parallelism >> 1);
  let p = 1;
  while (p < wanted) p *= 2;
  return Math.min(Math.max(p, DEFAULT_LOWER), UPPER);
}

/**
 * murmur3's 32-bit finaliser, spreading the key's hash before the modulo (Flink's
 * MathUtils.murmurHash plays this part over Java's hashCode; the values differ from Flink's,
 * the distribution property is the same).
 */
function murmurMix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The key group of `key`: a stable hash of its canonical JSON, mod maxParallelism. */
export function keyGroupOf(key: JsonValue, maxParallelism: number): number {
  return murmurMix(stableHash32(key)) % maxParallelism;
}

/** The subtask that owns key group `keyGroup` (Flink's computeOperatorIndexForKeyGroup). */
export function subtaskForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The inclusive key-group range of one subtask (Flink's KeyGroupRangeAssignment). */
export function keyGroupRange(maxParallelism: number, parallelism: number, subtask: number): { start: number; end: number } {
  assert(parallelism >= 1 && parallelism <= maxParallelism, `parallelism ${parallelism} must be in 1..${maxParallelism}`);
  const start = Math.floor((subtask * maxParallelism + parallelism - 1) / parallelism);
  const end = Math.floor(((subtask + 1) * maxParallelism + parallelism - 1) / parallelism) - 1;
  return { start, end };
}

/** Small non-negative integer keys (ids, counters) get a typed-array memo: no hashing of the key. */
const SMALL_INT_KEYS = 65_536;

/**
 * `keyGroupOf` with a memo for primitive keys, which the hot path (every record through a
 * hash partitioner or into keyed state) sees over and over. Small non-negative integers are
 * looked up in a typed array (-1: not yet computed); other primitives in a Map that is
 * cleared when full.
 */
export function cachedKeyGroupOf(maxParallelism: number, capacity = 65_536): (key: JsonValue) => number {
  let small: Int32Array | null = null;
  const memo = new Map<string | number | boolean, number>();
  return (key) => {
    if (typeof key === 'number' && key >>> 0 === key && key < SMALL_INT_KEYS) {
      small ??= new Int32Array(SMALL_INT_KEYS).fill(-1);
      let group = small[key]!;
      if (group < 0) small[key] = group = keyGroupOf(key, maxParallelism);
      return group;
    }
    if (key === null || typeof key === 'object') return keyGroupOf(key, maxParallelism);
    let group = memo.get(key);
    if (group === undefined) {
      if (memo.size >= capacity) memo.clear();
      group = keyGroupOf(key, maxParallelism);
      memo.set(key, group);
    }
    return group;
  };
}
