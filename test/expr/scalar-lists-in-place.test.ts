/**
 * The compiler's shapes for lists of scalars and for arithmetic with a constant, and the
 * in-place accumulator they allow: each must answer exactly as the general code does (the
 * same value, the same message), and an accumulator updated in place must never show up
 * changed in a result given out before.
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { compileExpression, ExprRuntimeError, type JsonValue } from '../../core/expr/index.ts';
import { expressionAggregate } from '../../core/operators/aggregate-function-spec.ts';

/** The value, or the message of the runtime error, of `source` with the binding `x`. */
function outcome(source: string, x: JsonValue): JsonValue {
  try {
    return compileExpression(source, { bindings: ['x'] }).evaluateWith(null, null, [x]);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprRuntimeError);
    return `error: ${(e as ExprRuntimeError).message}`;
  }
}

const scalars = fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 3 }), fc.boolean(), fc.constant(null), fc.constant(1e308));

describe('arithmetic with a constant on the right answers as with the constant given per record', () => {
  // `x + k` with k a binding is never specialised: it is the general code.
  fcTest.prop([scalars, fc.constantFrom(1, -2.5, 0, 10, 1e308)])('x op c', (x, c) => {
    for (const op of ['+', '-', '*']) {
      const general = (() => {
        try {
          return compileExpression(`x ${op} k`, { bindings: ['x', 'k'] }).evaluateWith(null, null, [x, c]);
        } catch (e) {
          return `error: ${(e as ExprRuntimeError).message.replace(`x ${op} k`, `x ${op} ${c}`)}`;
        }
      })();
      expect(outcome(`x ${op} ${c}`, x)).toEqual(general);
    }
  });

  test('the messages name the operator and operands', () => {
    expect(outcome('x - 1', 'a')).toBe('error: cannot apply \'-\' to a string ("a") and a number (1): it works on numbers');
    expect(outcome('x * 10', 1e308)).toBe('error: the result of 1e+308 * 10 is too large for a JSON number');
    expect(outcome('x + 1', 'a')).toBe('a1');
  });
});

describe('a list literal of scalar-giving items', () => {
  test('builds a new list each time, with the same items as any list', () => {
    const e = compileExpression('[x + 1, x * 2, -x, x > 1, x == 2 ? 1 : 0]', { bindings: ['x'] });
    const a = e.evaluateWith(null, null, [2]);
    const b = e.evaluateWith(null, null, [2]);
    expect(a).toEqual([3, 4, -2, true, 1]);
    expect(a).not.toBe(b);
    expect(e.givesScalar).toBe(false);
    expect(e.into?.length).toBe(5);
  });

  test('only such a list can be evaluated into one that exists', () => {
    expect(compileExpression('[x, 1]', { bindings: ['x'] }).into).toBeNull();
    expect(compileExpression('x + 1', { bindings: ['x'] }).into).toBeNull();
    expect(compileExpression('x + 1', { bindings: ['x'] }).givesScalar).toBe(true);
    expect(compileExpression('[[1]]').into).toBeNull();
  });

  test('evaluates every item before it writes any, so items read the list as it was', () => {
    const swap = compileExpression('[acc[1] + 0, acc[0] + 0]', { bindings: ['acc'] }).into!;
    const acc = [1, 2];
    expect(swap.evaluateInto(acc, null, null, [acc])).toBe(acc);
    expect(acc).toEqual([2, 1]);
    const six = compileExpression('[acc[5] + 0, acc[4] + 0, acc[3] + 0, acc[2] + 0, acc[1] + 0, acc[0] + 0]', { bindings: ['acc'] }).into!;
    const long = [1, 2, 3, 4, 5, 6];
    six.evaluateInto(long, null, null, [long]);
    expect(long).toEqual([6, 5, 4, 3, 2, 1]);
  });

  test('a failure leaves the list as it was', () => {
    const e = compileExpression('[acc[0] + 1, acc[1] / 0]', { bindings: ['acc'], failurePrefix: 'aggregate.add' }).into!;
    const acc = [1, 2];
    expect(() => e.evaluateInto(acc, null, null, [acc])).toThrow('aggregate.add: division by zero (2 / 0)');
    expect(acc).toEqual([1, 2]);
  });
});

describe('an aggregate function whose add is a list of scalars', () => {
  const spec = { kind: 'function' as const, initial: [0, 0], add: '[acc[0] + 1, acc[1] + v]', merge: '[a[0] + b[0], a[1] + b[1]]' };

  test('updates the accumulator in place, and its result is a copy later elements do not change', () => {
    const agg = expressionAggregate({ ...spec, result: null });
    const acc = agg.add(undefined, { v: 5 }, 0);
    const result = agg.result(acc);
    expect(agg.add(acc, { v: 7 }, 0)).toBe(acc);
    expect(acc).toEqual([2, 12]);
    expect(result).toEqual([1, 5]);
  });

  test('a result expression that can return the accumulator turns it off', () => {
    const agg = expressionAggregate({ ...spec, result: 'acc' });
    const acc = agg.add(undefined, { v: 5 }, 0);
    const result = agg.result(acc);
    const next = agg.add(acc, { v: 7 }, 0);
    expect(next).not.toBe(acc);
    expect(result).toEqual([1, 5]);
    expect(next).toEqual([2, 12]);
  });

  test('a scalar result keeps it on', () => {
    const agg = expressionAggregate({ ...spec, result: 'acc[1] / acc[0]' });
    const acc = agg.add(undefined, { v: 5 }, 0);
    expect(agg.add(acc, { v: 7 }, 0)).toBe(acc);
    expect(agg.result(acc)).toBe(6);
  });

  test('an accumulator of another length (a merge that changed it) gets a new list, as without the fast path', () => {
    const agg = expressionAggregate({ ...spec, result: null });
    const odd = [1, 2, 3];
    expect(agg.add(odd, { v: 1 }, 0)).toEqual([2, 3]);
    expect(odd).toEqual([1, 2, 3]);
  });
});
