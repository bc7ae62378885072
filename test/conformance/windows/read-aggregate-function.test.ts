/**
 * The validator's word on a window aggregate written as an AggregateFunction: every field
 * is checked, and each mistake is named with the file, its JSON path and the problem,
 * before the run starts. Session windows merge, so Flink requires a merge there; so does Weir.
 */
import { describe, expect, test } from 'vitest';
import { validateScenario, type JsonValue } from '../../../core/index.ts';

const AT = '$.job.operators[2].aggregate';

function issues(aggregate: unknown, assigner: unknown = { type: 'tumbling', size: 1000 }, type = 'window'): string[] {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'aggregate',
      job: {
        name: 'aggregate',
        operators: [
          { id: 'src', type: 'sequence', items: [{ value: { k: 'a', v: 1 }, timestamp: 1 }] },
          { id: 'k', type: 'keyBy', input: 'src', key: 'k' },
          { id: 'w', type, input: type === 'window' ? 'k' : 'src', assigner, aggregate },
          { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
        ],
      },
    } as unknown as JsonValue,
    'agg.json',
  );
  return result.ok ? [] : result.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`);
}

const SUM = { initial: 0, add: 'acc + v', merge: 'a + b' };

describe('an aggregate function in a window: what validates', () => {
  test('initial and add alone, on windows that do not merge', () => {
    expect(issues({ initial: 0, add: 'acc + v' })).toEqual([]);
    expect(issues({ initial: null, add: 'coalesce(acc, 0) + v', result: 'acc * 2' }, { type: 'sliding', size: 10, slide: 5 })).toEqual([]);
    expect(issues({ initial: 0, add: 'acc + 1' }, { type: 'count', size: 3 })).toEqual([]);
    expect(issues({ initial: 0, add: 'acc + v' }, { type: 'tumbling', size: 10 }, 'windowAll')).toEqual([]);
  });

  test('with merge, on session windows, fixed or dynamic gap', () => {
    expect(issues(SUM, { type: 'session', gap: 10 })).toEqual([]);
    expect(issues(SUM, { type: 'session', dynamicGap: 'v * 10' })).toEqual([]);
  });
});

describe('an aggregate function in a window: each mistake at its path', () => {
  test('a session window without merge', () => {
    expect(issues({ initial: 0, add: 'acc + v' }, { type: 'session', gap: 10 })).toEqual([
      `agg.json: ${AT}.merge: operator 'w': session windows merge, so their aggregate function needs 'merge' (Flink's AggregateFunction.merge), an expression over a and b, the two sessions' accumulators, e.g. "a + b"`,
    ]);
    expect(issues({ initial: 0, add: 'acc + v' }, { type: 'session', dynamicGap: '10' }, 'windowAll')).toHaveLength(1);
  });

  test('a missing add or initial', () => {
    expect(issues({ initial: 0, result: 'acc' })).toEqual([
      `agg.json: ${AT}.add: operator 'w': missing required field 'add', an expression that folds an element into the accumulator (acc; the element is value, or its fields), e.g. "acc + amount"`,
    ]);
    expect(issues({ add: 'acc + v' })).toEqual([
      `agg.json: ${AT}.initial: operator 'w': missing required field 'initial', the accumulator each window starts from (Flink's createAccumulator), e.g. 0 or {"sum": 0, "n": 0}; write null if 'add' handles a null acc`,
    ]);
  });

  test('an unknown field, beside the known ones or beside a built-in aggregate', () => {
    expect(issues({ ...SUM, getResult: 'acc' })).toEqual([`agg.json: ${AT}.getResult: unknown field 'getResult' (expected one of: initial, add, merge, result)`]);
    expect(issues({ sum: 'v', add: 'acc + v', initial: 0 })).toEqual([`agg.json: ${AT}.sum: unknown field 'sum' (expected one of: initial, add, merge, result)`]);
  });

  test('an expression that is not a string, or does not parse', () => {
    expect(issues({ initial: 0, add: 7 })).toEqual([`agg.json: ${AT}.add: expected a non-empty string, found number 7`]);
    expect(issues({ initial: 0, add: 'acc +' })).toEqual([`agg.json: ${AT}.add: operator 'w': expression does not parse: column 6: expected an expression but found end of expression`]);
    expect(issues({ initial: 0, add: 'acc', result: 'acc[' })).toEqual([expect.stringMatching(/\.aggregate\.result: operator 'w': expression does not parse: /)]);
  });

  test('merge sees only a and b, result only acc: they run without an element', () => {
    expect(issues({ initial: 0, add: 'acc + v', merge: 'a + v' })).toEqual([`agg.json: ${AT}.merge: operator 'w': a merge expression sees only a and b (the two accumulators), not 'v'`]);
    expect(issues({ initial: 0, add: 'acc + v', result: 'acc + v' })).toEqual([`agg.json: ${AT}.result: operator 'w': a result expression sees only acc (the accumulator), not 'v'`]);
  });

  test('every mistake of one function at once', () => {
    expect(issues({ add: 'acc +', merge: 'x', extra: 1 }, { type: 'session', gap: 5 }).map((i) => i.split(': ')[1])).toEqual([
      `${AT}.extra`,
      `${AT}.initial`,
      `${AT}.add`,
      `${AT}.merge`,
    ]);
  });
});
