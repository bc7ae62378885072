/**
 * AggregatingState (Flink's AggregatingStateDescriptor with an AggregateFunction): values
 * are added into an accumulator per key, `get()` reads the accumulator's result, null
 * before the first add and after clear. The accumulator is what a checkpoint holds.
 */
import { describe, expect, test } from 'vitest';
import type { JsonValue } from '../../core/model/index.ts';
import { aggregatingState, createKeyedProcessOperator, type KeyedProcessFunction } from '../../core/operators/index.ts';
import type { AggregateFunction } from '../../core/state/index.ts';
import { createOperatorHarness } from '../../core/testing.ts';

type Acc = { sum: number; count: number };
const average: AggregateFunction = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (v, acc) => ({ sum: (acc as Acc).sum + (v as number), count: (acc as Acc).count + 1 }),
  getResult: (acc) => (acc as Acc).sum / (acc as Acc).count,
  merge: (a, b) => ({ sum: (a as Acc).sum + (b as Acc).sum, count: (a as Acc).count + (b as Acc).count }),
};

const fn: KeyedProcessFunction<{ avg: ReturnType<typeof aggregatingState> }> = {
  state: { avg: aggregatingState(average) },
  processElement(value, ctx, out) {
    const avg = ctx.getState('avg');
    const v = (value as { v: number }).v;
    if (v < 0) avg.clear();
    else avg.add(v);
    out.collect(avg.get());
  },
};

describe('aggregating state', () => {
  test('adds into an accumulator per key and reads its result; clear forgets it', () => {
    const h = createOperatorHarness(createKeyedProcessOperator(fn), { keySelector: 'key' }).open();
    h.feed('a:1 a:3 b:10 a:5 a:-1 a:4');
    expect(h.records().map((r) => r.value)).toEqual([1, 2, 10, 3, null, 4]);
  });

  test('the accumulator (not the result) is the checkpointed value, and a restore goes on from it', () => {
    const h = createOperatorHarness(createKeyedProcessOperator(fn), { keySelector: 'key' }).open();
    h.feed('a:2 a:4');
    const snapshot = h.snapshot();
    expect(snapshot.keyGroups.flatMap((g) => g.entries.map((e) => e.value))).toEqual([{ sum: 6, count: 2 } as JsonValue]);
    const restored = createOperatorHarness(createKeyedProcessOperator(fn), { keySelector: 'key', restore: [snapshot] }).open();
    restored.feed('a:9');
    expect(restored.records().map((r) => r.value)).toEqual([5]);
  });
});
