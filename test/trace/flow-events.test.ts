/**
 * The trace events that say when a task waits and where records go besides the main
 * output: task.backpressure (level summary: only when the flag flips, every episode ended,
 * their lengths the subtask's backpressure time), sideoutput.wrote (level full: each write
 * of a user function, not a window's late records, which record.late tells) and
 * window.merged (level full: which sessions merged into which, as Flink's merge callback).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation, parseScenarioText, StreamExecutionEnvironment, TumblingEventTimeWindows, validateScenario, type DataStream, type JsonValue, type Scenario, type TraceEvent } from '../../core/index.ts';

function shipped(name: string, change: (s: Record<string, unknown>) => void = () => {}): Scenario {
  const raw = JSON.parse(readFileSync(`scenarios/${name}.json`, 'utf8')) as Record<string, unknown>;
  change(raw);
  const result = parseScenarioText(JSON.stringify(raw), name);
  if (!result.ok) throw new Error(`${name} does not validate`);
  return result.scenario;
}

function scenario(raw: unknown): Scenario {
  const result = validateScenario(raw, 'flow-events.json');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
}

function run(s: Scenario, level: 'summary' | 'full' = 'full') {
  const sim = createSimulation({ scenario: s, traceLevel: level });
  sim.run();
  return { events: sim.trace.events, report: sim.report() };
}

type Of<T extends TraceEvent['tag']> = Extract<TraceEvent, { tag: T }>;
const of = <T extends TraceEvent['tag']>(events: readonly TraceEvent[], tag: T): Of<T>[] => events.filter((e): e is Of<T> => e.tag === tag);

/** Per subtask attempt, its flips in order; and the time of its back-pressured episodes in all, per subtask. */
function episodes(events: readonly TraceEvent[]): { flips: Map<string, boolean[]>; totalMs: Map<string, number> } {
  const flips = new Map<string, boolean[]>();
  const since = new Map<string, number>();
  const totalMs = new Map<string, number>();
  for (const e of of(events, 'task.backpressure')) {
    const id = `${e.task}/${e.attempt}`;
    flips.set(id, [...(flips.get(id) ?? []), e.backPressured]);
    if (e.backPressured) since.set(id, e.timeMs);
    else totalMs.set(e.task, (totalMs.get(e.task) ?? 0) + e.timeMs - since.get(id)!);
  }
  return { flips, totalMs };
}

describe('task.backpressure', () => {
  const { events, report } = run(shipped('backpressure'));

  it('backpressure: the source flips on and off, starting blocked, each episode ended, naming the consumer it waits for', () => {
    const { flips } = episodes(events);
    expect([...flips.keys()]).toEqual(['readings#0/1']);
    const seq = flips.get('readings#0/1')!;
    expect(seq.length).toBeGreaterThan(2);
    expect(seq.every((b, i) => b === (i % 2 === 0))).toBe(true);
    expect(seq[seq.length - 1]).toBe(false);
    for (const e of of(events, 'task.backpressure')) expect(e.backPressured ? e.downstream : 'none').toMatch(e.backPressured ? /^enrich#[01]$/ : /^none$/);
  });

  it("the episodes add up to each subtask's backPressuredTimeMs in the report, and there are far fewer flips than records", () => {
    const { totalMs } = episodes(events);
    const pressed = report.tasks.filter((t) => t.backPressuredTimeMs > 0).map((t) => [t.id, t.backPressuredTimeMs]);
    expect(pressed.length).toBeGreaterThan(0);
    expect([...totalMs.entries()]).toEqual(pressed);
    expect(of(events, 'task.backpressure').length).toBeLessThan(report.metrics.recordsIn / 10);
  });

  it('is kept at level summary, the same events as at full', () => {
    const summary = run(shipped('backpressure'), 'summary').events;
    expect(of(summary, 'task.backpressure')).toEqual(of(events, 'task.backpressure'));
  });

  it('late-data, a run without backpressure, has none', () => {
    const { events: quiet, report: r } = run(shipped('late-data'));
    expect(r.tasks.every((t) => t.backPressuredTimeMs === 0)).toBe(true);
    expect(of(quiet, 'task.backpressure')).toEqual([]);
  });

  it('an attempt that fails while back-pressured ends its episode when it stops, after its FAILED status', () => {
    const { events: failed, report: r } = run(shipped('backpressure', (s) => (s['faults'] = [{ type: 'kill-task', operator: 'readings', subtask: 0, at: 50 }])));
    const failedAt = failed.findIndex((e) => e.tag === 'task.status' && e.task === 'readings#0' && e.status === 'FAILED');
    expect(failedAt).toBeGreaterThan(-1);
    const next = failed.slice(failedAt + 1).find((e) => e.tag === 'task.backpressure' && e.task === 'readings#0');
    expect(next).toMatchObject({ timeMs: 50, attempt: 1, backPressured: false });
    const { flips, totalMs } = episodes(failed);
    for (const seq of flips.values()) expect(seq[seq.length - 1]).toBe(false);
    expect(totalMs.get('readings#0')).toBe(r.tasks.find((t) => t.id === 'readings#0')!.backPressuredTimeMs);
  });
});

/** A keyed job of `records` ({k, v} at the given timestamps, one ms apart) into event-time session windows with gap 10. */
function sessions(timestamps: readonly number[]): Scenario {
  return scenario({
    format: 'weir/scenario@1',
    name: 'sessions',
    topics: { clicks: { partitions: 1, records: timestamps.map((t, i) => ({ value: { k: 'a', v: i }, timestamp: t, at: i })) } },
    job: {
      operators: [
        { id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'bounded-out-of-orderness', maxOutOfOrderness: 100 } },
        { id: 'kb', type: 'keyBy', input: 'clicks', key: 'k' },
        { id: 'win', type: 'window', input: 'kb', assigner: { type: 'session', gap: 10 }, aggregate: 'count' },
        { id: 'out', type: 'sink', input: 'win', sink: { type: 'print' } },
      ],
    },
  });
}

describe('window.merged', () => {
  it('an element that bridges two sessions merges both into one; the merged window opens nothing new', () => {
    const { events, report } = run(sessions([0, 15, 8]));
    const merged = of(events, 'window.merged');
    expect(merged).toHaveLength(1);
    // The element read at t=2 reaches the window a network hop later.
    expect(merged[0]).toMatchObject({ timeMs: 3, task: 'win#0', attempt: 1, operator: 'win', key: 'a', start: 0, end: 25, merged: [{ start: 0, end: 10 }, { start: 15, end: 25 }] });
    expect(of(events, 'window.created').map((e) => [e.start, e.end])).toEqual([[0, 10], [15, 25]]);
    expect(report.sinks['out']!.committed.map((r) => r.value)).toEqual([{ key: 'a', window: { start: 0, end: 25 }, value: 3 }]);
  });

  it('an element that extends a session merges it alone; one inside a session merges nothing', () => {
    const { events } = run(sessions([0, 5, 7]));
    expect(of(events, 'window.merged').map((e) => [e.merged, e.start, e.end])).toEqual([
      [[{ start: 0, end: 10 }], 0, 15],
      [[{ start: 0, end: 15 }], 0, 17],
    ]);
    expect(of(run(sessions([0, 2])).events, 'window.merged')).toHaveLength(1);
    expect(of(run(sessions([0, 0])).events, 'window.merged')).toHaveLength(0);
  });

  it('is not kept at level summary, and the run is the same', () => {
    const full = run(sessions([0, 15, 8]));
    const summary = run(sessions([0, 15, 8]), 'summary');
    expect(of(summary.events, 'window.merged')).toEqual([]);
    expect(summary.report.sinks).toEqual(full.report.sinks);
  });
});

describe('sideoutput.wrote', () => {
  const job = scenario({
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
  });
  const { events, report } = run(job);

  it("each write of a process function is one event, with its operator, tag, value and timestamp; the window's late record is only record.late", () => {
    const wrote = of(events, 'sideoutput.wrote');
    expect(wrote.map((e) => [e.task, e.operator, e.sideOutput, e.value, e.timestamp])).toEqual([
      ['proc#0', 'proc', 'odd', 1, 100],
      ['proc#0', 'proc', 'odd', 2, 20000],
      ['proc#0', 'proc', 'odd', 3, 5],
    ]);
    expect(wrote[2]!.timeMs).toBeGreaterThanOrEqual(1000);
    expect(of(events, 'record.late').map((e) => [e.operator, e.value, e.sideOutput])).toEqual([['win', { k: 'a', v: 3 }, 'odd']]);
    // The report's side output holds both: the three writes and the late record.
    expect(report.sideOutputs['odd']).toHaveLength(4);
  });

  it('is not kept at level summary, and the side output is the same', () => {
    const summary = run(job, 'summary');
    expect(of(summary.events, 'sideoutput.wrote')).toEqual([]);
    expect(summary.report.sideOutputs).toEqual(report.sideOutputs);
  });

  it("a window function's and a keyed connect's ctx.output are traced too, each with the timestamp it writes", () => {
    const e = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
    const seq = (items: [JsonValue, number][]): DataStream => e.fromSequence(items.map(([value, timestamp]) => ({ kind: 'record' as const, value, timestamp })));
    const keyOf = (v: JsonValue): JsonValue => (v as { k: string }).k;
    seq([[{ k: 'a' }, 100]])
      .keyBy(keyOf)
      .window(TumblingEventTimeWindows.of(1000))
      .process((key, _window, elements, ctx) => {
        ctx.output('sizes', { key, size: elements.length });
        return [key];
      })
      .print();
    seq([[{ k: 'b' }, 10]])
      .keyBy(keyOf)
      .connect(seq([[{ k: 'b' }, 20]]).keyBy(keyOf))
      .process({ processElement1: () => {}, processElement2: (v, ctx) => ctx.output('side', v) })
      .print();
    const sim = createSimulation({ streamGraph: e.getStreamGraph('side outputs'), seed: 1, traceLevel: 'full' });
    sim.run();
    const wrote = of(sim.trace.events, 'sideoutput.wrote').map((w) => [w.sideOutput, w.value, w.timestamp]);
    expect(wrote.sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
      ['side', { k: 'b' }, 20],
      ['sizes', { key: 'a', size: 1 }, 999],
    ]);
  });
});
