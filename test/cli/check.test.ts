// `weir check` from the command line (CONTRACT 2.1): flags, exit codes, the weir/check@1
// line, the counterexample that `weir run` fails on, and the same answer on 1 or 2 workers.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallJob } from '../check/jobs.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'weir-check-'));

function weir(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'cli', 'weir.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, json: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify(json, null, 2));
  return path;
}

const lastLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').at(-1)!);
const withoutTime = ({ elapsedMs: _e, counterexample: _c, ...rest }: Record<string, unknown>) => rest;

const print = file('print.json', smallJob({ type: 'print' }));
const twoPc = file('2pc.json', smallJob({ type: 'two-phase-commit', topic: 'results' }));

describe('weir check finds the print sink duplicating output', () => {
  const out1 = join(tmp, 'ce-1.json');
  const out2 = join(tmp, 'ce-2.json');
  const one = weir('check', print, '--runs', '30', '--seed', '3', '--json', '--out', out1, '--workers', '1');
  const two = weir('check', print, '--runs', '30', '--seed', '3', '--json', '--out', out2, '--workers', '2');

  it('exits 3 with the weir/check@1 line last, counts of the shrunk counterexample', () => {
    expect(one.stderr).toBe('');
    expect(one.code).toBe(3);
    const line = lastLine(one.stdout);
    expect(line).toMatchObject({ format: 'weir/check@1', violated: true, lost: 0, unexpected: 0, counterexample: out1, seed: 3, maxFaults: 3 });
    expect(line['duplicated']).toBeGreaterThan(0);
    expect(line['faults']).toBeGreaterThanOrEqual(1);
    expect(line['faults']).toBeLessThanOrEqual(3);
    expect(line['shrinkSteps']).toEqual(expect.any(Number));
    expect((line['plan'] as unknown[]).length).toBe(line['faults']);
  });

  it('weir run of the counterexample exits 3, naming the sink expectation', () => {
    const r = weir('run', out1, '--json');
    expect(r.code).toBe(3);
    // The same word as the check line: the fault wrote expected records twice, nothing unexpected.
    expect(r.stderr).toContain(`${out1}: $.expect.sinks.out.committed: expectation failed: duplicated`);
    expect(r.stderr).not.toContain("unexpected");
  });

  it('gives the same result and counterexample with --workers 2 (the workers really run, in TypeScript)', () => {
    expect(two.stderr).toBe('');
    expect(two.code).toBe(3);
    expect(withoutTime(lastLine(two.stdout))).toEqual(withoutTime(lastLine(one.stdout)));
    expect(readFileSync(out2, 'utf8')).toBe(readFileSync(out1, 'utf8'));
  });
});

describe('weir check of a job that holds', () => {
  it('exits 0, on 1 and 2 workers alike, and prints a readable summary with the coverage table', () => {
    const json1 = weir('check', twoPc, '--runs', '40', '--json');
    const json2 = weir('check', twoPc, '--runs', '40', '--json', '--workers', '2');
    expect(json1.code).toBe(0);
    expect(json2.code).toBe(0);
    const line = lastLine(json1.stdout);
    expect(line).toMatchObject({ format: 'weir/check@1', runs: 40, violated: false, lost: 0, duplicated: 0, unexpected: 0, faults: 0, shrinkSteps: 0, counterexample: null });
    expect(withoutTime(lastLine(json2.stdout))).toEqual(withoutTime(line));
    const coverage = line['coverage'] as { points: Record<string, unknown> };
    expect(Object.keys(coverage.points)).toEqual(['snapshot', 'after-ack', 'pre-commit', 'commit', 'after-commit']);

    const text = weir('check', twoPc, '--runs', '40', '--out', join(tmp, 'never.json'));
    expect(text.code).toBe(0);
    expect(text.stderr).toBe(''); // no progress bar: stderr is not a terminal
    expect(text.stdout).toMatch(/40 runs of at most 3 faults, seed 0/);
    expect(text.stdout).toMatch(/held: every run committed exactly the fault-free run's output/);
    expect(text.stdout).toMatch(/^ {4}crash-at:pre-commit +\d+ \/ \d+/m);
    expect(text.stdout).toMatch(/^ {2}kill-taskmanager +\d+ \/ \d+/m);
    expect(() => readFileSync(join(tmp, 'never.json'))).toThrow();
  });

  it('the readable summary of a violation shows the plan, examples and the counterexample path', () => {
    const out = join(tmp, 'ce-text.json');
    const r = weir('check', print, '--runs', '5', '--out', out);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/VIOLATED at run \d+ \(a plan of \d faults?\); shrunk in \d+ steps? \(\d+ runs?\) to \d faults?:/);
    expect(r.stdout).toMatch(/\$\.faults\[0\] {2}\S+/);
    expect(r.stdout).toMatch(/sink out: lost 0, duplicated \d+, unexpected 0/);
    expect(r.stdout).toMatch(/duplicated \{"key":"k\d","value":\d+,"window":\{"end":\d+,"start":\d+\}\} @\d+ \(1 extra copy\)/);
    expect(r.stdout).toContain(`counterexample: ${out}`);
    expect(r.stdout).toMatch(/not applicable: fail-commit/);
  });
});

describe('weir check input and flags', () => {
  it('rejects bad flags with exit 2 and a clear message', () => {
    const cases: [string[], RegExp][] = [
      [['--runs', '0'], /--runs must be a whole number from 1 to 1000000, got '0'/],
      [['--runs', 'many'], /--runs takes a whole number from 1 to 1000000, got 'many'/],
      [['--max-faults=-1'], /--max-faults must be a whole number from 0 to 1000, got '-1'/],
      [['--workers', '0'], /--workers must be a whole number from 1 to 256, got '0'/],
      [['--seed', '1.5'], /--seed takes a whole number/],
      [['--frobnicate'], /Unknown option '--frobnicate'/],
    ];
    for (const [flags, message] of cases) {
      const r = weir('check', print, ...flags);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(weir('check').code).toBe(2);
    expect(weir('check', join(tmp, 'missing.json')).stderr).toMatch(/missing\.json: cannot read the file: no such file/);
  });

  it('a job that cannot finish without faults is invalid input, with why', () => {
    const job = smallJob({ type: 'print' }) as { job: { operators: Record<string, unknown>[] } };
    job.job.operators[0]!['bounded'] = false;
    const r = weir('check', file('unbounded.json', job));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unbounded\.json: \$\.job\.operators\[0\]\.bounded: source 'src' is unbounded \("bounded": false\), so the job never ends/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a reference without output is a failure of the check, not a pass', () => {
    const job = smallJob({ type: 'print' }) as { job: { operators: Record<string, unknown>[] } };
    job.job.operators[1] = { id: 'double', type: 'filter', expr: 'n < 0', input: 'src' };
    const r = weir('check', file('empty.json', job), '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/a check that saw no output proves nothing/);
  });
});
