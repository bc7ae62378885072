/**
 * Seeded randomness. One root seed drives a run; each component draws from its own named
 * stream, whose state is derived from (root seed, name) alone. Adding a component, or one
 * component drawing more often, therefore never changes what any other component draws,
 * which keeps a shrunk counterexample meaningful.
 *
 * The generator is sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of
 * state, integer operations only (`Math.imul`, shifts, `| 0`), so V8 in Node and Chromium,
 * or any other engine, produce the same numbers bit for bit. No floating-point function
 * decides anything.
 */
import { assert } from './assert.ts';

/** The four 32-bit words of one stream's state. */
export type RandomState = readonly [number, number, number, number];

/** 32-bit string hash (murmur3's finaliser over FNV-1a) for deriving stream seeds. */
function hashString(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) | 0;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** splitmix32: spreads one 32-bit seed into well-mixed words. */
function splitmix32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) | 0;
  };
}

/** Normalises a seed (any safe integer, negative included) to a string the hash reads. */
function seedText(seed: number): string {
  assert(Number.isSafeInteger(seed), `a seed must be a safe integer, got ${seed}`);
  return String(seed);
}

/** The initial state of the stream `name` under `rootSeed`. */
export function deriveState(rootSeed: number, name: string): RandomState {
  const text = `${seedText(rootSeed)}/${name}`;
  const mix = splitmix32(hashString(text, 0x5eed) ^ hashString(text, 0x1234567));
  const state: [number, number, number, number] = [mix(), mix(), mix(), mix()];
  return state;
}

const TWO_POW_32 = 4294967296;

/**
 * One component's random stream.
 * @example
 * const r = new RandomStreams(7).stream('faults');
 * r.int(1, 6);          // a die roll
 * r.chance(1, 100);     // true about once in a hundred
 */
export class RandomStream {
  readonly name: string;
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #draws = 0;

  constructor(name: string, state: RandomState) {
    this.name = name;
    [this.#a, this.#b, this.#c, this.#d] = state;
    // sfc32's recommended warm-up, so that similar seeds diverge at once.
    for (let i = 0; i < 12; i++) this.nextUint32();
    this.#draws = 0;
  }

  /** How many 32-bit words this stream has produced (for diagnostics). */
  get draws(): number {
    return this.#draws;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const a = this.#a, b = this.#b, c = this.#c, d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    this.#draws++;
    return t >>> 0;
  }

  /** A uniform integer in [0, n), without modulo bias; n at most 2^32. */
  below(n: number): number {
    assert(Number.isSafeInteger(n) && n > 0 && n <= TWO_POW_32, () => `below(n) needs 1 <= n <= 2^32, got ${n}`);
    // Reject the top sliver of the 32-bit range that would favour small results. The
    // remainders are worked out by a division and a floor, not `%`: on numbers past int32 a
    // `%` is a call into the runtime, and for values below 2^32 the floored quotient is exact.
    const limit = Math.floor(TWO_POW_32 / n) * n;
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x - Math.floor(x / n) * n;
    }
  }

  /** A uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    assert(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max, () => `int(min, max) needs integers min <= max, got ${min}, ${max}`);
    return min + this.below(max - min + 1);
  }

  /** True with probability numerator/denominator, decided in integers. */
  chance(numerator: number, denominator: number): boolean {
    assert(numerator >= 0 && numerator <= denominator, () => `chance needs 0 <= ${numerator} <= ${denominator}`);
    return this.below(denominator) < numerator;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'cannot pick from an empty list');
    return items[this.below(items.length)]!;
  }

  /** A new array with the items in a uniformly random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = out[i]!;
      out[i] = out[j]!;
      out[j] = tmp;
    }
    return out;
  }

  snapshot(): RandomStreamSnapshot {
    return { state: [this.#a, this.#b, this.#c, this.#d], draws: this.#draws };
  }

  restore(snapshot: RandomStreamSnapshot): void {
    [this.#a, this.#b, this.#c, this.#d] = snapshot.state;
    this.#draws = snapshot.draws;
  }
}

export interface RandomStreamSnapshot {
  readonly state: RandomState;
  readonly draws: number;
}

/**
 * The named streams of one run, all derived from its root seed.
 * @example
 * const streams = new RandomStreams(42);
 * streams.stream('network').int(0, 5); // unaffected by any other stream's draws
 */
export class RandomStreams {
  readonly seed: number;
  readonly #streams = new Map<string, RandomStream>();

  constructor(seed: number) {
    seedText(seed);
    this.seed = seed;
  }

  /** The stream called `name`, created on first use from (seed, name). */
  stream(name: string): RandomStream {
    let s = this.#streams.get(name);
    if (s === undefined) {
      s = new RandomStream(name, deriveState(this.seed, name));
      this.#streams.set(name, s);
    }
    return s;
  }

  snapshot(): RandomStreamsSnapshot {
    const streams: Record<string, RandomStreamSnapshot> = {};
    for (const name of [...this.#streams.keys()].sort()) streams[name] = this.#streams.get(name)!.snapshot();
    return { seed: this.seed, streams };
  }

  /**
   * Puts every stream back where the snapshot had it. A stream created after the snapshot
   * goes back to its initial state (the objects stay, so holders keep valid references).
   */
  restore(snapshot: RandomStreamsSnapshot): void {
    assert(snapshot.seed === this.seed, `snapshot is of seed ${snapshot.seed}, not ${this.seed}`);
    for (const [name, stream] of this.#streams) {
      const saved = snapshot.streams[name];
      if (saved !== undefined) stream.restore(saved);
      else stream.restore(new RandomStream(name, deriveState(this.seed, name)).snapshot());
    }
    for (const name of Object.keys(snapshot.streams)) {
      if (!this.#streams.has(name)) this.stream(name).restore(snapshot.streams[name]!);
    }
  }
}

export interface RandomStreamsSnapshot {
  readonly seed: number;
  readonly streams: Readonly<Record<string, RandomStreamSnapshot>>;
}
