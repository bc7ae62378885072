// windowAll and maxBy / minBy, which hourly tips needs: in scenario files and the DataStream
// API, a non-keyed window at parallelism 1 whose result has no key, and maxBy keeping the
// first element of a tie, as Flink's does.
import { describe, expect, test } from 'vitest';
import { createSimulation, parseScenarioText, StreamExecutionEnvironment, TumblingEventTimeWindows, WatermarkStrategy, ArrayPartition, type JsonValue } from '../../core/index.ts';

const items = [
  { value: { d: 'a', v: 3 }, timestamp: 100 },
  { value: { d: 'b', v: 5 }, timestamp: 200 },
  { value: { d: 'c', v: 5 }, timestamp: 300 },
  { value: { d: 'd', v: 1 }, timestamp: 1200 },
];

function scenario(aggregate: unknown, extra: Record<string, unknown> = {}, input = 'nums') {
  return {
    format: 'weir/scenario@1',
    name: 'w',
    config: { parallelism: 2 },
    job: {
      name: 'w',
      operators: [
        { id: 'nums', type: 'sequence', items },
        { id: 'spread', type: 'map', input: 'nums', expr: '$' },
        { id: 'by-d', type: 'keyBy', input: 'spread', key: 'd' },
        { id: 'all', type: 'windowAll', input, assigner: { type: 'tumbling', size: 1000 }, aggregate, ...extra },
        { id: 'out', type: 'sink', input: 'all', sink: { type: 'print' } },
      ],
    },
  };
}

function run(json: unknown) {
  const result = parseScenarioText(JSON.stringify(json), 'w.json');
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.path}: ${i.message}`).join('\n'));
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  return sim.report();
}

describe('windowAll in a scenario', () => {
  test('one window over every record, {window, value} at end - 1, maxBy keeping the first of a tie', () => {
    // Read straight from the sequence (one channel), so the arrival order is the items' order.
    const report = run(scenario({ maxBy: 'v' }, {}, 'nums'));
    expect(report.sinks['out']!.committed).toEqual([
      { value: { window: { start: 0, end: 1000 }, value: { d: 'b', v: 5 } }, timestamp: 999 },
      { value: { window: { start: 1000, end: 2000 }, value: { d: 'd', v: 1 } }, timestamp: 1999 },
    ]);
    expect(report.jobGraph.vertices.find((v) => v.operators.includes('all'))!.parallelism).toBe(1);
  });

  test('minBy, sum and count; on a keyed stream the key is ignored, as Flink re-keys by a constant', () => {
    expect(run(scenario({ minBy: 'v' }, {}, 'spread')).sinks['out']!.committed.map((r) => (r.value as { value: JsonValue }).value)).toEqual([{ d: 'a', v: 3 }, { d: 'd', v: 1 }]);
    expect(run(scenario({ sum: 'v' }, {}, 'by-d')).sinks['out']!.committed.map((r) => r.value)).toEqual([
      { window: { start: 0, end: 1000 }, value: 13 },
      { window: { start: 1000, end: 2000 }, value: 1 },
    ]);
    expect(run(scenario('count')).sinks['out']!.committed.map((r) => (r.value as { value: JsonValue }).value)).toEqual([3, 1]);
  });

  test('maxBy on a keyed window gives each key its element with the largest value', () => {
    const json = scenario('count');
    json.job.operators[3] = { id: 'all', type: 'window', input: 'by-d', assigner: { type: 'tumbling', size: 10_000 }, aggregate: { maxBy: 'v' } };
    const values = run(json).sinks['out']!.committed.map((r) => r.value as { key: string; value: { v: number } });
    expect(values.map((r) => [r.key, r.value.v]).sort()).toEqual([['a', 3], ['b', 5], ['c', 5], ['d', 1]]);
  });

  test('mistakes: a parallelism other than 1, a maxBy without an expression, a window without a keyed input', () => {
    const problems = (json: unknown) => {
      const result = parseScenarioText(JSON.stringify(json), 'w.json');
      return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
    };
    expect(problems(scenario('count', { parallelism: 2 }))).toEqual([
      "$.job.operators[3].parallelism: operator 'all': a windowAll sees the whole stream in one subtask, so its parallelism is 1 (as Flink forces), found 2",
    ]);
    expect(problems(scenario('maxBy'))).toEqual([`$.job.operators[3].aggregate: the aggregate 'maxBy' needs an expression saying what to aggregate, e.g. {"maxBy": "amount"}`]);
    const keyless = scenario('count');
    keyless.job.operators[3] = { id: 'all', type: 'window', input: 'spread', assigner: { type: 'tumbling', size: 1000 }, aggregate: 'count' };
    expect(problems(keyless)[0]).toMatch(/use a windowAll/);
  });
});

describe('windowAll in the DataStream API', () => {
  const topic = () => ({ name: 'nums', partitions: [new ArrayPartition(items.slice(0, 2).map((i) => ({ ...i, key: null, at: 0 }))), new ArrayPartition(items.slice(2).map((i) => ({ ...i, key: null, at: 0 })))] });

  test('maxBy, process (a ProcessAllWindowFunction) and a parallelism-1 operator', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    const nums = env.fromSource(topic(), WatermarkStrategy.forMonotonousTimestamps(), 'nums');
    nums.windowAll(TumblingEventTimeWindows.of(1000)).minBy('v').print();
    nums.windowAll(TumblingEventTimeWindows.of(1000)).process((window, values) => [{ end: window.end, n: values.length }]).print();
    const sim = createSimulation({ streamGraph: env.getStreamGraph('all'), seed: 0 });
    sim.run();
    // Each print sink runs at 2 after the windowAll's 1, so its records may come in either order.
    const byTime = (records: { value: JsonValue; timestamp: number | null }[]) => [...records].sort((a, b) => a.timestamp! - b.timestamp!);
    const [mins, counts] = ['print-1', 'print-2'].map((id) => byTime(sim.report().sinks[id]!.committed));
    expect(mins).toEqual([
      { value: { window: { start: 0, end: 1000 }, value: { d: 'a', v: 3 } }, timestamp: 999 },
      { value: { window: { start: 1000, end: 2000 }, value: { d: 'd', v: 1 } }, timestamp: 1999 },
    ]);
    expect(counts).toEqual([{ value: { end: 1000, n: 3 }, timestamp: 999 }, { value: { end: 2000, n: 1 }, timestamp: 1999 }]);
    expect(sim.report().jobGraph.vertices.filter((v) => v.name === 'Window(All)').map((v) => v.parallelism)).toEqual([1, 1]);
  });

  test('setParallelism on a windowAll refuses anything but 1, as Flink does', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    const all = env.fromSource(topic(), WatermarkStrategy.forMonotonousTimestamps(), 'nums').windowAll(TumblingEventTimeWindows.of(1000)).sum('v');
    expect(() => all.setParallelism(2)).toThrow(/must be 1/);
    expect(() => all.setParallelism(1)).not.toThrow();
  });
});
