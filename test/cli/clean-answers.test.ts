// Every input gets a clean answer (the review of issue 9): output files that cannot be
// written, a generator that fails on one record, a parallelism only the flag makes too
// large, a check that stops on a limit, an expect block about a sink the job lacks, and
// failure causes that say what went wrong without the error's class name. In process.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weir } from './in-process.ts';
import { smallJob } from '../check/jobs.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'weir-clean-'));
const hello = join(ROOT, 'scenarios', 'hello-map-filter.json');

function file(name: string, json: unknown): string {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify(json));
  return path;
}

const noStack = /\n\s+at /;

describe('output files the command cannot write: exit 2 before the work, naming the flag, the path and why', () => {
  it('weir check --out, as weir run --trace: a folder, a missing folder, a file where a folder should be', async () => {
    const job = file('job.json', smallJob({ type: 'print' }));
    const cases: [string, string][] = [
      [tmp, `weir check: --out ${tmp}: is a folder, not a file`],
      [join(tmp, 'nope', 'ce.json'), `weir check: --out ${join(tmp, 'nope', 'ce.json')}: cannot be written: the folder ${join(tmp, 'nope')} does not exist`],
      [join(job, 'ce.json'), `weir check: --out ${join(job, 'ce.json')}: cannot be written: ${job} is not a folder`],
    ];
    for (const [out, said] of cases) {
      const r = await weir('check', job, '--runs', '1', '--out', out);
      expect(r.code, out).toBe(2);
      expect(r.stderr).toBe(said + '\n');
    }
    const trace = await weir('run', hello, '--trace', join(tmp, 'nope', 'x.jsonl'));
    expect(trace.code).toBe(2);
    expect(trace.stderr).toBe(`weir run: --trace ${join(tmp, 'nope', 'x.jsonl')}: cannot be written: the folder ${join(tmp, 'nope')} does not exist\n`);
  });
});

describe('validate, run and check agree', () => {
  it('on a generator whose value expression fails for one record: the same path and message from all three', async () => {
    const generated = file('generated.json', {
      format: 'weir/scenario@1',
      name: 'generated',
      topics: { clicks: { partitions: 1, generator: { count: 20, interval: 10, keys: 2, value: '{user: key, page: 10 / (i - 5)}' } } },
      job: { name: 'j', operators: [{ id: 'src', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' } }, { id: 'out', type: 'sink', input: 'src', sink: { type: 'print' } }] },
    });
    const said = `${generated}: $.topics.clicks.generator.value: topic 'clicks': the generator's value failed with seed 0: division by zero (10 / 0)\n`;
    const validate = await weir('validate', generated);
    const run = await weir('run', generated);
    const check = await weir('check', generated, '--runs', '1');
    expect([validate.code, run.code, check.code]).toEqual([2, 2, 2]);
    expect(validate.stderr).toBe(said);
    expect(run.stderr).toBe(said);
    expect(check.stderr).toBe(`weir check: ${said}`);
  });

  it('on an expect block about a sink the job does not have, even one that expects nothing of it', async () => {
    const scenario = smallJob({ type: 'print' }) as Record<string, unknown>;
    scenario['expect'] = { sinks: { nosuch: { count: 0 } } };
    const misspelt = file('misspelt.json', scenario);
    for (const command of ['validate', 'run']) {
      const r = await weir(command, misspelt);
      expect(r.code, command).toBe(2);
      expect(r.stderr).toBe(`${misspelt}: $.expect.sinks.nosuch: the job has no sink 'nosuch' (its sinks: 'out')\n`);
    }
  });
});

describe('what a message tells the user to change is what they can change', () => {
  it('a parallelism that only --parallelism makes too large names the flag', async () => {
    const r = await weir('run', hello, '--parallelism', '100000');
    expect(r.code).toBe(2);
    // Above Flink's upper bound for any parallelism the flag itself is refused, with its real range.
    expect(r.stderr).toMatch(/^weir: --parallelism must be a whole number from 1 to 32768, got '100000'\n/);
    const subtasks = await weir('run', hello, '--parallelism', '20000');
    expect(subtasks.stderr).toBe(`${hello}: --parallelism 20000: the job has 20001 subtasks; a simulation runs at most 10000\n`);
  });

  it('weir check that stops on a limit says to raise the scenario\'s run.limits, not a flag of weir run', async () => {
    const scenario = smallJob({ type: 'print' }) as Record<string, unknown>;
    scenario['run'] = { limits: { maxSteps: 50 } };
    const r = await weir('check', file('limited.json', scenario), '--runs', '1');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^weir: the run stopped: limit maxSteps = 50 reached at step 50 \(t=\d+ ms, seed \d+\); if the run is meant to be that large, raise the scenario's run\.limits\.maxSteps \(weir check has no flag for it: every run of the check takes the scenario's limits\)\n$/);
    expect(r.stderr).not.toContain('--max-steps');
    expect(r.stderr).not.toMatch(noStack);
  });
});

describe('a failure cause says what went wrong, without the error class name', () => {
  const failing = (operators: unknown[]): string =>
    file(`failing-${operators.length}.json`, {
      format: 'weir/scenario@1',
      name: 'failing',
      config: { restartStrategy: { type: 'none' } },
      topics: { clicks: { partitions: 1, records: [{ value: { ts: 1.5, a: 0 }, timestamp: 1 }] } },
      job: { name: 'j', operators: [{ id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' } }, ...operators] },
    });

  it("an expression's runtime error, by the operator that failed", async () => {
    const r = await weir('run', failing([{ id: 'm', type: 'map', input: 'clicks', expr: '1 / a' }, { id: 'out', type: 'sink', input: 'm', sink: { type: 'print' } }]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("task clicks#0 (attempt 1) FAILED: operator 'm' failed: division by zero (1 / 0)");
    expect(r.stdout).not.toMatch(/ExprRuntimeError|TypeError/);
  });

  it("a key selector's, which belongs to no operator of the chain, by its keyBy and its expression", async () => {
    const r = await weir('run', failing([{ id: 'byK', type: 'keyBy', input: 'clicks', key: 'nosuch.x' }, { id: 'p', type: 'process', input: 'byK', onElement: [{ emit: '$' }] }, { id: 'out', type: 'sink', input: 'p', sink: { type: 'print' } }]));
    expect(r.stdout).toContain(`FAILED: keyBy 'byK': its key "nosuch.x" failed: record has no field 'nosuch' (its fields: a, ts)`);
    expect(r.stdout).not.toContain('ExprRuntimeError');
  });
});
