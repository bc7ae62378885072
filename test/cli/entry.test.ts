// The command's own entry function, in process: flags with negative numbers, no command,
// the seed's range, limits set by flags and by the scenario (exit 4 with what to change),
// and a run whose values are too deep for JSON.stringify.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/entry.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'weir-entry-'));

export async function weirInProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

const hello = join(ROOT, 'scenarios', 'hello-map-filter.json');

describe('weir flags', () => {
  it('accepts a negative seed after a space, as after =', async () => {
    const spaced = await weirInProcess('run', hello, '--seed', '-3', '--json');
    const joined = await weirInProcess('run', hello, '--seed=-3', '--json');
    expect(spaced.code).toBe(0);
    expect(JSON.parse(spaced.stdout).seed).toBe(-3);
    expect(JSON.parse(spaced.stdout).traceHash).toBe(JSON.parse(joined.stdout).traceHash);
  });

  it('with no command exits 2 and prints the usage', async () => {
    const r = await weirInProcess();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^weir: which command\?/);
    expect(r.stderr).toMatch(/usage:\n {2}weir run FILE/);
  });

  it('says the range of a seed that does not fit', async () => {
    const r = await weirInProcess('run', hello, '--seed', '99999999999999999999');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed must be a whole number between -9007199254740991 and 9007199254740991 \(2\^53 - 1 either way\), got '99999999999999999999'/);
    expect((await weirInProcess('run', hello, '--until', '-5')).stderr).toMatch(/--until must be a whole number from 0 to 1000000000000000, got '-5'/);
  });
});

describe('limits', () => {
  it('a flag lowers a limit: exit 4, naming the limit, the flag and the lower trace level', async () => {
    const r = await weirInProcess('run', hello, '--max-trace-events', '5');
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/limit maxTraceEvents = 5 reached .*raise it with weir run --max-trace-events N or the scenario's run\.limits\.maxTraceEvents, or record fewer events with --trace-level summary or off/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("the scenario's run.limits sets it too, and the flag beats the scenario", async () => {
    const file = join(tmp, 'limited.json');
    const scenario = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(hello, 'utf8')));
    scenario.run = { limits: { maxTraceEvents: 5 } };
    delete scenario.expect;
    writeFileSync(file, JSON.stringify(scenario));
    expect((await weirInProcess('run', file)).code).toBe(4);
    expect((await weirInProcess('run', file, '--max-trace-events', '100000')).code).toBe(0);
  });
});

describe('the story a run tells', () => {
  it('a long run is summarised in the middle, by kind of event, and keeps its end', async () => {
    const r = await weirInProcess('run', join(ROOT, 'scenarios', 'traffic-peak.json'));
    const lines = r.stdout.split('\n');
    const gap = lines.findIndex((l) => /… \d+ more lines from t=\d+ to t=\d+: \d+ sink\.wrote/.test(l));
    // The first 300 lines, then only the two backpressure episodes' ends and the watermark lines around them, which the fold keeps.
    expect(gap).toBeGreaterThan(300);
    const kept = lines.slice(300, gap);
    expect(kept.filter((l) => / no longer back-pressured \(for \d+ ms\)$/.test(l))).toHaveLength(2);
    expect(kept.filter((l) => / watermark reaches /.test(l)).length).toBeGreaterThan(0);
    expect(kept.every((l) => / no longer back-pressured \(for \d+ ms\)$| watermark reaches /.test(l))).toBe(true);
    expect(lines.slice(gap + 1).some((l) => /run ended: the job finished/.test(l))).toBe(true);
    expect(r.stdout).toMatch(/backpressure orders#0 \d+ ms/);
  });

  it('a run too long to show whole lists what its sinks wrote before its window firings: hourly tips shows all four hours', async () => {
    const r = await weirInProcess('run', join(ROOT, 'scenarios', 'training', 'hourly-tips.json'));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => / out> \{"windowEnd"/.test(l))).toHaveLength(4);
    expect(r.stdout).toMatch(/\(\d+ lines about windows, timers and state not listed, one or more per key and window/);
    expect(r.stdout).not.toMatch(/fired window|opened window|cleaned up window/);
  });

  it('a late record is a line of the timeline', async () => {
    const r = await weirInProcess('run', join(ROOT, 'scenarios', 'late-data.json'));
    expect(r.stdout).toMatch(/got a late record \{"page":"lost","user":"a"\} @800 behind watermark 1999: to side output 'late'|got a late record \{"user":"a","page":"lost"\} @800 behind watermark 1999: to side output 'late'/);
  });

  it('late records and side outputs are in the summary', async () => {
    const r = await weirInProcess('run', join(ROOT, 'scenarios', 'late-data.json'));
    expect(r.stdout).toMatch(/late records 0 dropped, 1 sent to a side output\nside outputs late: 1\n/);
  });
});

describe('files the run writes and names it gives', () => {
  it('--trace to a folder, or into a folder that does not exist, is refused before the run with exit 2', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'weir-trace-'));
    const inFolder = await weirInProcess('run', 'scenarios/hello-map-filter.json', '--trace', folder);
    expect(inFolder.code).toBe(2);
    expect(inFolder.stderr).toContain(`--trace ${folder}: is a folder, not a file`);
    const missing = await weirInProcess('run', 'scenarios/hello-map-filter.json', '--trace', join(folder, 'nope', 'x.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot be written: the folder');
    expect(missing.stdout).toBe('');
    const fine = await weirInProcess('run', 'scenarios/hello-map-filter.json', '--trace', join(folder, 'x.jsonl'));
    expect(fine.code).toBe(0);
  });

  it('a source timestamp expression that gives a fraction fails the job naming the source, not "timestamp"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-ts-'));
    const file = join(dir, 'frac.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir/scenario@1',
        name: 'frac',
        config: { restartStrategy: { type: 'none' } },
        topics: { clicks: { partitions: 1, records: [{ value: { t: 1.5 }, timestamp: 1 }] } },
        job: { name: 'j', operators: [{ id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' }, timestamp: 't' }, { id: 'out', type: 'sink', input: 'clicks', sink: { type: 'print' } }] },
      }),
    );
    const r = await weirInProcess('run', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("operator 'clicks' failed");
    expect(r.stdout).toContain('its timestamp expression must give a whole number of ms between -10^15 and 10^15 (MAX_TIME_MS), got 1.5');
    expect(r.stdout).not.toContain("operator 'timestamp'");
  });
});
