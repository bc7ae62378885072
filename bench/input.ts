/**
 * The benchmark's input: N events drawn from mulberry32 seeded with 42, the same for every
 * implementation and every run. The events are kept as three parallel Int32Arrays
 * (struct of arrays) rather than N objects, so that generating a million of them is quick,
 * costs 12 MB, and is never part of what is timed: the runner builds the input first and
 * times only the processing.
 *
 * Event i draws, in this order, key = floor(rand * 1000), value = floor(rand * 100) and
 * ts = i + floor(rand * 101) - 50, so event time runs with the index but up to 50 ms either
 * way out of order (and is negative for some of the first events).
 */

/** N events as parallel columns: event i is (key[i], value[i], ts[i]). */
export interface BenchInput {
  readonly n: number;
  readonly key: Int32Array;
  readonly value: Int32Array;
  /** Event time in ms; may be negative near the start. */
  readonly ts: Int32Array;
}

/** One event, for tests and messages (the hot paths read the columns). */
export interface BenchEvent {
  readonly key: number;
  readonly value: number;
  readonly ts: number;
}

export const INPUT_SEED = 42;

/**
 * mulberry32 with its state kept as an int32 (`| 0` after every add), returning a float in
 * [0, 1) built from an unsigned 32-bit word. Integer operations only, so every JavaScript
 * engine draws the same numbers.
 * @example
 * const rand = mulberry32(42);
 * Math.floor(rand() * 1000); // 601
 */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The first `n` events of the benchmark input.
 * @example
 * const input = generateInput(1000);
 * eventAt(input, 0); // { key: 601, value: 44, ts: 36 }
 */
export function generateInput(n: number): BenchInput {
  if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new RangeError(`the number of events must be an integer in [0, 2^31), got ${n}`);
  }
  const rand = mulberry32(INPUT_SEED);
  const key = new Int32Array(n);
  const value = new Int32Array(n);
  const ts = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    key[i] = Math.floor(rand() * 1000);
    value[i] = Math.floor(rand() * 100);
    ts[i] = i + Math.floor(rand() * 101) - 50;
  }
  return { n, key, value, ts };
}

/** Event `i` as an object. */
export function eventAt(input: BenchInput, i: number): BenchEvent {
  if (!(i >= 0 && i < input.n)) throw new RangeError(`event ${i} is outside the input (n = ${input.n})`);
  return { key: input.key[i]!, value: input.value[i]!, ts: input.ts[i]! };
}

/**
 * The input's fingerprint: h = (h*31 + key*7 + value*13 + ts) mod 2^32 over the events,
 * as an unsigned 32-bit integer. `Math.imul` keeps every product exact mod 2^32 (a plain
 * `h * 31` would lose low bits once it passes 2^53), and the sum of four int32 values is
 * exact in a double, so `>>> 0` reduces it correctly, negative `ts` included.
 */
export function inputFingerprint(input: BenchInput): number {
  const { n, key, value, ts } = input;
  let h = 0;
  for (let i = 0; i < n; i++) {
    h = (Math.imul(h, 31) + Math.imul(key[i]!, 7) + Math.imul(value[i]!, 13) + ts[i]!) >>> 0;
  }
  return h;
}
