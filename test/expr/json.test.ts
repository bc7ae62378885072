/**
 * The value helpers: canonical JSON, structural equality, truthiness, and the stable hash.
 * The hash's known answers are written down here so that any change to it, which would
 * move every key to a different key group, is noticed.
 */
import { describe, expect, test } from 'vitest';
import { canonicalJson, deepEqual, isTruthy, stableHash32, type JsonValue } from '../../core/expr/index.ts';
import { murmur3Utf8 } from '../../core/expr/json.ts';

describe('canonicalJson', () => {
  test('sorts keys, drops white space, prints numbers as JavaScript does', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0.5, y: -2 } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":-2,"z":0.5}}');
    expect(canonicalJson(1e21)).toBe('1e+21');
    expect(canonicalJson(1e-7)).toBe('1e-7');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson('é"\n')).toBe('"é\\"\\n"');
    expect(canonicalJson({ '10': 1, '9': 2, B: 3, a: 4 })).toBe('{"10":1,"9":2,"B":3,"a":4}');
  });
});

describe('deepEqual', () => {
  const cases: [JsonValue, JsonValue, boolean][] = [
    [1, 1, true],
    [0, -0, true],
    [1, '1', false],
    [null, false, false],
    [[], {}, false],
    [{}, [], false],
    [[1, [2]], [1, [2]], true],
    [[1, 2], [1, 2, 3], false],
    [{ a: 1, b: [null] }, { b: [null], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 1 }, false],
    [{ a: 1, b: 1 }, { a: 1, c: 1 }, false],
  ];
  test.each(cases)('%j == %j is %s', (a, b, expected) => {
    expect(deepEqual(a, b)).toBe(expected);
    expect(deepEqual(b, a)).toBe(expected);
  });
});

describe('isTruthy', () => {
  test('false, null, 0 and "" are false; everything else is true', () => {
    const falsy: JsonValue[] = [false, null, 0, -0, ''];
    expect(falsy.map((v) => isTruthy(v))).toEqual([false, false, false, false, false]);
    const truthy: JsonValue[] = [true, 1, -1, 0.5, 'a', '0', 'false', [], {}, [0], { a: null }];
    expect(truthy.map((v) => isTruthy(v))).toEqual(Array(11).fill(true));
  });
});

describe('stableHash32', () => {
  test('MurmurHash3 x86_32 matches the published test vectors', () => {
    expect(murmur3Utf8('')).toBe(0);
    expect(murmur3Utf8('', 1)).toBe(0x514e28b7);
    expect(murmur3Utf8('hello')).toBe(0x248bfa47);
    expect(murmur3Utf8('abc')).toBe(0xb3dd93fa);
    expect(murmur3Utf8('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
    expect(murmur3Utf8('aaaa', 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3Utf8('Hello, world!', 0x9747b28c)).toBe(0x24884cba);
  });

  // Known answers. If one of these changes, every key moves to another key group and
  // every savepoint's keyed state is read by the wrong subtask: change them deliberately.
  const known: [JsonValue, number][] = [
    [null, 1727035794],
    [true, 888000370],
    [false, 3579944471],
    [0, 3530670207],
    [1, 2484513939],
    [-1, 1908024458],
    [1.5, 4025916689],
    ['a', 1961636474],
    ['', 2035842409],
    [[], 2231318396],
    [{}, 2315792072],
    [[1, 'a'], 559186052],
    [{ b: 1, a: [true, null] }, 1069465507],
    ['héllo 😀', 3835582641],
  ];
  test.each(known)('stableHash32(%j) = %i', (value, hash) => {
    expect(stableHash32(value)).toBe(hash);
  });

  test('is murmur3 of the canonical JSON, so key order and -0 do not matter', () => {
    expect(stableHash32({ a: 2, b: 1 })).toBe(murmur3Utf8('{"a":2,"b":1}'));
    expect(stableHash32({ b: 1, a: 2 })).toBe(stableHash32({ a: 2, b: 1 }));
    expect(stableHash32(-0)).toBe(stableHash32(0));
  });

  test('is an unsigned 32-bit integer', () => {
    for (const [value] of known) {
      const h = stableHash32(value);
      expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
    }
  });
});
