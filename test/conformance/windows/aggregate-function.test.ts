/**
 * A window aggregate written as data, `{"initial", "add", "merge", "result"}`, is Flink's
 * AggregateFunction: a scenario with it emits what the DataStream API's `aggregate(fn)` with
 * the same TypeScript function emits, for every kind of window (tumbling, sliding, merging
 * sessions, count windows, an evictor, a ProcessWindowFunction after it), and its accumulator
 * is keyed state that a snapshot carries to a restored operator.
 */
import { describe, expect, test } from 'vitest';
import {
  CountEvictor,
  CountTrigger,
  createSimulation,
  EventTimeSessionWindows,
  GlobalWindows,
  SlidingEventTimeWindows,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  validateScenario,
  type AggregateFunction,
  type JsonValue,
} from '../../../core/index.ts';
import { readWindowFields } from '../../../core/api/scenario/read-window.ts';
import { Reader } from '../../../core/api/scenario/reader.ts';
import { windowOperatorConfig } from '../../../core/api/scenario/window-config.ts';
import { keyGroupOf } from '../../../core/graph/index.ts';
import { createWindowOperator } from '../../../core/operators/index.ts';
import { restoreKeyGroups, snapshotKeyGroups } from '../../../core/state/index.ts';
import { createOperatorHarness } from '../../../core/testing.ts';
import { take } from './helpers.ts';

interface Element {
  k: string;
  v: number;
}

// Event times chosen so that sessions of gap 10 merge (3 and 12 bridge 0..15), sliding
// windows overlap, and key b has a window of its own.
const ELEMENTS: readonly [string, number, number][] = [
  ['a', 1, 0], ['a', 2, 5], ['b', 7, 6], ['a', 3, 30], ['a', 4, 12], ['b', 1, 40], ['a', 5, 25], ['a', 6, 18], ['b', 2, 44],
];

/** A list of the values in arrival order (merge keeps the earlier session's first) and their sum: order and merging both show. */
const AS_DATA = {
  initial: { vs: [], sum: 0 },
  add: '{vs: concat(acc.vs, [v]), sum: acc.sum + v}',
  merge: '{vs: concat(a.vs, b.vs), sum: a.sum + b.sum}',
  result: '{vs: acc.vs, sum: acc.sum, n: len(acc.vs)}',
};

type Acc = { vs: number[]; sum: number };
const AS_FUNCTION: AggregateFunction = {
  createAccumulator: () => ({ vs: [], sum: 0 }),
  add: (value, acc) => ({ vs: [...(acc as Acc).vs, (value as unknown as Element).v], sum: (acc as Acc).sum + (value as unknown as Element).v }),
  merge: (a, b) => ({ vs: [...(a as Acc).vs, ...(b as Acc).vs], sum: (a as Acc).sum + (b as Acc).sum }),
  getResult: (acc) => ({ vs: (acc as Acc).vs, sum: (acc as Acc).sum, n: (acc as Acc).vs.length }),
};

function viaScenario(window: Record<string, unknown>): JsonValue[] {
  const items = ELEMENTS.map(([k, v, t]) => ({ value: { k, v }, timestamp: t }));
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'aggregate function',
      job: {
        name: 'aggregate function',
        operators: [
          { id: 'src', type: 'sequence', items },
          { id: 'k', type: 'keyBy', input: 'src', key: 'k' },
          { id: 'w', type: 'window', input: 'k', aggregate: AS_DATA, ...window },
          { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
        ],
      },
    } as unknown as JsonValue,
    'aggregate.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  expect(sim.report().status).toBe('FINISHED');
  return sim.report().sinks['out']!.committed.map((r) => [r.value, r.timestamp] as JsonValue);
}

type Windowed = ReturnType<ReturnType<ReturnType<StreamExecutionEnvironment['fromSequence']>['keyBy']>['window']>;

function viaDataStream(build: (k: ReturnType<ReturnType<StreamExecutionEnvironment['fromSequence']>['keyBy']>) => Windowed, process?: (key: JsonValue, window: { start: number; end: number }, result: JsonValue) => JsonValue[]): JsonValue[] {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);
  const items = ELEMENTS.map(([k, v, t]) => ({ kind: 'record' as const, value: { k, v } as JsonValue, timestamp: t }));
  const windowed = build(env.fromSequence(items).keyBy((v) => (v as unknown as Element).k));
  (process === undefined ? windowed.aggregate(AS_FUNCTION) : windowed.aggregate(AS_FUNCTION, process)).print();
  const sim = createSimulation({ streamGraph: env.getStreamGraph('aggregate function') });
  sim.run();
  expect(sim.report().status).toBe('FINISHED');
  return Object.values(sim.report().sinks)[0]!.committed.map((r) => [r.value, r.timestamp] as JsonValue);
}

describe('an aggregate function as data gives what the same TypeScript AggregateFunction gives', () => {
  test('tumbling event-time windows', () => {
    const out = viaScenario({ assigner: { type: 'tumbling', size: 20 } });
    expect(out).toEqual(viaDataStream((k) => k.window(TumblingEventTimeWindows.of(20))));
    expect(out).toContainEqual([{ key: 'a', window: { start: 0, end: 20 }, value: { vs: [1, 2, 4, 6], sum: 13, n: 4 } }, 19]);
  });

  test('sliding windows: each element in every window that holds it', () => {
    const out = viaScenario({ assigner: { type: 'sliding', size: 20, slide: 10 } });
    expect(out).toEqual(viaDataStream((k) => k.window(SlidingEventTimeWindows.of(20, 10))));
    expect(out.length).toBeGreaterThan(ELEMENTS.length / 2);
  });

  test('session windows merge their accumulators with merge, the earlier session first', () => {
    const out = viaScenario({ assigner: { type: 'session', gap: 10 } });
    expect(out).toEqual(viaDataStream((k) => k.window(EventTimeSessionWindows.withGap(10))));
    // a@12 joins [0, 15) (1, 2); a@25 joins [30, 40) (3); a@18 bridges the two, the earlier session's first
    expect(out).toContainEqual([{ key: 'a', window: { start: 0, end: 40 }, value: { vs: [1, 2, 4, 3, 5, 6], sum: 21, n: 6 } }, 39]);
  });

  test('a count window (global window, purging count trigger)', () => {
    const out = viaScenario({ assigner: { type: 'count', size: 2 } });
    expect(out).toEqual(viaDataStream((k) => k.countWindow(2)));
    expect(out).toHaveLength(4);
  });

  test('an evictor: the function runs over the kept elements, and an emptied window gives the result of initial', () => {
    const fields = { assigner: { type: 'global' }, trigger: { type: 'count', count: 2 } };
    expect(viaScenario({ ...fields, evictor: { type: 'count', maxCount: 1 } })).toEqual(
      viaDataStream((k) => k.window(GlobalWindows.create()).trigger(CountTrigger.of(2)).evictor(CountEvictor.of(1))),
    );
    const emptied = viaScenario({ ...fields, evictor: { type: 'count', maxCount: 0 } });
    expect(emptied).toEqual(viaDataStream((k) => k.window(GlobalWindows.create()).trigger(CountTrigger.of(2)).evictor(CountEvictor.of(0))));
    expect(emptied.map((e) => ((e as JsonValue[])[0] as { value: JsonValue }).value)).toEqual([0, 0, 0, 0].map(() => ({ vs: [], sum: 0, n: 0 })));
  });

  test('with a process expression after it (ProcessWindowFunction)', () => {
    const out = viaScenario({ assigner: { type: 'tumbling', size: 20 }, process: '[key, window.start, result.sum]' });
    expect(out).toEqual(viaDataStream((k) => k.window(TumblingEventTimeWindows.of(20)), (key, window, result) => [[key, window.start, (result as { sum: number }).sum]]));
    expect(out[0]).toEqual([['a', 0, 13], 19]);
  });
});

describe('an aggregate function as data', () => {
  test('add reads the element as value, as $ and by its fields, and $timestamp', () => {
    const out = viaScenario({ assigner: { type: 'tumbling', size: 100 }, aggregate: { initial: [], add: 'concat(acc, [[value.v, $.v, v, $timestamp]])' } });
    expect(out[0]).toEqual([{ key: 'a', window: { start: 0, end: 100 }, value: [[1, 1, 1, 0], [2, 2, 2, 5], [3, 3, 3, 30], [4, 4, 4, 12], [5, 5, 5, 25], [6, 6, 6, 18]] }, 99]);
  });

  test('a failing add fails the task, naming the part of the function', () => {
    const items = [{ value: { k: 'a', v: 'x' }, timestamp: 1 }];
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'failing add',
        config: { restartStrategy: { type: 'none' } },
        job: {
          name: 'failing add',
          operators: [
            { id: 'src', type: 'sequence', items },
            { id: 'k', type: 'keyBy', input: 'src', key: 'k' },
            { id: 'w', type: 'window', input: 'k', assigner: { type: 'tumbling', size: 10 }, aggregate: { initial: 0, add: 'acc - v' } },
            { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
          ],
        },
      } as unknown as JsonValue,
      'failing.json',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const sim = createSimulation({ scenario: result.scenario });
    sim.run();
    expect(sim.report().status).toBe('FAILED');
    expect(sim.jobManager.failureCause).toMatch(/aggregate\.add: /);
  });

  test('the accumulator is keyed state: a snapshot restores it into a new operator, which goes on folding', () => {
    const r = new Reader('s.json');
    const fields = readWindowFields(r, { assigner: { type: 'tumbling', size: 1000 }, aggregate: { initial: [0, 0], add: '[acc[0] + 1, acc[1] + v]', result: '{n: acc[0], sum: acc[1]}' } }, '$', 'w');
    expect(r.issues).toEqual([]);
    const config = windowOperatorConfig(fields!, false);
    const before = createOperatorHarness(createWindowOperator(config), { keySelector: 'key' }).open();
    before.feed('a:1@10 b:5@20 a:2@30');
    expect(before.stateSize()).toBeGreaterThan(0);
    const snapshot = snapshotKeyGroups(before.backend!, before.timerService!, (key) => keyGroupOf(key, 128));
    const after = createOperatorHarness(createWindowOperator(config), { keySelector: 'key' });
    restoreKeyGroups(after.backend!, after.timerService!, [snapshot]);
    after.open();
    after.feed('a:4@40 W999');
    expect(take(after)).toBe('a[0,1000)={"n":3,"sum":7} b[0,1000)={"n":1,"sum":5} W999');
    // and the operator that was snapshotted went on without the restored element
    before.feed('W999');
    expect(take(before)).toBe('a[0,1000)={"n":2,"sum":3} b[0,1000)={"n":1,"sum":5} W999');
  });
});
