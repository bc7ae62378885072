/**
 * Every built-in function: results, edge cases, and the error each gives on wrong input.
 * The table's own examples are run too, so the documentation cannot drift from the code.
 */
import { describe, expect, test } from 'vitest';
import { BUILTIN_FUNCTIONS, stableHash32, type JsonValue } from '../../core/expr/index.ts';
import { ev, runtimeError } from './helpers.ts';

const rec = { s: 'Stream', n: -2.5, l: [3, 1, 2], o: { b: 1, a: 2 }, none: null, e: [] };

const results: [string, JsonValue][] = [
  ['floor(2.7)', 2],
  ['floor(-2.5)', -3],
  ['floor(5)', 5],
  ['ceil(2.1)', 3],
  ['ceil(-2.9)', -2],
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['round(2.4999)', 2],
  ['round(-2.6)', -3],
  ['round(0.49999999999999994)', 0],
  ['round(4503599627370495.5)', 4503599627370496],
  ['round(1e300)', 1e300],
  ['abs(-3)', 3],
  ['abs(n)', 2.5],
  ['int(2.7)', 2],
  ['int(-2.7)', -2],
  ['sqrt(16)', 4],
  ['sqrt(2)', 1.4142135623730951],
  ['sqrt(0)', 0],
  ['min(3, 7, 5)', 3],
  ['max(3, 7, 5)', 7],
  ['max(-1)', -1],
  ['min(l)', 1],
  ['max(l)', 3],
  ['max([4])', 4],
  ['len("abc")', 3],
  ['len("")', 0],
  ['len("😀")', 2],
  ['len(l)', 3],
  ['len(o)', 2],
  ['len({})', 0],
  ['str("x")', 'x'],
  ['str(1.5)', '1.5'],
  ['str(1e21)', '1e+21'],
  ['str(null)', 'null'],
  ['str(true)', 'true'],
  ['str(o)', '{"a":2,"b":1}'],
  ['str(["a", 1])', '["a",1]'],
  ['num("42")', 42],
  ['num(" -2.5e1 ")', -25],
  ['num(".5")', 0.5],
  ['num("+3")', 3],
  ['num(7)', 7],
  ['lower(s)', 'stream'],
  ['upper(s)', 'STREAM'],
  ['lower("ÉCOLE")', 'école'],
  ['contains(s, "rea")', true],
  ['contains(s, "x")', false],
  ['contains(s, "")', true],
  ['contains(l, 2)', true],
  ['contains([{a: 1}], {a: 1})', true],
  ['contains(l, "2")', false],
  ['contains(o, "a")', true],
  ['contains(o, "z")', false],
  ['substr(s, 1, 3)', 'tre'],
  ['substr(s, 2)', 'ream'],
  ['substr(s, 0, 0)', ''],
  ['substr(s, 4, 100)', 'am'],
  ['substr(s, 100)', ''],
  ['keys(o)', ['a', 'b']],
  ['keys({b: 1, B: 2, a: 3, "10": 4, "9": 5})', ['10', '9', 'B', 'a', 'b']],
  ['keys({})', []],
  ['concat(l, [4])', [3, 1, 2, 4]],
  ['concat([], [], [1])', [1]],
  ['coalesce(null, none, 3, 4)', 3],
  ['coalesce(none)', null],
  ['coalesce(0, 1)', 0],
  ['coalesce($?.discount, 10)', 10],
  ['coalesce(1, nope)', 1],
  ['split("a b c", " ")', ['a', 'b', 'c']],
  ['split("a,,b", ",")', ['a', '', 'b']],
  ['split("", ",")', ['']],
  ['join(["a", 1, null], "-")', 'a-1-null'],
  ['join([], "-")', ''],
  ['type(null)', 'null'],
  ['type(true)', 'boolean'],
  ['type(1)', 'number'],
  ['type("")', 'string'],
  ['type([])', 'list'],
  ['type({})', 'object'],
  ['hash("hello") == hash("hel" + "lo")', true],
];

describe('results', () => {
  test.each(results)('%s -> %j', (source, expected) => {
    expect(ev(source, rec)).toEqual(expected);
  });

  test('hash is stableHash32 of its argument', () => {
    expect(ev('hash(o)', rec)).toBe(stableHash32({ a: 2, b: 1 }));
    expect(ev('hash("a")', rec)).toBe(stableHash32('a'));
  });

  test('the lists functions return are new: keys, concat, split', () => {
    const l = [1];
    const out = ev('concat(l, [])', { l });
    expect(out).toEqual([1]);
    expect(out).not.toBe(l);
  });
});

const failures: [string, string][] = [
  ['floor("1")', 'floor() expects a number but got a string ("1")'],
  ['ceil(null)', 'ceil() expects a number but got null'],
  ['round(true)', 'round() expects a number but got a boolean (true)'],
  ['abs([1])', 'abs() expects a number but got a list ([1])'],
  ['int({})', 'int() expects a number but got an object ({})'],
  ['sqrt(-1)', 'sqrt() of a negative number (-1) is not a number'],
  ['sqrt("4")', 'sqrt() expects a number but got a string ("4")'],
  ['min(1, "2")', 'min() expects numbers or one list of numbers but got a string ("2")'],
  ['max(e)', 'max() of an empty list has no value'],
  ['max([1, null])', 'max() expects numbers or one list of numbers but got null'],
  ['min(l, 1)', 'min() expects numbers or one list of numbers but got a list ([3,1,2])'],
  ['len(1)', 'len() expects a string, a list or an object but got a number (1)'],
  ['len(null)', 'len() expects a string, a list or an object but got null'],
  ['num("12abc")', 'num() cannot read a number from a string ("12abc")'],
  ['num("")', 'num() cannot read a number from a string ("")'],
  ['num("0x10")', 'num() cannot read a number from a string ("0x10")'],
  ['num("Infinity")', 'num() cannot read a number from a string ("Infinity")'],
  ['num("1e999")', 'num() read a number too large for JSON from a string ("1e999")'],
  ['num(true)', 'num() expects a number or a numeric string but got a boolean (true)'],
  ['num(null)', 'num() expects a number or a numeric string but got null'],
  ['lower(1)', 'lower() expects a string but got a number (1)'],
  ['upper(null)', 'upper() expects a string but got null'],
  ['contains(1, 1)', 'contains() expects a string, a list or an object but got a number (1)'],
  ['contains(s, 1)', 'contains() expects a string to look for in a string but got a number (1)'],
  ['contains(o, 1)', 'contains() expects a field name to look for in an object but got a number (1)'],
  ['substr(1, 0)', 'substr() expects a string but got a number (1)'],
  ['substr(s, -1)', 'substr() expects a start index that is an integer >= 0 but got -1'],
  ['substr(s, 1.5)', 'substr() expects a start index that is an integer >= 0 but got 1.5'],
  ['substr(s, 0, -2)', 'substr() expects a length that is an integer >= 0 but got -2'],
  ['substr(s, "0")', 'substr() expects a start index that is an integer >= 0 but got a string ("0")'],
  ['keys(l)', 'keys() expects an object but got a list ([3,1,2])'],
  ['keys(null)', 'keys() expects an object but got null'],
  ['concat(l, 1)', 'concat() expects lists but got a number (1)'],
  ['split(s, "")', 'split() needs a non-empty separator'],
  ['split(1, ",")', 'split() expects a string but got a number (1)'],
  ['split(s, 1)', 'split() expects a separator string but got a number (1)'],
  ['join(s, ",")', 'join() expects a list but got a string ("Stream")'],
  ['join(l, 1)', 'join() expects a separator string but got a number (1)'],
  ['coalesce(null, nope)', "record has no field 'nope' (its fields: e, l, n, none, o, s)"],
];

describe('errors', () => {
  test.each(failures)('%s fails: %s', (source, message) => {
    expect(runtimeError(source, rec).message).toBe(message);
  });
});

describe('the table', () => {
  test('holds exactly the documented functions', () => {
    expect([...BUILTIN_FUNCTIONS.keys()].sort()).toEqual([
      'abs', 'ceil', 'coalesce', 'concat', 'contains', 'floor', 'hash', 'int', 'isInNYC', 'join', 'keys', 'len', 'lower',
      'max', 'min', 'num', 'round', 'split', 'sqrt', 'str', 'substr', 'type', 'upper',
    ]);
  });

  // Each example is a list of `call == result` claims separated by ';', sometimes with a note.
  const examples = [...BUILTIN_FUNCTIONS].flatMap(([name, fn]) =>
    fn.example
      .split(';')
      .map((claim) => claim.replace(/\s+\(.*\)\s*$/, '').trim())
      .filter((claim) => claim.includes('=='))
      .map((claim) => [name, claim] as const),
  );
  test.each(examples)('%s: the example %s holds', (_name, claim) => {
    expect(ev(claim, { other: 1 })).toBe(true);
  });

  test('every function is documented in docs/expressions.md', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/expressions.md', import.meta.url), 'utf8');
    for (const name of BUILTIN_FUNCTIONS.keys()) expect(doc, name).toContain(`\`${name}(`);
  });
});
