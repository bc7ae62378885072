// cloneJson copies a list or object that a value holds in several places once, so that a
// state built as {l: s, r: s} (a tree that doubles with each record, of few distinct
// objects) is not expanded into the tree when the trace copies it.
import { describe, expect, it } from 'vitest';
import { canonicalJson, cloneJson, jsonEqual, type JsonValue } from '../../core/model/index.ts';

function doubling(times: number): JsonValue {
  let s: JsonValue = [];
  for (let i = 0; i < times; i++) s = { l: s, r: s };
  return s;
}

describe('cloneJson and shared parts', () => {
  it('a part held twice is copied once and held twice by the copy, equal to the original', () => {
    const shared = { n: [1, 2] };
    const value = { a: shared, b: [shared, shared] } as JsonValue;
    const copy = cloneJson(value) as { a: JsonValue; b: JsonValue[] };
    expect(copy.a).not.toBe(shared);
    expect(copy.b[0]).toBe(copy.a);
    expect(copy.b[1]).toBe(copy.a);
    expect(canonicalJson(copy as JsonValue)).toBe(canonicalJson(value));
  });

  it('a value that doubled 40 times (2^41 - 1 values as a tree) copies at once, and the copy is the same tree', () => {
    const value = doubling(40);
    const started = performance.now();
    const copy = cloneJson(value);
    // Expanded, the copy would be 2^41 objects: it would never finish.
    expect(performance.now() - started).toBeLessThan(1000);
    // Walked level by level with plain comparisons: a matcher given the tree itself would print it.
    let a = value as { l: JsonValue; r: JsonValue };
    let b = copy as { l: JsonValue; r: JsonValue };
    let copiedLevels = 0;
    for (let depth = 0; depth < 40; depth++) {
      if (b !== a && b.l === b.r && Object.keys(b).join() === 'l,r') copiedLevels++;
      a = a.l as typeof a;
      b = b.l as typeof b;
    }
    expect(copiedLevels).toBe(40);
    expect(Array.isArray(b) && (b as JsonValue[]).length === 0 && b !== a).toBe(true);
    expect(jsonEqual(cloneJson(doubling(10)), doubling(10))).toBe(true);
  });

  it('the copy is still independent of the original', () => {
    const shared = { n: 1 };
    const value = { a: shared, b: shared } as JsonValue;
    const copy = cloneJson(value) as { a: { n: number }; b: { n: number } };
    copy.a.n = 2;
    expect(shared.n).toBe(1);
    // The copy keeps the original's aliasing, no more and no less.
    expect(copy.b.n).toBe(2);
    const distinct = cloneJson({ a: { n: 1 }, b: { n: 1 } }) as { a: { n: number }; b: { n: number } };
    distinct.a.n = 2;
    expect(distinct.b.n).toBe(1);
  });
});
