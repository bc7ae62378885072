// Small answers that must agree with each other and say what is true: --until and
// run.until share a bound and its words, --parallelism says its real range, a trace
// limit's advice fits the run's level, a parallelism above config.maxParallelism names it,
// a file with a byte order mark reads, and weir --version answers.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weir } from './in-process.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'weir-small-answers-'));
const hello = join(ROOT, 'scenarios', 'hello-map-filter.json');

function helloWith(name: string, change: (s: Record<string, unknown>) => void, prefix = ''): string {
  const scenario = JSON.parse(readFileSync(hello, 'utf8')) as Record<string, unknown>;
  change(scenario);
  const file = join(tmp, name);
  writeFileSync(file, prefix + JSON.stringify(scenario));
  return file;
}

describe('the end time, from the file or the flag', () => {
  it('both take up to 10^15 ms and refuse more in the same words', async () => {
    const file = helloWith('until.json', (s) => (s['run'] = { until: 2_000_000_000_000_000 }));
    const fromFile = await weir('run', file);
    expect(fromFile.code).toBe(2);
    expect(fromFile.stderr).toBe(`${file}: $.run.until: must be at most 1000000000000000 ms (about 31,000 years), found 2000000000000000\n`);
    const fromFlag = await weir('run', hello, '--until', '2000000000000000');
    expect(fromFlag.code).toBe(2);
    expect(fromFlag.stderr).toMatch(/^weir: --until must be at most 1000000000000000 ms \(about 31,000 years\), found 2000000000000000\n/);
    expect((await weir('run', hello, '--until', '99999999999999999999')).stderr).toMatch(/^weir: --until must be at most 1000000000000000 ms/);
    expect((await weir('run', helloWith('until-max.json', (s) => (s['run'] = { until: 1_000_000_000_000_000 })), '--json')).code).toBe(0);
    expect((await weir('run', hello, '--until', '1000000000000000', '--json')).code).toBe(0);
  });
});

describe('parallelism', () => {
  it('--parallelism says its real range, Flink upper bound 32768', async () => {
    expect((await weir('run', hello, '--parallelism', '0')).stderr).toMatch(/^weir: --parallelism must be a whole number from 1 to 32768, got '0'/);
    expect((await weir('run', hello, '--parallelism', '40000')).stderr).toMatch(/^weir: --parallelism must be a whole number from 1 to 32768, got '40000'/);
  });

  it('a parallelism above config.maxParallelism names it, in config and in an operator', async () => {
    const inConfig = helloWith('maxp.json', (s) => (s['config'] = { maxParallelism: 1, parallelism: 2 }));
    expect((await weir('validate', inConfig)).stderr).toBe(`${inConfig}: $.config.parallelism: must be at most config.maxParallelism (1), found 2\n`);
    const inOperator = helloWith('maxp-op.json', (s) => {
      s['config'] = { maxParallelism: 2 };
      ((s['job'] as { operators: Record<string, unknown>[] }).operators[1]!)['parallelism'] = 3;
    });
    const r = await weir('validate', inOperator);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${inOperator}: $.job.operators[1].parallelism: must be at most config.maxParallelism (2), found 3\n`);
    expect((await weir('validate', helloWith('maxp-big.json', (s) => (s['config'] = { parallelism: 40000 })))).stderr).toMatch(/\$\.config\.parallelism: must be between 1 and 32768, found 40000/);
  });
});

describe('trace limits at level summary', () => {
  it('suggest off and raising the limit, not the level the run is already at', async () => {
    const r = await weir('run', hello, '--trace-level', 'summary', '--max-trace-events', '3');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/raise it with weir run --max-trace-events N or the scenario's run\.limits\.maxTraceEvents, or record fewer events with --trace-level off\n$/);
    expect(r.stderr).not.toContain('summary or off');
  });
});

describe('a file that starts with a byte order mark', () => {
  it('reads as the same scenario, in validate and run', async () => {
    const file = helloWith('bom.json', () => {}, '\uFEFF');
    expect(readFileSync(file, 'utf8').charCodeAt(0)).toBe(0xfeff);
    expect((await weir('validate', file)).code).toBe(0);
    const withBom = JSON.parse((await weir('run', file, '--json')).stdout);
    const without = JSON.parse((await weir('run', hello, '--json')).stdout);
    expect(withBom.traceHash).toBe(without.traceHash);
  });
});

describe('weir --version', () => {
  it("prints package.json's version, and is in the usage", async () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await weir('--version')).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect((await weir('help')).stdout).toContain('weir --version');
    expect((await weir('--version', 'x')).code).toBe(2);
  });
});

describe('docs/cli.md', () => {
  it('lists the sliding window bound validation enforces, the trace bytes limit and --version', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    expect(doc).toContain('| windows per record | 10,000 |');
    expect(doc).toContain('| `maxTraceBytes` | 1,000,000,000 | `--max-trace-bytes N` | `run.limits.maxTraceBytes` |');
    expect(doc).toContain('| `weir --version` |');
  });
});
