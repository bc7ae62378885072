// The runner end to end, on small inputs: each run is a child process of its own.
import { describe, expect, test } from 'vitest';
import { BenchUsageError, parseBenchArgs, runBench, verify, type BenchLine } from '../../bench/run.ts';

describe('parseBenchArgs', () => {
  test('reads --events, --only, --impl, --json and positional names', () => {
    expect(parseBenchArgs(['W2', '--events', '1_000', '--only', 'W3,kernel', '--impl', 'plain', '--json'])).toEqual({
      events: 1000,
      only: ['W2', 'W3', 'kernel'],
      impls: ['plain'],
      json: true,
      help: false,
    });
  });

  test.each([['--events', '0'], ['--events', 'many'], ['--nope']])('rejects %s %s', (...argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(BenchUsageError);
  });
});

describe('verify', () => {
  const line = (over: Partial<BenchLine>): BenchLine => ({
    workload: 'W2', impl: 'rxjs', events: 1_000_000, eventsPerSec: 1, checksum: 348334597, peakMemoryMB: 1, outputs: 632219, late: 0, ...over,
  });

  test('a wrong checksum or count names the field, the expected and the actual value', () => {
    const { problems } = verify(line({ checksum: 1, outputs: 632218 }), new Map());
    expect(problems).toEqual(['outputs expected 632219, got 632218', 'checksum expected 348334597, got 1']);
  });

  test('off the table, the first answer is the baseline for the rest (W3 against W2)', () => {
    const baselines = new Map<string, BenchLine>();
    expect(verify(line({ events: 5, checksum: 7, outputs: 3 }), baselines)).toEqual({ verified: 'unchecked', problems: [] });
    expect(verify(line({ workload: 'W3', impl: 'plain', events: 5, checksum: 7, outputs: 3 }), baselines).problems).toEqual([]);
    expect(verify(line({ workload: 'W3', events: 5, checksum: 8, outputs: 3 }), baselines).problems).toEqual(['checksum expected 7 (as W2 rxjs answered), got 8']);
  });
});

describe('runBench', () => {
  test('prints one contract line per (workload, impl) and cross-checks W3 against W2 for an N off the table', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await runBench({ events: 2000, only: ['W2', 'W3'], impls: ['plain'], json: true }, (l) => lines.push(l), (l) => errors.push(l));
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const parsed = lines.map((l) => JSON.parse(l) as BenchLine);
    expect(parsed.map((l) => [l.workload, l.impl, l.events])).toEqual([
      ['W2', 'plain', 2000],
      ['W3', 'plain', 2000],
    ]);
    for (const l of parsed) {
      expect(Number.isInteger(l.eventsPerSec) && l.eventsPerSec > 0).toBe(true);
      expect(Number.isInteger(l.peakMemoryMB) && l.peakMemoryMB > 0).toBe(true);
      expect(l.ratioToPlain).toBe(1);
    }
    expect(parsed[1]!.checksum).toBe(parsed[0]!.checksum);
    expect(parsed[1]!.verified).toBe('cross-check');
  });

  test('checks against the reference table when N is in it', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const code = await runBench({ events: 1000, only: ['W1'], impls: ['plain'], json: true }, (l) => lines.push(l), () => {});
    expect(code).toBe(0);
    expect(JSON.parse(lines[0]!)).toMatchObject({ workload: 'W1', impl: 'plain', events: 1000, checksum: 115555, outputs: 748, verified: 'reference' });
  });

  test('an unknown workload or implementation is a usage error (exit 2)', async () => {
    const errors: string[] = [];
    expect(await runBench({ only: ['W9'] }, () => {}, (l) => errors.push(l))).toBe(2);
    expect(await runBench({ impls: ['nope'] }, () => {}, (l) => errors.push(l))).toBe(2);
    expect(errors.join('\n')).toMatch(/no workload 'W9'[\s\S]*no implementation 'nope'/);
  });
});
