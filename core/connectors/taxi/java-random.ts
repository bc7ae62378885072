/**
 * `java.util.Random`, exactly: the generator the training course seeds with a rideId to
 * derive every field of a ride and a fare. Java specifies the algorithm (a 48-bit linear
 * congruential generator, seed = seed * 0x5DEECE66D + 0xB mod 2^48, and how nextInt,
 * nextDouble and nextGaussian are built on it), so a port gives the same numbers as the
 * JVM. The 48-bit state is kept as two 24-bit halves so that every product stays below
 * 2^53 and is exact in a double: no BigInt on the path, the same bits in every engine.
 */
import { assert } from '../../kernel/index.ts';
import { strictLog } from './strict-log.ts';

const TWO_24 = 0x1000000;
const TWO_48 = TWO_24 * TWO_24;
/** The multiplier 0x5DEECE66D as its high and low 24 bits. */
const MULT_HI = 0x5de;
const MULT_LO = 0xece66d;
const INT_MAX = 0x7fffffff;
const TWO_31 = 0x80000000;

/** Powers of two from 2^0 to 2^48, exact, for shifting the state right (no `**`). */
const POW2: readonly number[] = Array.from({ length: 49 }, (_, i) => {
  let p = 1;
  for (let j = 0; j < i; j++) p *= 2;
  return p;
});

/**
 * A java.util.Random with a seed given as a whole number in [0, 2^48) (Java keeps only the
 * low 48 bits of a long seed, so this is every seed there is).
 * @example new JavaRandom(42).nextInt(10) // 0, as `new java.util.Random(42).nextInt(10)`
 */
export class JavaRandom {
  #hi: number;
  #lo: number;
  #nextGaussian = 0;
  #haveNextGaussian = false;

  constructor(seed: number) {
    assert(Number.isSafeInteger(seed) && seed >= 0 && seed < TWO_48, () => `a Java Random seed here is a whole number in [0, 2^48), found ${seed}`);
    // Java scrambles the seed: (seed ^ 0x5DEECE66D) & (2^48 - 1).
    this.#hi = Math.floor(seed / TWO_24) ^ MULT_HI;
    this.#lo = seed % TWO_24 ^ MULT_LO;
  }

  /** The next `bits` (1..31) high bits of the state, as Java's protected next(bits). */
  next(bits: number): number {
    const lo = this.#lo * MULT_LO + 0xb;
    const carry = Math.floor(lo / TWO_24);
    this.#hi = (this.#hi * MULT_LO + this.#lo * MULT_HI + carry) % TWO_24;
    this.#lo = lo % TWO_24;
    return Math.floor((this.#hi * TWO_24 + this.#lo) / POW2[48 - bits]!);
  }

  /** A uniform int in [0, bound), with Java's rejection of the biased tail. */
  nextInt(bound: number): number {
    assert(Number.isSafeInteger(bound) && bound > 0 && bound <= 0x100000, () => `nextInt bound must be in [1, 2^20] here, found ${bound}`);
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Math.floor((bound * r) / TWO_31);
    // Java loops while u - r + m overflows an int, i.e. u lies in the incomplete last block.
    for (let u = r; u - (r = u % bound) + m > INT_MAX; u = this.next(31));
    return r;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    return (this.next(26) * 0x8000000 + this.next(27)) / POW2[48]! / 0x20;
  }

  /** A standard normal draw by Marsaglia's polar method; draws come in pairs, as in Java. */
  nextGaussian(): number {
    if (this.#haveNextGaussian) {
      this.#haveNextGaussian = false;
      return this.#nextGaussian;
    }
    let v1: number;
    let v2: number;
    let s: number;
    do {
      v1 = 2 * this.nextDouble() - 1;
      v2 = 2 * this.nextDouble() - 1;
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s === 0);
    const multiplier = Math.sqrt((-2 * strictLog(s)) / s);
    this.#nextGaussian = v2 * multiplier;
    this.#haveNextGaussian = true;
    return v1 * multiplier;
  }
}
