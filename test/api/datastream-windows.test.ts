// The rest of Flink's window API in the DataStream API: countWindow / countWindowAll,
// GlobalWindows with triggers and evictors, the continuous, purging and delta triggers,
// dynamic session gaps, a window stagger, ProcessAllWindowFunction, and aggregate or
// reduce followed by a window function, on windows and windowAll alike (the windowAll
// builder shares the keyed one's code).
import { describe, expect, it } from 'vitest';
import {
  ArrayPartition,
  ContinuousEventTimeTrigger,
  CountEvictor,
  CountTrigger,
  createSimulation,
  DeltaEvictor,
  DeltaTrigger,
  EventTimeSessionWindows,
  GlobalWindows,
  isGlobalWindow,
  PurgingTrigger,
  StreamExecutionEnvironment,
  TimeEvictor,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  WatermarkStrategy,
  WindowStagger,
  type DataStream,
  type JsonValue,
  type Topic,
} from '../../core/index.ts';

type Reading = { k: string; v: number };

function readings(values: [k: string, v: number, t: number][]): Topic {
  return { name: 'readings', partitions: [new ArrayPartition(values.map(([k, v, t], i) => ({ key: k, value: { k, v }, timestamp: t, at: i })))] };
}

/** Runs a job built on the readings and returns what its one print sink wrote. */
function output(values: [string, number, number][], build: (s: DataStream) => DataStream): JsonValue[] {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  build(env.fromSource(readings(values), WatermarkStrategy.forMonotonousTimestamps(), 'readings')).print();
  const sim = createSimulation({ streamGraph: env.getStreamGraph() });
  sim.run();
  expect(sim.report().status).toBe('FINISHED');
  return Object.values(sim.report().sinks)[0]!.committed.map((r) => r.value);
}

const five: [string, number, number][] = [
  ['a', 1, 1],
  ['b', 10, 2],
  ['a', 2, 3],
  ['a', 3, 4],
  ['b', 20, 5],
];

describe('count windows', () => {
  it('countWindow(size): GlobalWindows + PurgingTrigger.of(CountTrigger.of(size))', () => {
    const viaCount = output(five, (s) => s.keyBy((v) => (v as Reading).k).countWindow(2).sum('v'));
    const spelledOut = output(five, (s) =>
      s
        .keyBy((v) => (v as Reading).k)
        .window(GlobalWindows.create())
        .trigger(PurgingTrigger.of(CountTrigger.of(2)))
        .sum('v'),
    );
    expect(viaCount).toEqual([
      { key: 'a', window: { start: null, end: null, global: true }, value: 3 },
      { key: 'b', window: { start: null, end: null, global: true }, value: 30 },
    ]);
    expect(spelledOut).toEqual(viaCount);
  });

  it('countWindow(size, slide): a count evictor of size and a count trigger of slide', () => {
    const fired = output(five, (s) => s.keyBy((v) => (v as Reading).k).countWindow(2, 1).sum('v'));
    expect(fired).toEqual([
      { key: 'a', window: { start: null, end: null, global: true }, value: 1 },
      { key: 'b', window: { start: null, end: null, global: true }, value: 10 },
      { key: 'a', window: { start: null, end: null, global: true }, value: 3 },
      { key: 'a', window: { start: null, end: null, global: true }, value: 5 },
      { key: 'b', window: { start: null, end: null, global: true }, value: 30 },
    ]);
  });

  it('countWindowAll with a ProcessAllWindowFunction, and with reduce + a window function', () => {
    const processed = output(five, (s) => s.countWindowAll(2).process((window, elements) => [{ window: isGlobalWindow(window) ? 'global' : 'time', n: elements.length }]));
    expect(processed).toEqual([
      { window: 'global', n: 2 },
      { window: 'global', n: 2 },
    ]);
    const reduced = output(five, (s) => s.countWindowAll(3, 3).reduce((a, b) => ({ k: 'all', v: (a as Reading).v + (b as Reading).v }), (_w, r) => [(r as Reading).v]));
    expect(reduced).toEqual([13]);
  });
});

describe('triggers and evictors', () => {
  it('ContinuousEventTimeTrigger on a tumbling window', () => {
    const fired = output(
      [
        ['a', 1, 100],
        ['a', 2, 700],
        ['a', 4, 900],
      ],
      (s) =>
        s
          .keyBy((v) => (v as Reading).k)
          .window(TumblingEventTimeWindows.of(1000))
          .trigger(ContinuousEventTimeTrigger.of(500))
          .sum('v'),
    );
    // the three records are read before the first periodic watermark, which passes 500 and
    // 999 at once: the early firing already holds all three
    expect(fired.map((r) => (r as { value: number }).value)).toEqual([7, 7]);
  });

  it('DeltaTrigger and DeltaEvictor take TypeScript delta functions', () => {
    const fired = output(
      [
        ['a', 1, 1],
        ['a', 4, 2],
        ['a', 9, 3],
        ['a', 10, 4],
      ],
      (s) =>
        s
          .keyBy((v) => (v as Reading).k)
          .window(GlobalWindows.create())
          .trigger(DeltaTrigger.of(5, (a, b) => (b as Reading).v - (a as Reading).v))
          .evictor(DeltaEvictor.of(5, (a, b) => (b as Reading).v - (a as Reading).v))
          .process((_k, _w, elements) => [elements.map((e) => (e as Reading).v)]),
    );
    // 9 - 1 > 5 fires; the evictor drops what is 5 or more below the last, 9: 1 and 4
    expect(fired).toEqual([[9]]);
  });

  it('TimeEvictor and CountEvictor on a windowAll, with aggregate + window function', () => {
    const fired = output(five, (s) =>
      s
        .windowAll(TumblingEventTimeWindows.of(100))
        .evictor(TimeEvictor.of(2))
        .aggregate({ kind: 'sum', expr: 'v' }, (window, sum) => [{ end: window.end, sum }]),
    );
    // newest timestamp 5, cutoff 5 - 2 = 3: the elements at 4 and 5 stay (3 + 20)
    expect(fired).toEqual([{ end: 100, sum: 23 }]);
    const counted = output(five, (s) => s.windowAll(TumblingEventTimeWindows.of(100)).evictor(CountEvictor.of(1)).max('v'));
    expect(counted).toEqual([{ window: { start: 0, end: 100 }, value: 20 }]);
  });
});

describe('assigners', () => {
  it('EventTimeSessionWindows.withDynamicGap', () => {
    const fired = output(
      [
        ['a', 50, 0],
        ['a', 5, 40],
        ['a', 5, 100],
      ],
      (s) =>
        s
          .keyBy((v) => (v as Reading).k)
          .window(EventTimeSessionWindows.withDynamicGap((v) => (v as Reading).v))
          .sum('v'),
    );
    expect(fired).toEqual([
      { key: 'a', window: { start: 0, end: 50 }, value: 55 },
      { key: 'a', window: { start: 100, end: 105 }, value: 5 },
    ]);
  });

  it('a DeltaTrigger on session windows is refused when the job is built, as in Flink', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    const keyed = env.fromSource(readings(five), WatermarkStrategy.forMonotonousTimestamps(), 'readings').keyBy((v) => (v as Reading).k);
    expect(() => keyed.window(EventTimeSessionWindows.withGap(10)).trigger(DeltaTrigger.of(1, (a, b) => (b as Reading).v - (a as Reading).v))).toThrow(/cannot be used with session windows/);
    expect(() => keyed.window(EventTimeSessionWindows.withGap(10)).trigger(PurgingTrigger.of(CountTrigger.of(2)))).not.toThrow();
  });

  it('TumblingProcessingTimeWindows.of(size, offset, WindowStagger) builds the staggered spec', () => {
    expect(TumblingProcessingTimeWindows.of(1000, 0, WindowStagger.RANDOM)).toEqual({ type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'processing', stagger: 'random' });
    expect(TumblingProcessingTimeWindows.of(1000)).toEqual({ type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'processing' });
  });
});
