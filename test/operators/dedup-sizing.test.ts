// The Bloom filter's sizing and hashing: the textbook formulas with an engine-independent
// logarithm, bits that are the same in every engine, and the filter's two promises (no
// false negatives; false positives near the rate it was sized for).
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { BloomFilter, bitsPerKeyGroup, bloomSizing, hashFunctionsPerKeyGroup, decodeWords, encodeWords, keyHashes, LN2, naturalLog } from '../../core/operators/dedup/index.ts';
import { canonicalJson } from '../../core/index.ts';

describe('naturalLog', () => {
  it('is within 1e-15 relative of Math.log over many magnitudes', () => {
    const xs = [0.01, 0.5, 0.7071, 0.75, 0.999999, 1e-300, 5e-324, 2.2250738585072014e-308, 0.1, 0.3, 1 - 2 ** -52, 1, 2, 10, 12345.678, 1e300];
    for (let i = 1; i < 2000; i++) xs.push(i / 2000, (i * 7919) % 1000 / 1e6 + 1e-9, i * 1.37);
    for (const x of xs) {
      const want = Math.log(x);
      const got = naturalLog(x);
      if (want === 0) expect(got).toBe(0);
      else expect(Math.abs(got - want) / Math.abs(want), `ln(${x})`).toBeLessThanOrEqual(1e-15);
    }
  });

  fcTest.prop([fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true })], { numRuns: 2000 })('matches Math.log to 1e-15 relative (or 1e-300 absolute near 1)', (x) => {
    const want = Math.log(x);
    expect(Math.abs(naturalLog(x) - want)).toBeLessThanOrEqual(Math.max(1e-15 * Math.abs(want), 1e-300));
  });

  it('keeps ln 2 as the literal and rejects what has no logarithm', () => {
    expect(naturalLog(2)).toBe(LN2);
    expect(naturalLog(0.5)).toBe(-LN2);
    expect(() => naturalLog(0)).toThrow(/positive finite/);
    expect(() => naturalLog(-1)).toThrow(/positive finite/);
    expect(() => naturalLog(Number.POSITIVE_INFINITY)).toThrow(/positive finite/);
  });

  it('gives pinned bits, so a different engine would be caught', () => {
    // Values of this implementation (not of Math.log): a change to the series or the
    // exponent split shows up here first.
    expect(naturalLog(0.01)).toBe(-4.605170185988091);
    expect(naturalLog(0.05)).toBe(-2.995732273553991);
    expect(naturalLog(1e-9)).toBe(-20.72326583694641);
  });
});

describe('bloomSizing', () => {
  it('gives the known values: n = 1e6, p = 0.01 -> 9,585,059 bits and 7 hash functions', () => {
    expect(bloomSizing(1_000_000, 0.01)).toEqual({ bits: 9_585_059, hashFunctions: 7 });
  });

  it('matches the formulas for other sizes', () => {
    // m = ceil(-n ln p / ln2^2), k = round(m/n ln 2): 1000 at 1% is 9586 bits, 7 functions;
    // 2000 at 5% is 12471 bits, 4 functions; 10 at 0.5 is 15 bits, 1 function.
    expect(bloomSizing(1000, 0.01)).toEqual({ bits: 9586, hashFunctions: 7 });
    expect(bloomSizing(2000, 0.05)).toEqual({ bits: 12_471, hashFunctions: 4 });
    expect(bloomSizing(10, 0.5)).toEqual({ bits: 15, hashFunctions: 1 });
    expect(bloomSizing(1, 0.999).hashFunctions).toBe(1);
  });

  fcTest.prop([fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 1e-12, max: 0.999, noNaN: true })], { numRuns: 500 })(
    'agrees with Math.log-based sizing to within one bit',
    (n, p) => {
      const { bits, hashFunctions } = bloomSizing(n, p);
      const exact = (-n * Math.log(p)) / (Math.LN2 * Math.LN2);
      expect(Math.abs(bits - Math.ceil(exact))).toBeLessThanOrEqual(1);
      expect(hashFunctions).toBe(Math.max(1, Math.round((bits / n) * LN2)));
    },
  );

  it('splits the bits over key groups, rounding up', () => {
    expect(bitsPerKeyGroup(9_585_059, 128)).toBe(74_884);
    expect(bitsPerKeyGroup(15, 128)).toBe(1);
  });
});

describe('key hashes and the filter', () => {
  it('hashes a key by its canonical JSON with fixed seeds: pinned values', () => {
    expect(keyHashes('"k1"')).toEqual(keyHashes(canonicalJson('k1')));
    expect(keyHashes(canonicalJson({ b: 1, a: 2 }))).toEqual(keyHashes(canonicalJson({ a: 2, b: 1 })));
    const { h1, h2 } = keyHashes('"k1"');
    expect([h1, h2]).toEqual([PINNED_K1.h1, PINNED_K1.h2]);
  });

  it('sets the same bits for the same keys, whatever else ran', () => {
    const fill = (keys: string[]): string => {
      const f = new BloomFilter(1000, 5);
      for (const k of keys) f.add(keyHashes(canonicalJson(k)));
      return f.encode();
    };
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    expect(fill([...keys].reverse())).toBe(fill(keys)); // the order keys came in does not matter
    // Integer operations only, so these bits are the same in every engine.
    expect(fill(keys).slice(0, 32)).toBe(PINNED_FILL);
  });

  fcTest.prop([fc.uniqueArray(fc.string(), { maxLength: 300 }), fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 12 })])(
    'has no false negatives: every key added is reported as seen',
    (keys, bits, k) => {
      const f = new BloomFilter(bits, k);
      for (const key of keys) f.add(keyHashes(canonicalJson(key)));
      for (const key of keys) expect(f.mightContain(keyHashes(canonicalJson(key)))).toBe(true);
    },
  );

  it('has a false-positive rate near p when filled with n keys', () => {
    for (const [n, p] of [
      [20_000, 0.01],
      [5_000, 0.05],
    ] as const) {
      const { bits, hashFunctions } = bloomSizing(n, p);
      const f = new BloomFilter(bits, hashFunctions);
      for (let i = 0; i < n; i++) f.add(keyHashes(canonicalJson(`in-${i}`)));
      let hits = 0;
      const probes = 50_000;
      for (let i = 0; i < probes; i++) if (f.mightContain(keyHashes(canonicalJson(`out-${i}`)))) hits++;
      const rate = hits / probes;
      expect(rate, `n=${n} p=${p}`).toBeGreaterThan(p * 0.7);
      expect(rate, `n=${n} p=${p}`).toBeLessThan(p * 1.3);
      // Half the bits set is what the optimal k leads to.
      expect(f.bitsSet() / bits).toBeCloseTo(0.5, 1);
    }
  });

  fcTest.prop([fc.integer({ min: 1, max: 3000 }), fc.integer()])('encodes its words as base64 and back', (bits, seed) => {
    const f = new BloomFilter(bits, 3);
    for (let i = 0; i < 40; i++) f.add(keyHashes(`${seed}:${i}`));
    const back = BloomFilter.decode(f.encode(), bits, 3);
    expect([...back.words]).toEqual([...f.words]);
  });

  it('base64 matches the standard alphabet and padding', () => {
    expect(encodeWords(Uint32Array.of(1))).toBe('AQAAAA==');
    expect(encodeWords(Uint32Array.of(0xffffffff, 0x04030201))).toBe('/////wECAwQ=');
    expect([...decodeWords('/////wECAwQ=', 2)]).toEqual([0xffffffff, 0x04030201]);
    expect(() => decodeWords('AQ==', 2)).toThrow(/base64 characters/);
  });
});

const PINNED_K1 = { h1: 4172678504, h2: 375005882 };
const PINNED_FILL = 'oepX4qIbjv7vYvU/3ae/+u9/dXjupz7L';

describe('hashFunctionsPerKeyGroup', () => {
  fcTest.prop([fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 1e-300, max: 0.5, noNaN: true }), fc.integer({ min: 1, max: 32768 })])(
    'never more than the textbook k, never more than a group\'s bits, at least 1; the textbook k with at least as many keys as groups',
    (n, p, maxParallelism) => {
      const sizing = bloomSizing(n, p);
      const k = hashFunctionsPerKeyGroup(sizing, n, maxParallelism);
      expect(k).toBeGreaterThanOrEqual(1);
      expect(k).toBeLessThanOrEqual(sizing.hashFunctions);
      expect(k).toBeLessThanOrEqual(Math.max(1, bitsPerKeyGroup(sizing.bits, maxParallelism)));
      if (n >= maxParallelism) expect(k).toBe(sizing.hashFunctions);
    },
  );
});
