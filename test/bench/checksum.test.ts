import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../bench/input.ts';
import { expectedResult, referenceFor, windowChecksum, type WindowResults } from '../../bench/reference.ts';
import { BenchSink } from '../../bench/sink.ts';

interface Result {
  key: number;
  windowStart: number;
  count: number;
  sum: number;
}

function columns(results: readonly Result[]): WindowResults {
  return {
    length: results.length,
    key: results.map((r) => r.key),
    windowStart: results.map((r) => r.windowStart),
    windowEnd: results.map((r) => r.windowStart + 1000),
    count: results.map((r) => r.count),
    sum: results.map((r) => r.sum),
  };
}

/** The fold in exact integer arithmetic (BigInt), as WORKLOADS.md states it. */
function oracle(results: readonly Result[]): number {
  const sorted = [...results].sort((a, b) => a.windowStart - b.windowStart || a.key - b.key);
  const m = 2n ** 32n;
  let h = 0n;
  for (const r of sorted) {
    h = h * 31n + BigInt(r.key) * 7n + BigInt(r.windowStart / 1000) * 13n + BigInt(r.count) * 17n + BigInt(r.sum);
    h = ((h % m) + m) % m;
  }
  return Number(h);
}

describe('W2/W3 checksum fold', () => {
  test('a hand-worked example: sorted by (windowEnd, key), negative window start', () => {
    // Sorted: (key 5, [-1000, 0)), (key 1, [0, 1000)), (key 3, [0, 1000)).
    //   h = 0*31     + 5*7 + (-1)*13 + 2*17 + 30  = 86
    //   h = 86*31    + 1*7 +    0*13 + 3*17 + 100 = 2824
    //   h = 2824*31  + 3*7 +    0*13 + 1*17 + 7   = 87589
    const results = [
      { key: 3, windowStart: 0, count: 1, sum: 7 },
      { key: 5, windowStart: -1000, count: 2, sum: 30 },
      { key: 1, windowStart: 0, count: 3, sum: 100 },
    ];
    expect(windowChecksum(columns(results))).toBe(87589);
  });

  test('a negative total wraps to an unsigned value', () => {
    // 0*31 + 0*7 + (-5)*13 + 0 + 0 = -65 = 2^32 - 65
    expect(windowChecksum(columns([{ key: 0, windowStart: -5000, count: 0, sum: 0 }]))).toBe(4294967231);
  });

  test('agrees with exact BigInt arithmetic where h*31 passes 2^53 (seed 7)', () => {
    const rand = mulberry32(7);
    const results: Result[] = [];
    const seen = new Set<string>();
    while (results.length < 5000) {
      const key = Math.floor(rand() * 100_000);
      const windowStart = (Math.floor(rand() * 2_000_000) - 1_000_000) * 1000;
      if (seen.has(`${key}/${windowStart}`)) continue;
      seen.add(`${key}/${windowStart}`);
      results.push({ key, windowStart, count: Math.floor(rand() * 1e6), sum: Math.floor(rand() * 1e9) });
    }
    expect(windowChecksum(columns(results))).toBe(oracle(results));
  });

  test('the sink gives the same checksum whatever order results arrive in', () => {
    const a = new BenchSink();
    const b = new BenchSink();
    const results = [
      [1, 0, 2, 10],
      [2, 0, 1, 5],
      [1, 1000, 4, 40],
    ] as const;
    for (const [key, start, count, sum] of results) a.window(key, start, start + 1000, count, sum);
    for (const [key, start, count, sum] of [...results].reverse()) b.window(key, start, start + 1000, count, sum);
    expect(a.result()).toEqual(b.result());
    expect(a.result().outputs).toBe(3);
  });
});

describe('W1 checksum', () => {
  test('the sum of kept values, mod 2^32', () => {
    const sink = new BenchSink();
    sink.value(4294967295);
    sink.value(2);
    expect(sink.result()).toEqual({ outputs: 2, checksum: 1, late: 0 });
  });
});

describe('reference table', () => {
  test('W2 and W3 share their expected results; W1 has no late records', () => {
    expect(expectedResult('W2', 1_000_000)).toEqual(expectedResult('W3', 1_000_000));
    expect(expectedResult('W1', 1000)).toEqual({ outputs: 748, checksum: 115555, late: 0 });
    expect(referenceFor(12345)).toBeUndefined();
  });
});
