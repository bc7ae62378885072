import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { drawUniformInteger } from '../../core/recovery/uniform-integer.ts';
import { RandomStreams, SimulationAssertionError } from '../../core/kernel/index.ts';

const stream = (seed: number) => new RandomStreams(seed).stream('jitter');

describe('drawUniformInteger', () => {
  fcTest.prop([fc.integer(), fc.integer({ min: -Math.floor(Number.MAX_SAFE_INTEGER / 4), max: Math.floor(Number.MAX_SAFE_INTEGER / 4) }), fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 4) })])(
    'stays within [min, max], an integer, the same for the same seed',
    (seed, min, span) => {
      const a = stream(seed);
      const b = stream(seed);
      for (let i = 0; i < 10; i++) {
        const x = drawUniformInteger(a, min, min + span);
        expect(Number.isSafeInteger(x)).toBe(true);
        expect(x).toBeGreaterThanOrEqual(min);
        expect(x).toBeLessThanOrEqual(min + span);
        expect(drawUniformInteger(b, min, min + span)).toBe(x);
      }
    },
  );

  /** Counts of 10,000 draws from [min, max] falling in each of `buckets` equal slices. */
  function histogram(seed: number, min: number, max: number, buckets: number): number[] {
    const r = stream(seed);
    const counts = new Array<number>(buckets).fill(0);
    const width = (max - min + 1) / buckets;
    for (let i = 0; i < 10_000; i++) counts[Math.floor((drawUniformInteger(r, min, max) - min) / width)]!++;
    return counts;
  }

  it('over the whole 2^53 range, each quarter is reached about as often', () => {
    for (const count of histogram(5, 0, Number.MAX_SAFE_INTEGER, 4)) {
      expect(count).toBeGreaterThan(2300);
      expect(count).toBeLessThan(2700);
    }
  });

  it('over a range that is not a power of two (3 x 2^50 values, so draws are rejected), each third is reached about as often', () => {
    const third = 0x4_0000_0000_0000; // 2^50
    for (const count of histogram(6, -third, 2 * third - 1, 3)) {
      expect(count).toBeGreaterThan(3000);
      expect(count).toBeLessThan(3660);
    }
  });

  it('within 2^32 values it is exactly the stream\'s own int()', () => {
    const a = stream(9);
    const b = stream(9);
    for (let i = 0; i < 50; i++) expect(drawUniformInteger(a, -1000, 1000)).toBe(b.int(-1000, 1000));
  });

  it('rejects a reversed or too wide range', () => {
    expect(() => drawUniformInteger(stream(1), 5, 4)).toThrow(SimulationAssertionError);
    expect(() => drawUniformInteger(stream(1), -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toThrow(/2\^53/);
  });
});
