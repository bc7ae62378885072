// The DataStream API: the example of docs/datastream-api.md runs as written, windows and
// keyed process functions give what the equivalent scenario gives.
import { describe, expect, it } from 'vitest';
import {
  ArrayPartition,
  CountTrigger,
  createSimulation,
  EventTimeSessionWindows,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  valueState,
  WatermarkStrategy,
  type JsonValue,
  type Topic,
} from '../../core/index.ts';

type Click = { user: string; ms: number };

function clicks(): Topic {
  return {
    name: 'clicks',
    partitions: [
      new ArrayPartition([
        { key: 'ann', value: { user: 'ann', ms: 120 }, timestamp: 100, at: 0 },
        { key: 'bob', value: { user: 'bob', ms: 80 }, timestamp: 300, at: 50 },
        { key: 'ann', value: { user: 'ann', ms: 30 }, timestamp: 400, at: 60 },
        { key: 'ann', value: { user: 'ann', ms: 70 }, timestamp: 1500, at: 300 },
        { key: 'bob', value: { user: 'bob', ms: 90 }, timestamp: 900, at: 350 },
      ]),
    ],
  };
}

describe('the DataStream API', () => {
  it('runs the example of docs/datastream-api.md', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    env.getConfig().setAutoWatermarkInterval(100);
    env
      .fromSource(clicks(), WatermarkStrategy.forBoundedOutOfOrderness(100).withIdleness(1000), 'clicks')
      .filter((v) => (v as Click).ms > 50)
      .keyBy((v) => (v as Click).user)
      .window(TumblingEventTimeWindows.of(1000))
      .allowedLateness(500)
      .sideOutputLateData('late')
      .sum('ms')
      .print();
    const sim = createSimulation({ streamGraph: env.getStreamGraph('slow clicks'), seed: 7 });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('FINISHED');
    const results = Object.values(report.sinks)[0]!.committed.map((r) => r.value as { key: string; window: { start: number }; value: number });
    // bob's click at 900 arrives after the window [0, 1000) fired (watermark 1399), within
    // the allowed lateness: a late firing with the updated sum follows the first one.
    expect(results.map((r) => `${r.key}@${r.window.start}=${r.value}`)).toEqual(['ann@0=120', 'bob@0=80', 'bob@0=170', 'ann@1000=70']);
  });

  it('aggregate with an AggregateFunction and a window function; a count trigger', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env
      .fromSource(clicks(), WatermarkStrategy.forMonotonousTimestamps(), 'clicks')
      .keyBy((v) => (v as Click).user)
      .window(TumblingEventTimeWindows.of(1000))
      .trigger(CountTrigger.of(2))
      .aggregate(
        {
          createAccumulator: () => [0, 0],
          add: (v, acc) => [(acc as number[])[0]! + 1, (acc as number[])[1]! + (v as Click).ms],
          getResult: (acc) => (acc as number[])[1]! / (acc as number[])[0]!,
          merge: (a, b) => [(a as number[])[0]! + (b as number[])[0]!, (a as number[])[1]! + (b as number[])[1]!],
        },
        (key, window, mean) => [{ user: key, from: window.start, meanMs: mean }],
      )
      .print();
    const sim = createSimulation({ streamGraph: env.getStreamGraph() });
    sim.run();
    // The count trigger fires (without purging) at the 2nd element of a key's window.
    expect(Object.values(sim.report().sinks)[0]!.committed.map((r) => r.value)).toEqual([
      { user: 'ann', from: 0, meanMs: 75 },
      { user: 'bob', from: 0, meanMs: 85 },
    ]);
  });

  it('process windows and sessions', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env
      .fromSource(clicks(), WatermarkStrategy.forMonotonousTimestamps(), 'clicks')
      .keyBy((v) => (v as Click).user)
      .window(EventTimeSessionWindows.withGap(400))
      .process((key, window, elements) => [{ user: key, start: window.start, end: window.end, n: elements.length }])
      .print();
    const sim = createSimulation({ streamGraph: env.getStreamGraph() });
    sim.run();
    const out = Object.values(sim.report().sinks)[0]!.committed.map((r) => r.value as { user: string; start: number; end: number; n: number });
    expect(out.sort((a, b) => a.user.localeCompare(b.user) || a.start - b.start)).toEqual([
      { user: 'ann', start: 100, end: 800, n: 2 },
      { user: 'ann', start: 1500, end: 1900, n: 1 },
      { user: 'bob', start: 300, end: 700, n: 1 },
      { user: 'bob', start: 900, end: 1300, n: 1 },
    ]);
  });

  it('a KeyedProcessFunction with state and an event-time timer', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env
      .fromSource(clicks(), WatermarkStrategy.forMonotonousTimestamps(), 'clicks')
      .keyBy((v) => (v as Click).user)
      .process({
        state: { total: valueState(0) },
        processElement(value, ctx) {
          const total = ctx.getState('total');
          total.update((total.value() as number) + (value as Click).ms);
          ctx.timerService().registerEventTimeTimer(2000);
        },
        onTimer(_timestamp, ctx, out) {
          out.collect({ user: ctx.getCurrentKey(), total: ctx.getState('total').value() } as JsonValue);
        },
      })
      .print();
    const sim = createSimulation({ streamGraph: env.getStreamGraph() });
    sim.run();
    expect(Object.values(sim.report().sinks)[0]!.committed).toEqual([
      { value: { user: 'ann', total: 220 }, timestamp: 2000 },
      { value: { user: 'bob', total: 170 }, timestamp: 2000 },
    ]);
  });
});
