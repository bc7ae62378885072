// The timeline of `weir run`: watermark progress (merged per millisecond, thinned in long
// runs), side outputs a user function writes (timed at trace level full, listed after the
// timeline below it), sessions merging, and backpressure episodes with the consumer lag they
// caused, as a student reading a shipped scenario's run sees them.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/entry.ts';
import { planBackPressure } from '../../cli/timeline-backpressure.ts';
import { planWatermarks } from '../../cli/timeline-watermarks.ts';
import type { TraceEvent } from '../../core/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');

async function timeline(file: string, ...args: string[]): Promise<string[]> {
  let stdout = '';
  const code = await main(['run', file, ...args], { out: (t) => void (stdout += t), err: () => {} });
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
  const file = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-timeline-'));
    const path = join(dir, 'side.json');
    writeFileSync(
      path,
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
    return path;
  };
  const late = /win#0 got a late record \{"k":"a","v":3\} @5 behind watermark \d+: to side output 'odd'/;

  it('at trace level full each write has its timed line, in order with the rest, and nothing is listed after the timeline', async () => {
    const lines = await timeline(file());
    const writes = lines.filter((l) => l.includes('to side output') && l.includes('proc#0 wrote'));
    expect(writes.map((l) => l.replace(/^ *t=\d+ {2}/, ''))).toEqual(["proc#0 wrote 1 @100 to side output 'odd'", "proc#0 wrote 2 @20000 to side output 'odd'", "proc#0 wrote 3 @5 to side output 'odd'"]);
    // The third record is read at t=1000: its write comes after that, not at the start.
    expect(Number(/t=(\d+)/.exec(writes[2]!)![1])).toBeGreaterThanOrEqual(1000);
    expect(lines.some((l) => late.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("side output 'odd':"))).toBe(false);
    expect(lines).toContain('side outputs odd: 4');
  });

  it("at trace level summary they are listed after the timeline, from the report; a window's late records to the same tag keep their own timed line", async () => {
    const lines = await timeline(file(), '--trace-level', 'summary');
    expect(lines.some((l) => late.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('proc#0 wrote'))).toBe(false);
    const header = lineOf(lines, "side output 'odd': 3 record(s) written by a user function (not timed at trace level summary: --trace-level full times them; @ is the event timestamp)");
    expect(lines.slice(header + 1, header + 4)).toEqual(['             odd> 1 @100', '             odd> 2 @20000', '             odd> 3 @5']);
    expect(lines).toContain('side outputs odd: 4');
  });
});

describe('session windows merging', () => {
  it('window-types: a session that an element extends says which window it merged into which', async () => {
    const lines = await timeline(scenario('window-types'));
    const opened = lineOf(lines, 'session#0 opened window [0, 400) for key "s1"');
    const merged = lineOf(lines, 'session#0 merged window [0, 400) with a new element into window [0, 550) for key "s1"');
    expect(merged).toBeGreaterThan(opened);
    expect(lines[merged]).toBe('     t=16  session#0 merged window [0, 400) with a new element into window [0, 550) for key "s1"');
    expect(lineOf(lines, 'session#0 fired window [0, 550) for key "s1"')).toBeGreaterThan(merged);
  });
});

describe('backpressure', () => {
  it('traffic-peak: when each source starts and stops waiting for credit, for as long as the summary says, with the consumer lag it left in the log', async () => {
    const lines = await timeline(scenario('traffic-peak'));
    const started = lineOf(lines, 'orders#0 back-pressured (waiting for credit from enrich#1)');
    expect(lines[started]).toBe('   t=1000  orders#0 back-pressured (waiting for credit from enrich#1)');
    expect(lines).toContain('   t=1000  orders#1 back-pressured (waiting for credit from enrich#0)');
    // A long run folds its middle, but not the line that ends an episode a reader saw begin.
    expect(lineOf(lines, 'orders#0 no longer back-pressured (for 1409 ms)')).toBeGreaterThan(started);
    expect(lines).toContain('   t=2409  orders#0 no longer back-pressured (for 1409 ms)');
    expect(lines).toContain('   t=2537  orders#1 no longer back-pressured (for 1537 ms)');
    expect(lines.filter((l) => l.includes('back-pressured'))).toHaveLength(4);
    expect(lines).toContain('backpressure orders#0 1409 ms, orders#1 1537 ms (time each subtask waited for credit)');
    expect(lines).toContain('consumer lag orders[0] 1668 at t=1000, orders[1] 1333 at t=1000 (the most records appended but not yet read, and when)');
  });

  it('a run without backpressure has none of these lines', async () => {
    const lines = await timeline(scenario('late-data'));
    expect(lines.some((l) => /^(backpressure|consumer lag) /.test(l) || l.includes('back-pressured'))).toBe(false);
  });
});

describe('planBackPressure', () => {
  /** The plan's lines in trace order, as the timeline prints them. */
  const inOrder = (lines: ReadonlyMap<number, string>): string[] => [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
  const flip = (timeMs: number, task: string, backPressured: boolean, attempt = 1): TraceEvent =>
    backPressured ? { tag: 'task.backpressure', timeMs, task, attempt, backPressured, downstream: 'w#0' } : { tag: 'task.backpressure', timeMs, task, attempt, backPressured };

  it('flips that resume and block again in one millisecond are one episode; a gap ends it', () => {
    const events = [flip(10, 's#0', true), flip(12, 's#0', false), flip(12, 's#0', true), flip(30, 's#0', false), flip(31, 's#0', true), flip(35, 's#0', false)];
    const plan = planBackPressure(events);
    expect([...plan.lines.entries()]).toEqual([
      [0, '     t=10  s#0 back-pressured (waiting for credit from w#0)'],
      [3, '     t=30  s#0 no longer back-pressured (for 20 ms)'],
      [4, '     t=31  s#0 back-pressured (waiting for credit from w#0)'],
      [5, '     t=35  s#0 no longer back-pressured (for 4 ms)'],
    ]);
    expect(plan).toMatchObject({ episodes: 2, folded: false });
  });

  it("a new attempt's episode is its own, and one still going at the end has no closing line", () => {
    const plan = planBackPressure([flip(5, 's#0', true), flip(7, 's#0', false), flip(7, 's#0', true, 2)]);
    expect(inOrder(plan.lines)).toEqual(['      t=5  s#0 back-pressured (waiting for credit from w#0)', '      t=7  s#0 no longer back-pressured (for 2 ms)', '      t=7  s#0 back-pressured (waiting for credit from w#0)']);
  });

  it("too many episodes: each subtask keeps its first, and the rest are one line where its last ended, with their time in all", () => {
    const events: TraceEvent[] = [];
    for (let t = 0; t < 100; t += 10) events.push(flip(t, 'a#0', true), flip(t, 'b#0', true), flip(t + 3, 'a#0', false), flip(t + 5, 'b#0', false));
    const plan = planBackPressure(events, 8);
    expect(plan).toMatchObject({ episodes: 20, folded: true });
    expect(inOrder(plan.lines)).toEqual([
      '      t=0  a#0 back-pressured (waiting for credit from w#0)',
      '      t=0  b#0 back-pressured (waiting for credit from w#0)',
      '      t=3  a#0 no longer back-pressured (for 3 ms)',
      '      t=5  b#0 no longer back-pressured (for 5 ms)',
      '     t=93  a#0 back-pressured 9 more time(s) from t=10 to t=93, 27 ms in all',
      '     t=95  b#0 back-pressured 9 more time(s) from t=10 to t=95, 45 ms in all',
    ]);
  });
});
