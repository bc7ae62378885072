/**
 * A uniform integer over a range wider than the 2^32 values one random word covers. The
 * exponential-delay strategy's jitter is drawn from ±(backoff × jitter) of the *uncapped*
 * backoff, which after enough failures spans far more than 2^32 milliseconds. Two 32-bit
 * words make a 53-bit integer, and rejection removes the bias of the modulo, so every
 * engine draws the same number, exactly, from the same stream.
 */
import { assert, type RandomStream } from '../kernel/index.ts';

const TWO_POW_32 = 0x1_0000_0000;
/** 2^53: one more than Number.MAX_SAFE_INTEGER; every integer below it is exact. */
const TWO_POW_53 = Number.MAX_SAFE_INTEGER + 1;

/**
 * A uniform integer in [min, max], both included; the range may hold up to 2^53 values.
 * @example drawUniformInteger(random, -5_000_000_000, 5_000_000_000)
 */
export function drawUniformInteger(random: RandomStream, min: number, max: number): number {
  assert(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max, () => `drawUniformInteger needs safe integers min <= max, got ${min}, ${max}`);
  const span = max - min + 1;
  assert(span <= TWO_POW_53, () => `drawUniformInteger covers at most 2^53 values, got ${span}`);
  if (span <= TWO_POW_32) return random.int(min, max);
  // Reject the top sliver of [0, 2^53) that would favour small results.
  const limit = TWO_POW_53 - (TWO_POW_53 % span);
  for (;;) {
    const high = random.nextUint32() & 0x1f_ffff; // 21 bits
    const x = high * TWO_POW_32 + random.nextUint32();
    if (x < limit) return min + (x % span);
  }
}
