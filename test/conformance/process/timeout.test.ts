/**
 * The classic keyed process function from Flink's documentation, CountWithTimeoutFunction:
 * count the events of each key, and emit (key, count) once a key has seen no event for
 * 1000 ms of event time. Every event moves the key's deadline and registers a timer for
 * it; a timer that finds the deadline moved on does nothing, so only the last one fires.
 *
 * It is written twice, in the scenario DSL (the JSON of docs/process.md) and with the
 * TypeScript interface, and both must give identical outputs: in the operator harness, on
 * random inputs, and in a whole job with two parallel subtasks behind a keyBy.
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { keySelector } from '../../../core/api/scenario/to-stream-graph.ts';
import type { StreamGraph } from '../../../core/graph/index.ts';
import { MAX_WATERMARK, type JsonValue } from '../../../core/model/index.ts';
import {
  createKeyedProcessOperator,
  PrintSink,
  processFunctionFromSpec,
  SequenceSource,
  valueState,
  type KeyedProcessFunction,
  type SequenceItemSpec,
} from '../../../core/operators/index.ts';
import { createSimulation } from '../../../core/simulation.ts';
import type { OperatorTestHarness } from '../../../core/testing.ts';
import { dsl, emitted, harness } from './helpers.ts';

/** The `process` operator of the example scenario in docs/process.md, as written there. */
const TIMEOUT_JSON = {
  id: 'timeouts',
  type: 'process',
  input: 'byUser',
  state: {
    count: { type: 'value', initial: 0 },
    lastModified: { type: 'value' },
  },
  onElement: [
    { set: 'count', to: 'state.count + 1' },
    { set: 'lastModified', to: '$timestamp' },
    { timer: 'event', at: '$timestamp + 1000' },
  ],
  onTimer: [
    {
      if: 'timer.timestamp == state.lastModified + 1000',
      then: [{ emit: '{user: key, count: state.count}' }],
    },
  ],
};

const timeoutSpec = dsl({ state: TIMEOUT_JSON.state, onElement: TIMEOUT_JSON.onElement, onTimer: TIMEOUT_JSON.onTimer });

type Timeout = { count: ReturnType<typeof valueState>; lastModified: ReturnType<typeof valueState> };

/** The same function in TypeScript, close to Flink's Java. */
const countWithTimeout: KeyedProcessFunction<Timeout> = {
  state: { count: valueState(0), lastModified: valueState() },
  processElement(_value, ctx) {
    const count = ctx.getState('count');
    count.update((count.value() as number) + 1);
    ctx.getState('lastModified').update(ctx.timestamp());
    ctx.timerService().registerEventTimeTimer(ctx.timestamp()! + 1000);
  },
  onTimer(timestamp, ctx, out) {
    if (timestamp === (ctx.getState('lastModified').value() as number) + 1000) {
      out.collect({ user: ctx.getCurrentKey(), count: ctx.getState('count').value() });
    }
  },
};

const byUser = 'user';

function feedBoth(drive: (h: OperatorTestHarness) => void): [OperatorTestHarness, OperatorTestHarness] {
  const a = harness(timeoutSpec, byUser);
  const b = harness(countWithTimeout, byUser);
  drive(a);
  drive(b);
  return [a, b];
}

describe('CountWithTimeoutFunction in the operator harness', () => {
  test('emits a key once it has been quiet for 1000 ms of event time, in both front ends', () => {
    const [d, t] = feedBoth((h) => {
      h.processElement({ user: 'ann' }, 0);
      h.processElement({ user: 'bob' }, 100);
      h.processElement({ user: 'ann' }, 500);
      h.processWatermark(1000); // ann's first timer: her deadline moved to 1500, nothing
      h.processWatermark(1100); // bob: quiet since 100
      h.processElement({ user: 'ann' }, 1200);
      h.processWatermark(1500); // ann's second timer: deadline moved again
      h.processWatermark(2199);
      h.processWatermark(2200); // ann: quiet since 1200
      h.processElement({ user: 'bob' }, 2300);
      h.processWatermark(MAX_WATERMARK); // end of input: bob's last timer fires
    });
    const expected: [JsonValue, number][] = [
      [{ user: 'bob', count: 1 }, 1100],
      [{ user: 'ann', count: 3 }, 2200],
      [{ user: 'bob', count: 2 }, 3300],
    ];
    expect(emitted(d)).toEqual(expected);
    expect(d.output()).toEqual(t.output());
  });

  fcTest.prop(
    [
      fc.array(
        fc.oneof(
          fc.record({ user: fc.constantFrom('ann', 'bob', 'cy', 'dee'), gapMs: fc.integer({ min: 0, max: 1500 }) }),
          fc.record({ watermarkLagMs: fc.integer({ min: 0, max: 2000 }) }),
        ),
        { maxLength: 60 },
      ),
    ],
    { seed: 20240611 },
  )('gives identical outputs in both front ends on random input (seed 20240611)', (steps) => {
    const [d, t] = feedBoth((h) => {
      let now = 0;
      for (const step of steps) {
        if ('user' in step) {
          now += step.gapMs;
          h.processElement({ user: step.user }, now);
        } else {
          h.processWatermark(now - step.watermarkLagMs);
        }
      }
      h.processWatermark(MAX_WATERMARK);
    });
    expect(d.output()).toEqual(t.output());
    // Event times only grow here, so each user's last timeout reports all of its events.
    const events = new Map<string, number>();
    for (const s of steps) if ('user' in s) events.set(s.user, (events.get(s.user) ?? 0) + 1);
    const last = new Map(d.records().map((r) => [(r.value as { user: string }).user, (r.value as { count: number }).count]));
    expect(last).toEqual(events);
  });
});

describe('CountWithTimeoutFunction in a whole job', () => {
  const items: SequenceItemSpec[] = [];
  const users = ['ann', 'bob', 'cy', 'dee', 'eve'];
  for (let i = 0; i < 200; i++) {
    const t = i * 37;
    items.push({ kind: 'record', value: { user: users[(i * 7 + (i >> 3)) % users.length]! }, timestamp: t });
    if (i % 10 === 9) items.push({ kind: 'watermark', timestamp: t - 200 });
  }

  function job(fn: KeyedProcessFunction<Timeout>): StreamGraph {
    return {
      config: { jobName: 'timeouts', parallelism: 1, maxParallelism: 128, autoWatermarkIntervalMs: 200 },
      nodes: [
        { id: 'events', name: 'events', parallelism: 1, factory: { kind: 'source', create: () => new SequenceSource(items) }, isSink: false, keySelector: null },
        { id: 'timeouts', name: 'timeouts', parallelism: 2, factory: { kind: 'operator', create: () => createKeyedProcessOperator(fn) }, isSink: false, keySelector: keySelector(byUser) },
        { id: 'out', name: 'out', parallelism: 1, factory: { kind: 'operator', create: () => new PrintSink('out') }, isSink: true, keySelector: null },
      ],
      edges: [
        { from: 'events', to: 'timeouts', partitioner: { type: 'hash', key: keySelector(byUser) } },
        { from: 'timeouts', to: 'out', partitioner: null },
      ],
    };
  }

  test('runs behind a keyBy with two subtasks; DSL and TypeScript give the same run, event for event', () => {
    const fromDsl = createSimulation({ streamGraph: job(processFunctionFromSpec(timeoutSpec) as KeyedProcessFunction<Timeout>) });
    const fromTs = createSimulation({ streamGraph: job(countWithTimeout) });
    fromDsl.run();
    fromTs.run();
    const a = fromDsl.report();
    const b = fromTs.report();
    expect(a.status).toBe('FINISHED');
    expect(a.sinks).toEqual(b.sinks);
    expect(a.traceHash).toBe(b.traceHash);
    // Each user's count adds up to the number of its events.
    const counts = new Map<string, number>();
    for (const r of a.sinks['out']!.committed) {
      const v = r.value as { user: string; count: number };
      expect(v.count).toBeGreaterThan(counts.get(v.user) ?? 0);
      counts.set(v.user, v.count);
    }
    for (const user of users) {
      expect(counts.get(user)).toBe(items.filter((it) => it.kind === 'record' && (it.value as { user: string }).user === user).length);
    }
  });
});
