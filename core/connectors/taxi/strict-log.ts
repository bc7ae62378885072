/**
 * Java's `StrictMath.log`, bit for bit. The training course's data generator draws its
 * numbers from `java.util.Random.nextGaussian`, which takes the logarithm through
 * `StrictMath.log`: Java pins that function to fdlibm's algorithm so that every JVM gives
 * the same bits. To give the course's rides and fares exactly, Weir needs those bits too,
 * and JavaScript's `Math.log` promises neither fdlibm's answer nor the same answer in
 * every engine.
 *
 * The method (fdlibm's `e_log.c`, written here from its description): split x into
 * 2^k * (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)); with s = f / (2 + f),
 * ln(1 + f) = f - s * (f - R(s^2)) where R is a fixed degree-14 polynomial in s, split in
 * odd and even halves; then add k * ln 2 in two parts (a high part with trailing zero bits,
 * so k * ln2_hi is exact, and a low correction). Only `+ - * /` and bit access to the
 * double are used, so the result is the same in every engine.
 */
import { assert } from '../../kernel/index.ts';

const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/** Eight bytes to read and write a double's words, big-endian so the high word is first. */
const bits = new DataView(new ArrayBuffer(8));

/**
 * The natural logarithm of a positive normal double, as Java's StrictMath.log computes it.
 * @example strictLog(0.5) // -0.6931471805599453
 */
export function strictLog(x: number): number {
  assert(Number.isFinite(x) && x >= 2.2250738585072014e-308, () => `strictLog takes a positive normal number, found ${x}`);
  bits.setFloat64(0, x);
  let hx = bits.getInt32(0);
  let k = (hx >> 20) - 1023;
  hx &= 0x000fffff;
  // i is 0x100000 when the mantissa is at or above sqrt(2): then take x / 2 and k + 1.
  const i = (hx + 0x95f64) & 0x100000;
  bits.setInt32(0, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = bits.getFloat64(0) - 1.0;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20: a short series is enough.
    if (f === 0) return k === 0 ? 0 : dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.33333333333333333 * f);
    return k === 0 ? f - r : dk * LN2_HI - (r - dk * LN2_LO - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  // Far from 1 + f = 1 the half-square form loses less: fdlibm's choice of branch.
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}
