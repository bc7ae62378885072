/**
 * Bindings are read by slot (their position in CompileOptions.bindings) and lists and
 * objects are built in straight-line code for each small size: both must answer exactly as
 * the general forms do. A bindings object is turned into slots per call and emptied after
 * it; every item of a built list or object, in every position and at every size, counts
 * toward the depth and size limits.
 */
import { describe, expect, test } from 'vitest';
import { windowOperatorConfig } from '../../core/api/scenario/window-config.ts';
import { compileExpression, VALUE_LIMITS, type JsonValue } from '../../core/expr/index.ts';
import { GLOBAL_WINDOW } from '../../core/operators/index.ts';

const notProvided = (name: string) => `the operator did not provide '${name}' to this expression`;

describe('bindings by slot', () => {
  test('evaluateWith reads the bindings by position, as evaluate reads them by name', () => {
    const expr = compileExpression('[acc[0] + v, key, window.start]', { bindings: ['key', 'acc', 'window'] });
    const byName = expr.evaluate({ v: 2 }, null, { acc: [40], key: 'k', window: { start: 7 } });
    expect(byName).toEqual([42, 'k', 7]);
    expect(expr.evaluateWith({ v: 2 }, null, ['k', [40], { start: 7 }])).toEqual(byName);
  });

  test('a slot left out or past the end is a binding the operator did not provide', () => {
    const expr = compileExpression('b + 1', { bindings: ['a', 'b'] });
    expect(() => expr.evaluateWith(null, null, [1])).toThrow(notProvided('b'));
    expect(() => expr.evaluateWith(null, null, [])).toThrow(notProvided('b'));
    expect(expr.evaluateWith(null, null, [null, 1])).toBe(2);
  });

  test("a bindings object's values are not seen by the next call, also after a failure", () => {
    const expr = compileExpression('acc * 2', { bindings: ['acc'] });
    expect(expr.evaluate(null, null, { acc: 1 })).toBe(2);
    expect(() => expr.evaluate(null, null, {})).toThrow(notProvided('acc'));
    expect(() => expr.evaluate(null, null, { acc: 'x' })).toThrow("cannot apply '*'");
    expect(() => expr.evaluate(null, null, {})).toThrow(notProvided('acc'));
  });

  test('a binding named like a prototype property is read from the object only as its own field', () => {
    const expr = compileExpression('toString', { bindings: ['toString'] });
    expect(() => expr.evaluate(null, null, {})).toThrow(notProvided('toString'));
    expect(expr.evaluate(null, null, { toString: 3 })).toBe(3);
    expect(expr.evaluateWith(null, null, [3])).toBe(3);
  });
});

describe('a process window function', () => {
  const firing = (process: string) => {
    const config = windowOperatorConfig({ assigner: { kind: 'tumbling', sizeMs: 10 }, aggregate: { kind: 'count' }, process } as never, false);
    const f = config.windowFunction!;
    // A process expression does not use the operator's context.
    return (key: JsonValue, window: { start: number; end: number }, result: JsonValue) => f(key, window, result, undefined as never);
  };

  test('that returns the window keeps each firing its own window', () => {
    const f = firing('[key, window, result]');
    // The list of results is the function's to refill (the operator emits them at once); each result is kept.
    const [first] = f('a', { start: 0, end: 10 }, 1);
    const [second] = f('b', { start: 10, end: 20 }, 2);
    expect(first).toEqual(['a', { start: 0, end: 10 }, 1]);
    expect(second).toEqual(['b', { start: 10, end: 20 }, 2]);
  });

  test("that reads the window's fields sees each firing's window, and the global window's nulls", () => {
    const f = firing('[key, window.start, window.end, window?.global, result]');
    expect(f('a', { start: 0, end: 10 }, 1)).toEqual([['a', 0, 10, null, 1]]);
    expect(f('b', { start: 10, end: 20 }, 2)).toEqual([['b', 10, 20, null, 2]]);
    expect(f('c', GLOBAL_WINDOW, 3)).toEqual([['c', null, null, true, 3]]);
    expect(() => firing('window.size')('a', { start: 0, end: 10 }, 1)).toThrow("window has no field 'size' (its fields: end, start;");
  });
});

/** `depth` lists nested in one another around 0, not built by an expression: walked when measured. */
function nested(depth: number): JsonValue {
  let x: JsonValue = 0;
  for (let i = 0; i < depth; i++) x = [x];
  return x;
}

/** A tree of 2^k - 1 nodes, built by an expression so that its size is remembered. */
function builtTree(k: number): JsonValue {
  const pair = compileExpression('{l: x, r: x}', { bindings: ['x'] });
  let x: JsonValue = 0;
  for (let i = 1; i < k; i++) x = pair.evaluate(null, null, { x });
  return x;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `x${i}`);
const listOf = (n: number) => `[${names(n).join(', ')}]`;
const objectOf = (n: number) => `{${names(n).map((x) => `${x}: ${x}`).join(', ')}}`;
const SIZES = [1, 2, 3, 4, 5, 6, 7, 8];
const what = { list: 'a list', object: 'an object' } as const;
const MAX_DEPTH = VALUE_LIMITS.maxDepth;
const MAX_SIZE = VALUE_LIMITS.maxSize;

describe.each([
  ['list', listOf],
  ['object', objectOf],
] as const)('every item of a built %s counts toward the limits', (kind, source) => {
  test.each(SIZES)('depth, of %i items, in each position', (n) => {
    const expr = compileExpression(source(n), { bindings: names(n) });
    for (let p = 0; p < n; p++) {
      const slots = (deep: JsonValue): JsonValue[] => names(n).map((_, i) => (i === p ? deep : i));
      expect(() => expr.evaluateWith(null, null, slots(nested(MAX_DEPTH - 1)))).not.toThrow();
      expect(() => expr.evaluateWith(null, null, slots(nested(MAX_DEPTH)))).toThrow(`${what[kind]} would nest lists and objects more than ${MAX_DEPTH} levels deep`);
    }
  });

  const tree = builtTree(23);
  test.each(SIZES.filter((n) => n > 1))('size, of %i items, in each position', (n) => {
    const expr = compileExpression(source(n), { bindings: names(n) });
    // The container, n - 2 scalars, the remembered tree and a plain list of `items` scalars.
    const items = MAX_SIZE - 1 - (n - 2) - (2 ** 23 - 1) - 1;
    const exact = new Array<JsonValue>(items).fill(0);
    const over = new Array<JsonValue>(items + 1).fill(0);
    for (let p = 0; p < n; p++) {
      const slots = (rest: JsonValue): JsonValue[] => names(n).map((_, i) => (i === p ? tree : i === (p + 1) % n ? rest : i));
      expect(() => expr.evaluateWith(null, null, slots(exact))).not.toThrow();
      expect(() => expr.evaluateWith(null, null, slots(over))).toThrow(`${what[kind]} would hold more than 10,000,000 lists, objects and scalars`);
    }
  });
});
