/**
 * The compiler's fast paths (fused reads of `$` and of bindings, constant indexes, reads
 * that skip the own-field check) must answer exactly as the general readers do: the same
 * value on a hit, the same message on every kind of miss. Each fused form is compared with
 * a form the compiler cannot fuse (an index it only learns per record, an object it reads
 * through a call).
 */
import { describe, expect, test } from 'vitest';
import { compileExpression, ExprRuntimeError, type JsonValue } from '../../core/expr/index.ts';
import { expressionAggregate } from '../../core/operators/aggregate-function-spec.ts';

/** The value, or the message of the runtime error, of `source` on `value` with `bindings`. */
function outcome(source: string, value: JsonValue, bindings: Record<string, JsonValue>): JsonValue {
  try {
    return compileExpression(source, { bindings: Object.keys(bindings) }).evaluate(value, null, bindings);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprRuntimeError);
    return `error: ${(e as ExprRuntimeError).message}`;
  }
}

const values: JsonValue[] = [{ a: 1 }, { b: 2 }, { a: null }, [7, 8], [7], [], 'str', 5, null, true, { 1: 'one' }];

describe('fused reads give the general readers answers and errors', () => {
  test.each(values.map((x) => [JSON.stringify(x), x] as const))('on %s', (_, x) => {
    const bs = { acc: x, i: 1, k: 'a' };
    for (const optional of ['', '?.']) {
      // A constant index against the same index given per record.
      expect(outcome(`acc${optional}[1]`, null, bs)).toEqual(outcome(`acc${optional}[i]`, null, bs));
      expect(outcome(`acc${optional}["a"]`, null, bs)).toEqual(outcome(`acc${optional}[k]`, null, bs));
      expect(outcome(`$${optional}[1]`, x, bs)).toEqual(outcome(`$${optional}[i]`, x, bs));
      expect(outcome(`$${optional}["a"]`, x, bs)).toEqual(outcome(`$${optional}[k]`, x, bs));
      // A field of a binding or of $ against the same field of a call's result, named alike.
      const dot = optional === '' ? '.' : '?.';
      const general = (object: string, v: JsonValue): JsonValue => {
        const r = outcome(`coalesce(${object})${dot}a`, v, bs);
        return typeof r === 'string' ? r.replaceAll(`coalesce(${object})`, object) : r;
      };
      expect(outcome(`acc${dot}a`, null, bs)).toEqual(general('acc', null));
      expect(outcome(`$${dot}a`, x, bs)).toEqual(general('$', x));
    }
  });

  test('a binding the operator did not provide fails as before', () => {
    const expr = compileExpression('acc[0] + acc.a', { bindings: ['acc'] });
    expect(() => expr.evaluate(null, null, {})).toThrow("the operator did not provide 'acc' to this expression");
    expect(() => expr.evaluate(null, null)).toThrow("the operator did not provide 'acc' to this expression");
  });
});

describe('names Object.prototype has keep the own-field check', () => {
  test('a binding named like a prototype property is not found on the prototype', () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      const bare = compileExpression(name, { bindings: [name] });
      expect(() => bare.evaluate(null, null, {})).toThrow(`the operator did not provide '${name}' to this expression`);
      expect(bare.evaluate(null, null, { [name]: 4 })).toBe(4);
      const withBinding = compileExpression(`${name}[0]`, { bindings: [name] });
      expect(() => withBinding.evaluate(null, null, {})).toThrow(`the operator did not provide '${name}' to this expression`);
      expect(withBinding.evaluate(null, null, { [name]: [3] })).toBe(3);
    }
  });

  test('a field or constant index of that name on a binding is a missing field', () => {
    expect(outcome('acc.constructor', null, { acc: {} })).toBe("error: acc has no field 'constructor' (it has no fields; acc?.constructor gives null instead)");
    expect(outcome('acc["toString"]', null, { acc: { a: 1 } })).toBe("error: acc has no field 'toString' (its fields: a)");
    expect(outcome('$?.valueOf', {}, {})).toBe(null);
  });
});

describe('an aggregate function written as expressions', () => {
  const sum = expressionAggregate({ kind: 'function', initial: [0, 0], add: '[acc[0] + 1, acc[1] + v]', merge: '[a[0] + b[0], a[1] + b[1]]', result: 'acc[1] / acc[0]' });

  test('names the failing part in the message, and keeps the expression as the source', () => {
    const failing = expressionAggregate({ kind: 'function', initial: 0, add: '1 / acc', merge: 'a / b', result: 'acc / 0' });
    const thrown = (f: () => unknown): ExprRuntimeError => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ExprRuntimeError);
        return e as ExprRuntimeError;
      }
      throw new Error('expected a runtime error');
    };
    const add = thrown(() => failing.add(undefined, {}, 0));
    expect(add.message).toBe('aggregate.add: division by zero (1 / 0)');
    expect(add.source).toBe('1 / acc');
    expect(thrown(() => failing.merge(1, 0)).message).toBe('aggregate.merge: division by zero (1 / 0)');
    expect(thrown(() => failing.result(2)).message).toBe('aggregate.result: division by zero (2 / 0)');
    expect(thrown(() => sum.add(undefined, { w: 1 }, 0)).message).toBe("aggregate.add: record has no field 'v' (its fields: w)");
  });

  test('each call sees its own accumulator and element, not the previous call', () => {
    const a = sum.add(undefined, { v: 10 }, 0);
    const b = sum.add(undefined, { v: 1 }, 0);
    expect(sum.add(a, { v: 2 }, 0)).toEqual([2, 12]);
    expect(sum.add(b, { v: 3 }, 0)).toEqual([2, 4]);
    expect(sum.merge([1, 2], [3, 4])).toEqual([4, 6]);
    expect(sum.merge([5, 5], [1, 1])).toEqual([6, 6]);
    expect(sum.result([4, 10])).toBe(2.5);
    const total = expressionAggregate({ kind: 'function', initial: [0, 0], add: '[acc[0] + 1, acc[1] + v]', merge: null, result: 'acc[1]' });
    expect(total.empty?.()).toBe(0);
  });

  test.each([
    ['a flat list', [0, 0]],
    ['a flat object', JSON.parse('{"n": 0, "__proto__": 1}') as JsonValue],
    ['a nested value', { n: 0, seen: [] }],
  ])('gives each window its own copy of the initial value: %s', (_, initial) => {
    const identity = expressionAggregate({ kind: 'function', initial, add: 'acc', merge: null, result: null });
    const first = identity.add(undefined, {}, 0);
    const second = identity.add(undefined, {}, 0);
    expect(first).toEqual(initial);
    expect(first).not.toBe(second);
    expect(first).not.toBe(initial);
    expect(Object.keys(first as object)).toEqual(Object.keys(initial as object));
    if (!Array.isArray(initial)) expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    if (!Array.isArray(initial) && 'seen' in (initial as object)) expect((first as { seen: JsonValue }).seen).not.toBe((initial as { seen: JsonValue }).seen);
  });
});
