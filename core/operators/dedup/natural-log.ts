/**
 * The natural logarithm from exact arithmetic only. A Bloom filter's size is
 * ceil(-n ln p / (ln 2)^2) bits, and that number decides which bit every key sets: if one
 * JavaScript engine's `Math.log` differed from another's in the last bit (the language
 * does not pin it down), a size on a rounding edge would differ by one bit and so would
 * every drop decision after it, and a run would no longer hash the same in Node and in
 * Chromium. `+ - * /` are exact IEEE-754 operations, the same everywhere, so this file
 * builds `ln` from them alone:
 *
 * - x = mantissa * 2^e by multiplying or dividing by 2 (exact: only the exponent moves),
 *   with the mantissa brought into [sqrt(1/2), sqrt(2)) where the series converges fast;
 * - ln(mantissa) = 2 * (z + z^3/3 + z^5/5 + ...), z = (m - 1) / (m + 1), |z| <= 0.172, a
 *   fixed number of terms (z^2 <= 0.0295, so 16 terms leave far less than an ulp);
 * - ln x = e * ln 2 + ln(mantissa), ln 2 as a literal.
 *
 * The result is within a few ulps of the true value (tests hold it to 1e-15 relative of
 * Math.log), and, what matters more here, bit for bit the same in every engine.
 */
import { assert } from '../../kernel/index.ts';

/** ln 2, the double nearest to it. */
export const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;
/** Terms of the atanh series: fixed, so the result never depends on a convergence test. */
const SERIES_TERMS = 16;
/** 2^-1074 needs 1074 doublings to reach 1; 2^1024 does not exist. A bound for the loops. */
const MAX_EXPONENT_STEPS = 1100;

/**
 * The natural logarithm of a positive finite number, the same bits in every engine.
 * @example naturalLog(0.01) // -4.605170185988091 (Math.log(0.01) gives the same here)
 */
export function naturalLog(x: number): number {
  assert(Number.isFinite(x) && x > 0, () => `naturalLog needs a positive finite number, found ${x}`);
  let m = x;
  let e = 0;
  for (let steps = 0; m < 1; steps++) {
    assert(steps < MAX_EXPONENT_STEPS, 'naturalLog: exponent loop did not end');
    m *= 2;
    e--;
  }
  for (let steps = 0; m >= 2; steps++) {
    assert(steps < MAX_EXPONENT_STEPS, 'naturalLog: exponent loop did not end');
    m /= 2;
    e++;
  }
  if (m > SQRT2) {
    m /= 2;
    e++;
  }
  const z = (m - 1) / (m + 1);
  const z2 = z * z;
  // Horner from the smallest term up: sum_{i<N} z2^i / (2i + 1).
  let sum = 0;
  for (let i = SERIES_TERMS - 1; i >= 0; i--) sum = sum * z2 + 1 / (2 * i + 1);
  return e * LN2 + 2 * z * sum;
}
