import { describe, expect, test } from 'vitest';
import { eventAt, generateInput, inputFingerprint, mulberry32 } from '../../bench/input.ts';
import { REFERENCE } from '../../bench/reference.ts';
import { windowStartOf } from '../../bench/workloads.ts';

describe('bench input (mulberry32 seeded 42)', () => {
  test('the first event is {key: 601, value: 44, ts: 36}', () => {
    expect(eventAt(generateInput(1), 0)).toEqual({ key: 601, value: 44, ts: 36 });
  });

  test('the generator keeps its state as an int32 and returns floats in [0, 1)', () => {
    const rand = mulberry32(42);
    for (let i = 0; i < 10_000; i++) {
      const x = rand();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  test('a shorter input is a prefix of a longer one', () => {
    const short = generateInput(1000);
    const long = generateInput(5000);
    expect(Array.from(long.key.subarray(0, 1000))).toEqual(Array.from(short.key));
    expect(Array.from(long.ts.subarray(0, 1000))).toEqual(Array.from(short.ts));
  });

  test('event time runs with the index, at most 50 ms either way', () => {
    const input = generateInput(10_000);
    for (let i = 0; i < input.n; i++) expect(Math.abs(input.ts[i]! - i)).toBeLessThanOrEqual(50);
    expect(Math.min(...input.ts.subarray(0, 50))).toBeLessThan(0); // negative times occur at the start
  });

  for (const row of REFERENCE.filter((r) => r.events <= 100_000)) {
    test(`fingerprint for N = ${row.events} is ${row.fingerprint}`, () => {
      expect(inputFingerprint(generateInput(row.events))).toBe(row.fingerprint);
    });
  }
});

describe('windowStartOf floors toward minus infinity', () => {
  test.each([
    [0, 0],
    [999, 0],
    [1000, 1000],
    [-1, -1000],
    [-1000, -1000],
    [-1001, -2000],
  ])('ts %i lies in the window starting at %i', (ts, start) => {
    expect(windowStartOf(ts, 1000)).toBe(start);
  });
});
