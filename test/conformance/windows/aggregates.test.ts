/**
 * The window aggregates, each folded incrementally as Flink's AggregateFunction /
 * ReduceFunction are (docs: "Windows" > "Window Functions" > "ReduceFunction",
 * "AggregateFunction": the window keeps an accumulator, not its elements), and `collect`,
 * which keeps the window's values in arrival order like a ListState window. A value of the
 * wrong kind fails the task, as an exception in a user function does.
 */
import { describe, expect, test } from 'vitest';
import { ExprRuntimeError } from '../../../core/expr/index.ts';
import { isUserError } from '../../../core/operators/index.ts';
import { aggregateOf, type WindowAggregateSpec } from '../../../core/operators/windows/index.ts';
import { take, tumbling, windowHarness } from './helpers.ts';

const run = (aggregate: WindowAggregateSpec, marbles: string): string => {
  const h = windowHarness({ assigner: tumbling(1000), aggregate });
  h.feed(`${marbles} W999`);
  return take(h);
};

describe('window aggregates', () => {
  test('count', () => {
    expect(run({ kind: 'count' }, 'a:5@1 a:7@2 b@3 a@4')).toBe('a[0,1000)=3 b[0,1000)=1 W999');
  });

  test('sum of an expression', () => {
    expect(run({ kind: 'sum', expr: 'v' }, 'a:5@1 a:-7@2 a:0.5@3')).toBe('a[0,1000)=-1.5 W999');
    expect(run({ kind: 'sum', expr: 'v * 2 + 1' }, 'a:1@1 a:2@2')).toBe('a[0,1000)=8 W999');
    expect(run({ kind: 'sum', expr: '$timestamp' }, 'a@10 a@20')).toBe('a[0,1000)=30 W999');
  });

  test('min and max, of numbers', () => {
    expect(run({ kind: 'min', expr: 'v' }, 'a:5@1 a:-7@2 a:3@3')).toBe('a[0,1000)=-7 W999');
    expect(run({ kind: 'max', expr: 'v' }, 'a:5@1 a:-7@2 a:3@3')).toBe('a[0,1000)=5 W999');
  });

  test('min and max, of strings, in code-unit order', () => {
    expect(run({ kind: 'min', expr: 'key + str(v)' }, 'a:5@1 a:10@2')).toBe('a[0,1000)="a10" W999');
    expect(run({ kind: 'max', expr: 'key + str(v)' }, 'a:5@1 a:10@2')).toBe('a[0,1000)="a5" W999');
  });

  test('avg is the IEEE quotient of sum and count: an average of integers may be fractional', () => {
    expect(run({ kind: 'avg', expr: 'v' }, 'a:1@1 a:2@2')).toBe('a[0,1000)=1.5 W999');
    expect(run({ kind: 'avg', expr: 'v' }, 'a:1@1 a:1@2 a:2@3')).toBe(`a[0,1000)=${4 / 3} W999`);
  });

  test('collect keeps the values in arrival order, not timestamp order', () => {
    expect(run({ kind: 'collect', expr: null }, 'a:3@30 a:1@10 a:2@20')).toBe(
      'a[0,1000)=[{"key":"a","v":3},{"key":"a","v":1},{"key":"a","v":2}] W999',
    );
    expect(run({ kind: 'collect', expr: 'v' }, 'a:3@30 a:1@10 a:2@20')).toBe('a[0,1000)=[3,1,2] W999');
  });

  test('each firing of a window emits its own copy of the collected list', () => {
    const h = windowHarness({ assigner: tumbling(1000), aggregate: { kind: 'collect', expr: 'v' }, allowedLatenessMs: 100 });
    h.feed('a:1@1 W999 a:2@2');
    const [first, second] = h.records();
    expect((first!.value as { value: unknown }).value).toEqual([1]);
    expect((second!.value as { value: unknown }).value).toEqual([1, 2]);
  });

  test('a sum over a value that is not a number fails the record like a throwing user function', () => {
    const h = windowHarness({ assigner: tumbling(1000), aggregate: { kind: 'sum', expr: 'key' } });
    let thrown: unknown;
    try {
      h.feed('a@1');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ExprRuntimeError);
    expect(isUserError(thrown)).toBe(true);
    expect(String(thrown)).toMatch(/sum needs a number, found the string "a"/);
  });

  test('min cannot compare a number with a string', () => {
    const h = windowHarness({ assigner: tumbling(1000), aggregate: { kind: 'min', expr: 'v > 1 ? key : v' } });
    expect(() => h.feed('a:1@1 a:2@2')).toThrow(ExprRuntimeError);
  });

  test('a missing field fails the record (the expression throws)', () => {
    const h = windowHarness({ assigner: tumbling(1000), aggregate: { kind: 'avg', expr: 'amount' } });
    expect(() => h.feed('a@1')).toThrow(/amount/);
  });

  test('accumulators merge, as session windows need (AggregateFunction.merge)', () => {
    const fold = (spec: WindowAggregateSpec, values: number[]) => {
      const agg = aggregateOf(spec);
      let acc: ReturnType<typeof agg.add> | undefined;
      for (const v of values) acc = agg.add(acc, { v }, 0);
      return { agg, acc: acc! };
    };
    const specs: WindowAggregateSpec[] = [
      { kind: 'count' },
      { kind: 'sum', expr: 'v' },
      { kind: 'min', expr: 'v' },
      { kind: 'max', expr: 'v' },
      { kind: 'avg', expr: 'v' },
      { kind: 'collect', expr: 'v' },
    ];
    for (const spec of specs) {
      const left = fold(spec, [4, 1]);
      const right = fold(spec, [9, 2, 3]);
      const whole = fold(spec, [4, 1, 9, 2, 3]);
      expect(left.agg.result(left.agg.merge(left.acc, right.acc))).toEqual(whole.agg.result(whole.acc));
    }
  });
});
