// The walks over user data stay correct and within the stack for values of any depth: the
// canonical encoding, equality and copying hand deep subtrees to iterative walks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, canonicalJsonLength, cloneJson, jsonEqual, type JsonValue } from '../../core/model/index.ts';

function nested(depth: number, leaf: JsonValue, asObject: (i: number) => boolean): JsonValue {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asObject(i) ? { b: i, a: v } : [v, i];
  return v;
}

describe('deep values', () => {
  const depth = 100_000;
  const deep = nested(depth, 'x', (i) => i % 3 === 0);

  it('canonicalJson of a value nested 100,000 deep is the text JSON.stringify would give with sorted keys', () => {
    const text = canonicalJson(deep);
    expect(text.length).toBe(canonicalJsonLength(deep));
    // Rebuild the expected text from the outside in, without recursion.
    let expected = '"x"';
    for (let i = 0; i < depth; i++) expected = i % 3 === 0 ? `{"a":${expected},"b":${i}}` : `[${expected},${i}]`;
    expect(text).toBe(expected);
  });

  it('jsonEqual and cloneJson handle it, and tell a difference at the bottom', () => {
    const copy = cloneJson(deep);
    expect(jsonEqual(deep, copy)).toBe(true);
    expect(jsonEqual(deep, nested(depth, 'y', (i) => i % 3 === 0))).toBe(false);
    expect(jsonEqual(deep, nested(depth, 'x', (i) => i % 3 === 1))).toBe(false);
  });

  it('the deep walk agrees with the shallow one on any value (fast-check, seed printed on failure)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 150, max: 400 }), (v, d) => {
        const wrapped = nested(d, v as JsonValue, (i) => i % 2 === 0);
        let expected = canonicalJson(v as JsonValue);
        for (let i = 0; i < d; i++) expected = i % 2 === 0 ? `{"a":${expected},"b":${i}}` : `[${expected},${i}]`;
        return canonicalJson(wrapped) === expected && jsonEqual(wrapped, cloneJson(wrapped));
      }),
      { numRuns: 50 },
    );
  });
});
