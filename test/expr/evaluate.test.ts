/**
 * Evaluation: scope, literals, each operator, runtime errors (exact messages), bindings,
 * and the prototype-safety cases. A record value here plays the part of a stream record.
 */
import { describe, expect, test } from 'vitest';
import { compileExpression, ExprRuntimeError, type JsonValue } from '../../core/expr/index.ts';
import { ev, runtimeError } from './helpers.ts';

const record = { key: 'a', amount: 12.5, n: 7, s: 'Flink', user: { id: 42, name: 'Ada', tags: ['x', 'y'] }, tags: ['red', 'blue'], none: null, flag: false };

describe('scope', () => {
  test('bare names are fields of the record value', () => {
    expect(ev('amount * 2', record)).toBe(25);
    expect(ev('key', record)).toBe('a');
    expect(ev('none', record)).toBe(null);
  });

  test('$ is the whole value, $timestamp the event timestamp', () => {
    expect(ev('$ * 3', 5)).toBe(15);
    expect(ev('$', record)).toBe(record);
    expect(ev('$.n', record)).toBe(7);
    expect(ev('$timestamp', record, 1234)).toBe(1234);
    expect(ev('$timestamp', record, null)).toBe(null);
    expect(ev('$timestamp == null ? -1 : $timestamp', 0, null)).toBe(-1);
  });

  test('member, index and optional access', () => {
    expect(ev('user.id', record)).toBe(42);
    expect(ev('user.tags[1]', record)).toBe('y');
    expect(ev('tags[0]', record)).toBe('red');
    expect(ev('user["name"]', record)).toBe('Ada');
    expect(ev('$["key"]', record)).toBe('a');
    expect(ev('tags[n - 6]', record)).toBe('blue');
    expect(ev('user?.id', record)).toBe(42);
    expect(ev('user?.zip', record)).toBe(null);
    expect(ev('none?.zip', record)).toBe(null);
    expect(ev('none?.[0]', record)).toBe(null);
    expect(ev('tags?.[5]', record)).toBe(null);
    expect(ev('user?.["zip"]', record)).toBe(null);
    expect(ev('$?.discount', record)).toBe(null);
    expect(ev('user?.zip?.code', record)).toBe(null);
  });

  test('fields a record does not have', () => {
    expect(runtimeError('amount', { v: 1, k: 'a' }).message).toBe("record has no field 'amount' (its fields: k, v)");
    expect(runtimeError('amount', {}).message).toBe("record has no field 'amount' (it has no fields)");
    expect(runtimeError('x', 5).message).toBe("record has no field 'x': its value is a number (5), not an object (use $ for the whole value)");
    expect(runtimeError('length', [1, 2]).message).toBe(
      "record has no field 'length': its value is a list ([1,2]), not an object (use $ for the whole value)",
    );
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${String(i).padStart(2, '0')}`, i]));
    expect(runtimeError('x', many).message).toBe("record has no field 'x' (its fields: f00, f01, f02, f03, f04, f05, f06, f07, f08, f09, ... (12 in all))");
    const e = runtimeError('amount * 2', { v: 1 });
    expect(e).toBeInstanceOf(ExprRuntimeError);
    expect(e.name).toBe('ExprRuntimeError');
    expect(e.source).toBe('amount * 2');
    expect(e.detail).toBe(e.message);
  });

  test('member and index errors quote the expression that failed', () => {
    expect(runtimeError('user.zip', record).message).toBe("user has no field 'zip' (its fields: id, name, tags; user?.zip gives null instead)");
    expect(runtimeError('none.zip', record).message).toBe("cannot read field 'zip' of none: it is null (none?.zip gives null instead)");
    expect(runtimeError('tags.first', record).message).toBe("cannot read field 'first' of tags: it is a list, not an object (index it: tags[0])");
    expect(runtimeError('n.x', record).message).toBe("cannot read field 'x' of n: it is a number (7), not an object");
    expect(runtimeError('n?.x', record).message).toBe("cannot read field 'x' of n: it is a number (7), not an object");
    expect(runtimeError('tags[2]', record).message).toBe('index 2 is out of range for tags, a list of length 2');
    expect(runtimeError('tags[-1]', record).message).toBe('index -1 is out of range for tags, a list of length 2');
    expect(runtimeError('tags[0.5]', record).message).toBe('a list index must be an integer, but the index into tags is 0.5');
    expect(runtimeError('tags["0"]', record).message).toBe('a list is indexed by a number, but the index into tags is a string ("0")');
    expect(runtimeError('user[0]', record).message).toBe('an object is indexed by a string, but the index into user is a number (0)');
    expect(runtimeError('user["zip"]', record).message).toBe("user has no field 'zip' (its fields: id, name, tags)");
    expect(runtimeError('none[0]', record).message).toBe('cannot index none: it is null (none?.[...] gives null instead)');
    expect(runtimeError('s[0]', record).message).toBe('cannot index s: it is a string ("Flink"); only lists and objects can be indexed');
    expect(runtimeError('tags?.["x"]', record).message).toBe('a list is indexed by a number, but the index into tags is a string ("x")');
  });

  test('bindings resolve to the bindings object and hide fields of the same name', () => {
    const c = compileExpression('coalesce(state, 0) + v', { bindings: ['state'] });
    expect(c.evaluate({ v: 2 }, null, { state: 40 })).toBe(42);
    expect(c.evaluate({ v: 2 }, null, { state: null })).toBe(2);
    expect(c.fields).toEqual(['v']);
    expect(ev('key + "/" + $.key', { key: 'field' }, null, { key: 'binding' })).toBe('binding/field');
    expect(() => c.evaluate({ v: 2 }, null)).toThrow("the operator did not provide 'state' to this expression");
    expect(() => c.evaluate({ v: 2 }, null, {})).toThrow("the operator did not provide 'state' to this expression");
  });

  test('fields lists the top-level fields read, sorted, without bindings or $', () => {
    expect(compileExpression('{key: key, v: value * 3 + 1}').fields).toEqual(['key', 'value']);
    expect(compileExpression('z + a.b + a.c + $.q + $timestamp + m[k]').fields).toEqual(['a', 'k', 'm', 'z']);
    expect(compileExpression('window.end + x', { bindings: ['window'] }).fields).toEqual(['x']);
    expect(compileExpression('{v}').fields).toEqual(['v']);
    expect(compileExpression('1 + 2').fields).toEqual([]);
  });

  test('a compiled expression is reusable and keeps its source', () => {
    const c = compileExpression('n + 1');
    expect(c.source).toBe('n + 1');
    expect([1, 2, 3].map((n) => c.evaluate({ n }, null))).toEqual([2, 3, 4]);
  });
});

describe('literals', () => {
  test('scalars', () => {
    expect(ev('1')).toBe(1);
    expect(ev('-2.5')).toBe(-2.5);
    expect(ev('1e3')).toBe(1000);
    expect(ev('true')).toBe(true);
    expect(ev('false')).toBe(false);
    expect(ev('null')).toBe(null);
    expect(ev('"x"')).toBe('x');
  });

  test('lists and objects, with shorthand and quoted keys', () => {
    expect(ev('[1, n, [s]]', record)).toEqual([1, 7, ['Flink']]);
    expect(ev('[]')).toEqual([]);
    expect(ev('{}')).toEqual({});
    expect(ev('{key: key, "v": n * 2}', record)).toEqual({ key: 'a', v: 14 });
    expect(ev('{key, n}', record)).toEqual({ key: 'a', n: 7 });
    expect(ev('{"a b": 1, "": 2, null: 3}')).toEqual({ 'a b': 1, '': 2, null: 3 });
    expect(ev('{a: 1, b: 2, c: 3, d: 4, e: 5, f: [1, 2, 3, 4, 5]}')).toEqual({ a: 1, b: 2, c: 3, d: 4, e: 5, f: [1, 2, 3, 4, 5] });
  });

  test('lists and objects are built afresh for every record', () => {
    const c = compileExpression('{a: [1]}');
    const first = c.evaluate(null, null);
    const second = c.evaluate(null, null);
    expect(first).toEqual(second);
    expect(first).not.toBe(second);
  });
});

describe('operators', () => {
  const cases: [string, JsonValue][] = [
    ['7 + 3', 10],
    ['7 - 3', 4],
    ['7 * 3', 21],
    ['7 / 2', 3.5],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['7.5 % 2', 1.5],
    ['0.1 + 0.2', 0.30000000000000004],
    ['"a" + "b"', 'ab'],
    ['"n=" + 1.5', 'n=1.5'],
    ['1 + "x"', '1x'],
    ['"v" + null', 'vnull'],
    ['"v" + true', 'vtrue'],
    ['"v" + [1, "a"]', 'v[1,"a"]'],
    ['"v" + {b: 1, a: 2}', 'v{"a":2,"b":1}'],
    ['-n', -7],
    ['!0', true],
    ['!""', true],
    ['!null', true],
    ['!false', true],
    ['![]', false],
    ['!{}', false],
    ['!"0"', false],
    ['1 == 1', true],
    ['1 == "1"', false],
    ['null == null', true],
    ['null == false', false],
    ['0 == false', false],
    ['[1, {a: 2, b: 3}] == [1, {b: 3, a: 2}]', true],
    ['[1, 2] == [2, 1]', false],
    ['{a: 1} == {a: 1, b: null}', false],
    ['user == {name: "Ada", tags: ["x", "y"], id: 42}', true],
    ['1 != 2', true],
    ['[1] != [1]', false],
    ['1 < 2', true],
    ['2 <= 2', true],
    ['3 > 2', true],
    ['2 >= 3', false],
    ['"apple" < "banana"', true],
    ['"Zebra" < "apple"', true],
    ['"b" >= "b"', true],
    ['"10" < "9"', true],
    ['0 && nope', false],
    ['1 && 2', true],
    ['1 && 0', false],
    ['"" || 0', false],
    ['"" || "x"', true],
    ['1 || nope', true],
    ['n > 5 ? "big" : "small"', 'big'],
    ['none ? nope : "no"', 'no'],
    ['tags ? 1 : 2', 1],
  ];
  test.each(cases)('%s -> %j', (source, expected) => {
    expect(ev(source, record)).toEqual(expected);
  });

  test('&&, || and ?: do not evaluate what they skip (nope is not a field)', () => {
    expect(ev('n > 100 && nope > 1', record)).toBe(false);
    expect(ev('n < 100 || nope > 1', record)).toBe(true);
    expect(ev('true ? 1 : nope', record)).toBe(1);
    expect(() => ev('n < 100 && nope > 1', record)).toThrow("record has no field 'nope'");
  });

  test('results never carry a negative zero', () => {
    for (const source of ['0 * -1', '-0 * 1', '-x', '0 - x', 'x / -1', '-4 % 2', 'x - 0', 'x + y', 'floor(-0.5 + 0.5)', 'ceil(-0.5)', 'round(-0.4)', 'int(-0.5)', 'abs(x)']) {
      const out = ev(source, { x: 0, y: -0 });
      expect(Object.is(out, 0), source).toBe(true);
    }
  });

  const errors: [string, string][] = [
    ['1 / 0', 'division by zero (1 / 0)'],
    ['n % 0', 'division by zero (7 % 0)'],
    ['n / (n - 7)', 'division by zero (7 / 0)'],
    ['1e308 * 10', 'the result of 1e+308 * 10 is too large for a JSON number'],
    ['1e308 + 1e308', 'the result of 1e+308 + 1e+308 is too large for a JSON number'],
    ['-1e308 - 1e308', 'the result of -1e+308 - 1e+308 is too large for a JSON number'],
    ['1e308 / 1e-10', 'the result of 1e+308 / 1e-10 is too large for a JSON number'],
    ['true + 1', "cannot apply '+' to a boolean (true) and a number (1): it adds numbers or joins strings"],
    ['null + 1', "cannot apply '+' to null and a number (1): it adds numbers or joins strings"],
    ['tags + tags', `cannot apply '+' to a list (["red","blue"]) and a list (["red","blue"]): to join lists, use concat(a, b)`],
    ['"3" - 1', `cannot apply '-' to a string ("3") and a number (1): it works on numbers`],
    ['s * 2', `cannot apply '*' to a string ("Flink") and a number (2): it works on numbers`],
    ['n / "2"', `cannot apply '/' to a number (7) and a string ("2"): it works on numbers`],
    ['user % 2', `cannot apply '%' to an object ({"id":42,"name":"Ada","tags":["x","y"]}) and a number (2): it works on numbers`],
    ['-s', `cannot apply '-' to a string ("Flink"): it negates numbers`],
    ['1 < "2"', `cannot apply '<' to a number (1) and a string ("2"): it compares two numbers or two strings`],
    ['null <= 1', "cannot apply '<=' to null and a number (1): it compares two numbers or two strings"],
    ['[1] > [0]', "cannot apply '>' to a list ([1]) and a list ([0]): it compares two numbers or two strings"],
    ['true >= false', "cannot apply '>=' to a boolean (true) and a boolean (false): it compares two numbers or two strings"],
    ['"x" + {long: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} - 1', `cannot apply '-' to a string ("x{\\"long\\":\\"${'a'.repeat(23)}...) and a number (1): it works on numbers`],
  ];
  test.each(errors)('%s fails: %s', (source, message) => {
    const e = runtimeError(source, record);
    expect(e.message).toBe(message);
    expect(e.source).toBe(source);
  });

  test('constant subexpressions that fail still fail at run time, not at compile time', () => {
    const c = compileExpression('flag ? 1 / 0 : 2');
    expect(c.evaluate({ flag: false }, null)).toBe(2);
    expect(() => c.evaluate({ flag: true }, null)).toThrow('division by zero (1 / 0)');
  });
});

describe('prototype safety', () => {
  const inherited = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'toLocaleString'];

  test.each(inherited)('%s is just a missing field, however it is reached', (name) => {
    const rec = { a: 1, user: { id: 1 }, tags: [1] };
    expect(runtimeError(name, rec).message).toBe(`record has no field '${name}' (its fields: a, tags, user)`);
    expect(runtimeError(`$.${name}`, rec).message).toMatch(new RegExp(`^\\$ has no field '${name}'`));
    expect(runtimeError(`$["${name}"]`, rec).message).toMatch(new RegExp(`^\\$ has no field '${name}'`));
    expect(runtimeError(`user.${name}`, rec).message).toMatch(new RegExp(`^user has no field '${name}'`));
    expect(runtimeError(`{}["${name}"]`, rec).message).toMatch(new RegExp(`^\\{\\} has no field '${name}'`));
    expect(ev(`$?.${name}`, rec)).toBe(null);
    expect(ev(`user?.["${name}"]`, rec)).toBe(null);
    expect(ev(`contains($, "${name}")`, rec)).toBe(false);
    expect(() => compileExpression(`${name}(1)`)).toThrow(`column 1: unknown function '${name}'`);
  });

  test('own fields with those names are ordinary fields', () => {
    const rec = JSON.parse('{"constructor": 1, "__proto__": 2, "toString": 3}') as JsonValue;
    expect(ev('constructor + __proto__ + toString', rec)).toBe(6);
    expect(ev('$["__proto__"]', rec)).toBe(2);
  });

  test('lists and strings expose no properties (length, methods)', () => {
    expect(runtimeError('tags.length', { tags: [1] }).message).toBe("cannot read field 'length' of tags: it is a list, not an object (index it: tags[0])");
    expect(runtimeError('tags["length"]', { tags: [1] }).message).toMatch(/^a list is indexed by a number/);
    expect(runtimeError('s.length', { s: 'abc' }).message).toMatch(/^cannot read field 'length' of s: it is a string/);
    expect(runtimeError('$.length', [1]).message).toMatch(/^cannot read field 'length' of \$: it is a list/);
  });

  test('an object literal with a __proto__ key gets an own field, not a new prototype', () => {
    const out = ev('{__proto__: {polluted: true}, a: 1}') as Record<string, JsonValue>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(ev('{"__proto__": 1}.__proto__')).toBe(1);
  });

  test('a polluted Object.prototype is not visible as a field', () => {
    const proto = Object.prototype as unknown as Record<string, unknown>;
    proto['pollutedField'] = 5;
    try {
      expect(runtimeError('pollutedField', { a: 1 }).message).toBe("record has no field 'pollutedField' (its fields: a)");
      expect(ev('$?.pollutedField', { a: 1 })).toBe(null);
      expect(ev('keys($)', { a: 1 })).toEqual(['a']);
    } finally {
      delete proto['pollutedField'];
    }
  });

  test('records with a null prototype and frozen records work', () => {
    const bare = Object.assign(Object.create(null) as Record<string, JsonValue>, { v: 2 });
    expect(ev('v * 2', bare)).toBe(4);
    expect(ev('{v}', Object.freeze({ v: 1 }))).toEqual({ v: 1 });
  });

  test('no globals are in scope', () => {
    for (const name of ['globalThis', 'window', 'process', 'Math', 'eval', 'Function', 'require', 'this', 'undefined', 'NaN', 'Infinity']) {
      expect(runtimeError(name, { a: 1 }).message).toBe(`record has no field '${name}' (its fields: a)`);
    }
  });

  test('undefined in a record (not JSON) reads as a missing field, never as a result', () => {
    const rec = { a: undefined, l: [undefined] } as unknown as JsonValue;
    expect(runtimeError('a', rec).message).toMatch(/^record has no field 'a'/);
    expect(runtimeError('l[0]', rec).message).toBe('index 0 is out of range for l, a list of length 1');
  });
});
