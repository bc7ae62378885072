// The timeline of `weir run`: watermark progress (merged per millisecond, thinned in long
// runs), side outputs a user function writes, and backpressure with the consumer lag it
// caused, as a student reading a shipped scenario's run sees them.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/entry.ts';
import { planWatermarks } from '../../cli/timeline-watermarks.ts';
import type { TraceEvent } from '../../core/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

async function timeline(file: string): Promise<string[]> {
  let stdout = '';
  const code = await main(['run', file], { out: (t) => void (stdout += t), err: () => {} });
  expect(code).toBe(0);
  return stdout.split('\n');
}

const scenario = (name: string): string => join(ROOT, 'scenarios', `${name}.json`);

/** The index of the one line that ends with `text` (after its `t=` column). */
function lineOf(lines: readonly string[], text: string): number {
  const found = lines.flatMap((l, i) => (l.trimStart().replace(/^t=\d+ {2}/, '') === text ? [i] : []));
  expect(found, text).toHaveLength(1);
  return found[0]!;
}

describe('watermark progress', () => {
  it("late-data: the watermark reaches 1099 at t=301, just before the window [0, 1000) fires; the source's own watermark is left out", async () => {
    const lines = await timeline(scenario('late-data'));
    expect(lines.filter((l) => l.includes('watermark reaches'))).toEqual([
      '    t=101  watermark reaches 199 at perSecond#0',
      '    t=201  watermark reaches 799 at perSecond#0',
      '    t=301  watermark reaches 1099 at perSecond#0',
      '    t=501  watermark reaches 1999 at perSecond#0',
      '    t=701  watermark reaches +inf at perSecond#0',
    ]);
    const reaches = lineOf(lines, 'watermark reaches 1099 at perSecond#0');
    expect(lines[reaches + 1]).toBe('    t=301  perSecond#0 fired window [0, 1000) for key "a"');
    // The late record came before the final watermark: its line says so.
    expect(lineOf(lines, "perSecond#0 got a late record {\"user\":\"a\",\"page\":\"lost\"} @800 behind watermark 1999: to side output 'late'")).toBeLessThan(lineOf(lines, 'watermark reaches +inf at perSecond#0'));
  });

  it('window-types: one line per millisecond for every window operator that moved in it', async () => {
    const lines = await timeline(scenario('window-types'));
    const reaches = lineOf(lines, 'watermark reaches 1199 at tumbling#0, sliding#0, session#0');
    expect(lines[reaches + 1]).toBe('    t=201  tumbling#0 fired window [0, 1000) for key "s1"');
  });

  it('idle-partition: the strict window stays at 49 while the tolerant one follows partition 0 and fires', async () => {
    const lines = await timeline(scenario('idle-partition'));
    expect(lineOf(lines, 'watermark reaches 49 at strictWindow#0, tolerantWindow#0')).toBeGreaterThan(0);
    expect(lines.filter((l) => /watermark reaches .* at strictWindow#0/.test(l))).toHaveLength(1);
    const reaches = lineOf(lines, 'watermark reaches 1099 at tolerantWindow#0');
    expect(lines.slice(reaches + 1, reaches + 4)).toContain('   t=1101  tolerantWindow#0 fired window [0, 1000) for key "all"');
  });

  it('hourly-tips, a long run: thinned to one line per subtask per 1000 ms, with every advance that fired a window and the last', async () => {
    const lines = await timeline(join(ROOT, 'scenarios', 'training', 'hourly-tips.json'));
    const watermarkLines = lines.filter((l) => l.includes('watermark reaches'));
    expect(watermarkLines.length).toBeLessThanOrEqual(40);
    expect(lines).toContain('   t=3802  watermark reaches 1577887579999 at hourly-max#0');
    expect(lines).toContain('   t=7182  watermark reaches +inf at hourly-max#0');
    expect(lines.some((l) => /\(watermark lines thinned to one per subtask every 1000 ms, and each subtask's last: \d+ of \d+ advances not listed/.test(l))).toBe(true);
  });
});

describe('planWatermarks', () => {
  const advance = (timeMs: number, task: string, watermark: number): TraceEvent => ({ tag: 'watermark.advanced', timeMs, task, attempt: 1, operator: task.split('#')[0]!, watermark });
  const fired = (timeMs: number, task: string): TraceEvent => ({ tag: 'window.fired', timeMs, task, attempt: 1, operator: task.split('#')[0]!, key: 'k', start: 0, end: 1000 });

  it('merges the subtasks of one millisecond into one line, at the first of them, with each one its last value then', () => {
    const events = [advance(5, 'src#0', 10), advance(6, 'w#1', 10), advance(6, 'w#0', 10), fired(6, 'w#0'), advance(6, 'w#1', 12), advance(6, 'x#0', 3)];
    const plan = planWatermarks(events, new Set(['src']));
    expect([...plan.lines.entries()]).toEqual([[1, '      t=6  watermark reaches 12 at w#1; 10 at w#0; 3 at x#0']]);
    expect(plan).toMatchObject({ advances: 4, hidden: 0, everyMs: 1 });
  });

  it('a long run is thinned ten times coarser until it fits, keeping each subtask first per step, its firing advances and its last', () => {
    const events: TraceEvent[] = [];
    for (let t = 1; t <= 5000; t += 10) {
      events.push(advance(t, 'w#0', t * 2));
      if (t === 2471) events.push(fired(t, 'w#0'));
    }
    const plan = planWatermarks(events, new Set(), 100);
    expect(plan.everyMs).toBe(100);
    const shown = [...plan.lines.values()];
    expect(shown.length).toBe(50 + 2);
    expect(shown).toContain('   t=2471  watermark reaches 4942 at w#0');
    expect(shown[shown.length - 1]).toBe('   t=4991  watermark reaches 9982 at w#0');
    expect(plan.hidden).toBe(500 - 52);
  });

  it('names the subtasks of one vertex as ranges', () => {
    const events = [0, 1, 2, 4].map((i) => advance(7, `w#${i}`, 99));
    expect([...planWatermarks(events, new Set()).lines.values()]).toEqual(['      t=7  watermark reaches 99 at w#0-2,4']);
  });
});

describe('side outputs a user function writes', () => {
  it("are listed after the timeline, from the report; a window's late records to the same tag keep their own timed line", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-timeline-'));
    const file = join(dir, 'side.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir/scenario@1',
        name: 'side outputs',
        topics: { clicks: { partitions: 1, records: [{ value: { k: 'a', v: 1 }, timestamp: 100 }, { value: { k: 'a', v: 2 }, timestamp: 20000, at: 0 }, { value: { k: 'a', v: 3 }, timestamp: 5, at: 1000 }] } },
        job: {
          operators: [
            { id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' } },
            { id: 'kb', type: 'keyBy', input: 'clicks', key: 'k' },
            { id: 'win', type: 'window', input: 'kb', assigner: { type: 'tumbling', size: 10 }, aggregate: 'count', lateOutput: 'odd' },
            { id: 'proc', type: 'process', input: 'kb', onElement: [{ sideOutput: 'odd', value: 'v' }] },
            { id: 'w', type: 'sink', input: 'win', sink: { type: 'print' } },
            { id: 'p', type: 'sink', input: 'proc', sink: { type: 'print' } },
          ],
        },
      }),
    );
    const lines = await timeline(file);
    expect(lines.some((l) => /win#0 got a late record \{"k":"a","v":3\} @5 behind watermark \d+: to side output 'odd'/.test(l))).toBe(true);
    const header = lineOf(lines, "side output 'odd': 3 record(s) written by a user function (the trace does not time them; @ is the event timestamp)");
    expect(lines.slice(header + 1, header + 4)).toEqual(['             odd> 1 @100', '             odd> 2 @20000', '             odd> 3 @5']);
    expect(lines).toContain('side outputs odd: 4');
  });
});

describe('backpressure', () => {
  it('traffic-peak: how long each source waited for credit, and the consumer lag it left in the log at the peak', async () => {
    const lines = await timeline(scenario('traffic-peak'));
    expect(lines).toContain('backpressure orders#0 1258 ms, orders#1 1514 ms (time each subtask waited for credit)');
    expect(lines).toContain('consumer lag orders[0] 1668 at t=1000, orders[1] 1333 at t=1000 (the most records appended but not yet read, and when)');
  });

  it('a run without backpressure has neither line', async () => {
    const lines = await timeline(scenario('late-data'));
    expect(lines.some((l) => /^(backpressure|consumer lag) /.test(l))).toBe(false);
  });
});
