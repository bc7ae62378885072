// A window operator's windows at the cursor, from real runs of shipped scenarios: the lesson
// of late-data (a window fired and kept for its allowed lateness, then cleaned up, and the
// click that came after counted as late), session windows that grow by merging (window.merged), and the
// windows a failover loses and the restored checkpoint gives back.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue, type TraceEvent } from '../../core/index.ts';
import { eventsUpTo } from '../../playground/src/lib/moment.ts';
import { statusText, windowOperatorsOf, windowsAt, WindowsCursor, type WindowsView } from '../../playground/src/lib/windows-view.ts';

function eventsOf(name: string, traceLevel: 'full' | 'summary' = 'full'): readonly TraceEvent[] {
  const file = `scenarios/${name}.json`;
  const result = validateScenario(JSON.parse(readFileSync(file, 'utf8')) as JsonValue, file);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel });
  sim.run();
  return sim.trace.events;
}

const at = (events: readonly TraceEvent[], timeMs: number): WindowsView => windowsAt(events, eventsUpTo(events, timeMs));

/** The open windows of one operator as `key [start, end) status`, in the view's order. */
function openOf(view: WindowsView, operator: string): string[] {
  const op = view.operators.find((o) => o.operator === operator)!;
  return op.subtasks.flatMap((s) => s.open.map((w) => `${String(w.key)} [${w.start}, ${w.end}) ${w.status}`));
}

describe('windowsAt, late-data', () => {
  const events = eventsOf('late-data');

  it('lists the one window operator and its subtask from the whole run, before its first window too', () => {
    expect(windowOperatorsOf(events)).toEqual([{ operator: 'perSecond', tasks: ['perSecond#0'], merges: false }]);
    const start = windowsAt(events, 0);
    expect(start.operators.map((o) => o.operator)).toEqual(['perSecond']);
    expect(start).toMatchObject({ openCount: 0, closedCount: 0, lateCount: 0 });
  });

  it('before the watermark reaches 999, the windows of a and b wait for their end', () => {
    const view = at(events, 250);
    expect(openOf(view, 'perSecond')).toEqual(['a [0, 1000) waiting', 'b [0, 1000) waiting', 'a [1000, 2000) waiting']);
    const a = view.operators[0]!.subtasks[0]!.open[0]!;
    expect(a).toMatchObject({ createdMs: 1, firings: 0, lastFiredMs: null, global: false });
  });

  it('at t=401 the window [0, 1000) of a fired twice (on time, then for the click at 950) and is kept for its allowed lateness', () => {
    const view = at(events, 401);
    const sub = view.operators[0]!.subtasks[0]!;
    expect(sub.watermark).toBe(1099);
    const a = sub.open.find((w) => w.key === 'a' && w.start === 0)!;
    expect(a).toMatchObject({ end: 1000, createdMs: 1, firings: 2, lastFiredMs: 401, status: 'lateness' });
    expect(statusText(a)).toEqual({ icon: '✓', word: 'fired, kept for allowed lateness' });
    expect(sub.open.find((w) => w.key === 'b' && w.start === 0)).toMatchObject({ firings: 1, lastFiredMs: 301, status: 'lateness' });
    expect(view.operators[0]!.closedCount).toBe(0);
  });

  it('once the watermark passes 999 + 500, the window [0, 1000) is closed, cleaned up at t=501', () => {
    const view = at(events, 501);
    expect(openOf(view, 'perSecond')).toEqual(['a [1000, 2000) lateness', 'b [2000, 3000) waiting']);
    const op = view.operators[0]!;
    expect(op.closedCount).toBe(2);
    expect(op.recentlyClosed.map((w) => `${String(w.key)} [${w.start}, ${w.end}) ${w.firings}x @${w.closedMs}`)).toEqual(['b [0, 1000) 1x @501', 'a [0, 1000) 2x @501']);
    expect(op.late.dropped + op.late.sideOutput.length).toBe(0);
  });

  it('the click of a at 800 that comes at t=701 is counted late, to the side output, and every window is closed at the end', () => {
    const view = at(events, 701);
    const op = view.operators[0]!;
    expect(op.late).toEqual({
      dropped: 0,
      sideOutput: [['late', 1]],
      last: { timeMs: 701, task: 'perSecond#0', timestamp: 800, watermark: 1999, sideOutput: 'late' },
    });
    expect(view).toMatchObject({ openCount: 0, closedCount: 4, lateCount: 1 });
  });

  it('the cursor reads the same whichever way it got there (forward, back, forward again)', () => {
    const cursor = new WindowsCursor(events);
    expect(cursor.hasWindows).toBe(true);
    for (const t of [0, 401, 701, 301, 501]) expect(cursor.at(eventsUpTo(events, t))).toEqual(at(events, t));
  });
});

describe('windowsAt, window-types', () => {
  const events = eventsOf('window-types');

  it('sliding windows: each reading is in two windows', () => {
    expect(openOf(at(events, 30), 'sliding')).toEqual(['s1 [-500, 500) waiting', 's1 [0, 1000) waiting']);
  });

  it('session windows: at each merge the merged sessions leave the list and the merged window takes their place', () => {
    expect(windowOperatorsOf(events).map((o) => `${o.operator} ${o.merges}`)).toEqual(['tumbling false', 'sliding false', 'session true']);
    expect(events.filter((e) => e.tag === 'window.merged' && e.operator === 'session')).toHaveLength(4);
    // s1's reading at 0 opened [0, 400); its reading at 150, read at t=16, made that session [0, 550).
    expect(openOf(at(events, 15), 'session')).toEqual(['s1 [0, 400) waiting']);
    const merged = at(events, 16).operators.find((o) => o.operator === 'session')!;
    expect(openOf(at(events, 16), 'session')).toEqual(['s1 [0, 550) waiting']);
    expect(merged.shown[0]).toMatchObject({ createdMs: 1, firings: 0, merge: { timeMs: 16, from: [{ start: 0, end: 400 }], count: 1 } });
    expect(openOf(at(events, 120), 'session')).toEqual(['s1 [0, 550) waiting', 's2 [400, 800) waiting', 's1 [700, 1400) waiting', 's2 [950, 1350) waiting']);
    expect(at(events, 120).operators.find((o) => o.operator === 'session')!.shown.map((w) => w.merge?.count ?? 0)).toEqual([1, 0, 1, 0]);
    // The reading at 1250 joined s1's second session again: one window [700, 1650), not two rows, created when [700, 1100) was.
    const grown = at(events, 126).operators.find((o) => o.operator === 'session')!;
    expect(grown.shown.find((w) => w.key === 's1' && w.start === 700)).toMatchObject({ end: 1650, createdMs: 71, merge: { timeMs: 126, from: [{ start: 700, end: 1400 }], count: 2 } });
    expect(grown.openCount).toBe(4);
    const session = at(events, 201).operators.find((o) => o.operator === 'session')!;
    expect(session.recentlyClosed.map((w) => `${String(w.key)} [${w.start}, ${w.end}) created ${w.createdMs}`)).toEqual(['s2 [400, 800) created 41', 's1 [0, 550) created 1']);
    const end = at(events, 246).operators.find((o) => o.operator === 'session')!;
    expect(end.openCount).toBe(0);
    expect(end.closedCount).toBe(6);
    expect(end.recentlyClosed.find((w) => w.key === 's1' && w.start === 700)).toMatchObject({ end: 1650, createdMs: 71, firings: 1 });
  });

  it('a merge keeps the firings of the windows it merged, and the earliest creation time among them', () => {
    const e = (tag: string, timeMs: number, start: number, end: number, more: object = {}): TraceEvent =>
      ({ tag, timeMs, task: 'w#0', attempt: 1, operator: 'w', key: 'k', start, end, ...more }) as TraceEvent;
    const trace = [
      e('window.created', 1, 0, 10),
      e('window.fired', 2, 0, 10),
      e('window.created', 3, 20, 30),
      e('window.merged', 4, 0, 30, { merged: [{ start: 0, end: 10 }, { start: 20, end: 30 }] }),
    ];
    const view = windowsAt(trace, trace.length);
    expect(openOf(view, 'w')).toEqual(['k [0, 30) fired-early']);
    expect(view.operators[0]!.shown[0]).toMatchObject({ createdMs: 1, firings: 1, lastFiredMs: 2, merge: { timeMs: 4, from: [{ start: 0, end: 10 }, { start: 20, end: 30 }], count: 1 } });
    expect(windowsAt(trace, 3).operators[0]!.merges).toBe(true);
  });
});

describe('windowsAt, failover', () => {
  const events = eventsOf('checkpoint-recovery');

  it('the kill at 2,500 takes the open windows with it; the restore from checkpoint 2 gives back those its snapshots held', () => {
    const before = at(events, 2450);
    expect(openOf(before, 'counts')).toEqual(['k2 [2000, 4000) waiting', 'k0 [2000, 4000) waiting', 'k1 [2000, 4000) waiting', 'k3 [2000, 4000) waiting']);
    const killed = at(events, 2500);
    expect(killed.openCount).toBe(0);
    expect(killed.operators[0]!.lostInFailures).toBe(4);
    // Checkpoint 2's snapshots (t=2002, 2003) came before the windows [0, 2000) fired at 2201 and before k0, k2, k3 opened [2000, 4000).
    const restored = at(events, 3000);
    expect(openOf(restored, 'counts')).toEqual(['k2 [0, 2000) waiting', 'k0 [0, 2000) waiting', 'k1 [0, 2000) waiting', 'k3 [0, 2000) waiting', 'k1 [2000, 4000) waiting']);
    expect(restored.operators[0]!.subtasks.map((s) => s.attempt)).toEqual([2, 2]);
    // The replay fires the restored windows again and closes them.
    expect(at(events, 3201).closedCount).toBe(8);
  });
});

describe('windowsAt, runs without windows or below level full', () => {
  it('a job without a window operator has none', () => {
    const events = eventsOf('hello-map-filter');
    expect(windowOperatorsOf(events)).toEqual([]);
    expect(new WindowsCursor(events).hasWindows).toBe(false);
  });

  it('a summary trace has no window lifecycle to show', () => {
    expect(windowOperatorsOf(eventsOf('late-data', 'summary'))).toEqual([]);
  });
});
