import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { traceHashOf, type JsonValue } from '../../core/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function weir(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'cli', 'weir.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'weir-cli-'));

describe('weir run', () => {
  it('ends with its own exit code and no stack trace when its reader stops early (`weir run x | head -1`)', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'cli', 'weir.mjs'), 'run', 'scenarios/training/ride-cleansing.json'], { cwd: ROOT });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read the first chunk, then close the pipe as `head` does; thousands of lines are still to come.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('prints a weir/report@1 with --json, the same traceHash twice', () => {
    const a = weir('run', 'scenarios/hello-map-filter.json', '--json', '--seed', '5');
    const b = weir('run', 'scenarios/hello-map-filter.json', '--json', '--seed', '5');
    expect(a.code).toBe(0);
    const report = JSON.parse(a.stdout);
    expect(report.format).toBe('weir/report@1');
    expect(report.seed).toBe(5);
    expect(report.status).toBe('FINISHED');
    expect(report.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(b.stdout).traceHash).toBe(report.traceHash);
    expect(report.sinks.out.committed.map((r: { value: { v: number } }) => r.value.v)).toEqual([7, 10, 13, 19, 22, 25, 31]);
  });

  it('prints a readable timeline without --json', () => {
    const r = weir('run', 'scenarios/hello-map-filter.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/out> \{"n":2,"v":7\} @2000/);
    expect(r.stdout).toMatch(/status\s+FINISHED/);
    expect(r.stdout).toMatch(/job graph\s+numbers -> triple -> keep -> out \[1\]/);
  });

  it('writes the trace whose lines hash to traceHash', () => {
    const file = join(tmp, 'trace.jsonl');
    const r = weir('run', 'scenarios/orders-by-customer.json', '--json', '--trace', file);
    const text = readFileSync(file, 'utf8');
    const events = text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as JsonValue);
    expect(events.length).toBeGreaterThan(10);
    expect(traceHashOf(events)).toBe(JSON.parse(r.stdout).traceHash);
  });

  it('applies the client parallelism below the operator level', () => {
    const r = JSON.parse(weir('run', 'scenarios/hello-map-filter.json', '--json', '--parallelism', '3').stdout);
    // numbers is a sequence (always 1); the rest inherit the client's 3, so the chain breaks.
    expect(r.jobGraph.vertices.map((v: { name: string; parallelism: number }) => [v.name, v.parallelism])).toEqual([
      ['numbers', 1],
      ['triple -> keep -> out', 3],
    ]);
    expect(r.jobGraph.edges).toEqual([{ source: 'numbers', target: 'triple', partitioner: 'rebalance' }]);
  });

  it('stops at --until with status RUNNING', () => {
    const r = JSON.parse(weir('run', 'scenarios/orders-by-customer.json', '--json', '--until', '300').stdout);
    expect(r.status).toBe('RUNNING');
    expect(r.virtualTime).toBe(300);
  });
});

describe('invalid input exits 2 with file, path and problem, and no stack trace', () => {
  it('a scenario with mistakes', () => {
    const file = join(tmp, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir/scenario@1',
        name: 'bad',
        job: { operators: [{ id: 's', type: 'sequence', items: [] }, { id: 'm', type: 'map', input: 's', expr: 'a +' }, { id: 'o', type: 'sink', input: 'q', sink: { type: 'print' } }] },
      }),
    );
    for (const command of ['run', 'validate']) {
      const r = weir(command, file);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${file}: $.job.operators[1].expr: operator 'm': expression does not parse: column 4`);
      expect(r.stderr).toContain(`${file}: $.job.operators[2].input: operator 'o' reads from 'q'`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
  it('a missing file, bad JSON, a bad flag', () => {
    expect(weir('run', 'nope.json').stderr).toMatch(/nope\.json: cannot read the file: no such file/);
    const broken = join(tmp, 'broken.json');
    writeFileSync(broken, '{"format": ');
    const r = weir('validate', broken);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.json: \$: not valid JSON/);
    expect(weir('run', 'scenarios/hello-map-filter.json', '--seed', 'abc').code).toBe(2);
    expect(weir('frobnicate').code).toBe(2);
  });
});

describe('expectations', () => {
  it('exit 3 names the expectation that failed, and the report is still printed', () => {
    const scenario = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'hello-map-filter.json'), 'utf8'));
    scenario.expect = { status: 'FAILED' };
    const file = join(tmp, 'expect.json');
    writeFileSync(file, JSON.stringify(scenario));
    const r = weir('run', file, '--json');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`${file}: $.expect.status: expectation failed: expected FAILED, the job's status was FINISHED`);
    expect(JSON.parse(r.stdout).format).toBe('weir/report@1');
  });
});

describe('weir validate and weir list', () => {
  it('validates a shipped scenario', () => {
    const r = weir('validate', 'scenarios/hello-map-filter.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/valid/);
  });
  it('lists the shipped scenarios', () => {
    const r = weir('list', '--json');
    expect(r.code).toBe(0);
    const names = JSON.parse(r.stdout).map((s: { name: string }) => s.name);
    expect(names).toContain('hello-map-filter');
    expect(names).toContain('orders-by-customer');
  });
});
