/**
 * A window whose evictor leaves no element, through the DataStream API: Flink's evicting
 * window still applies its function, to an empty iterable, so an AggregateFunction gives
 * getResult(createAccumulator()) while a reduce has nothing to give and emits nothing.
 */
import { describe, expect, it } from 'vitest';
import { CountEvictor, CountTrigger, createSimulation, GlobalWindows, StreamExecutionEnvironment, type JsonValue, type RunReport } from '../../core/index.ts';

function run(build: (e: StreamExecutionEnvironment) => void): RunReport {
  const e = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
  build(e);
  const sim = createSimulation({ streamGraph: e.getStreamGraph('evicting'), seed: 1 });
  sim.run();
  return sim.report();
}

const items = [1, 2, 3, 4].map((v, i) => ({ kind: 'record' as const, value: { k: 'a', v } as JsonValue, timestamp: i }));
const values = (r: RunReport): JsonValue[] => r.sinks['print-1']!.committed.map((x) => x.value);

describe('an evictor that empties the window', () => {
  it('an AggregateFunction emits getResult(createAccumulator()) at each firing', () => {
    const report = run((e) =>
      e
        .fromSequence(items)
        .keyBy((v) => (v as { k: string }).k)
        .window(GlobalWindows.create())
        .trigger(CountTrigger.of(2))
        .evictor(CountEvictor.of(0))
        .aggregate({ createAccumulator: () => ({ n: 0 }), add: (_v, acc) => ({ n: (acc as { n: number }).n + 1 }), getResult: (acc) => (acc as { n: number }).n, merge: (a) => a })
        .print(),
    );
    expect(report.failureCause ?? null).toBe(null);
    expect(values(report).map((v) => (v as { value: JsonValue }).value)).toEqual([0, 0]);
  });

  it('a reduce emits nothing', () => {
    const report = run((e) =>
      e
        .fromSequence(items)
        .keyBy((v) => (v as { k: string }).k)
        .window(GlobalWindows.create())
        .trigger(CountTrigger.of(2))
        .evictor(CountEvictor.of(0))
        .reduce((a) => a)
        .print(),
    );
    expect(report.failureCause ?? null).toBe(null);
    expect(values(report)).toEqual([]);
  });
});
