/**
 * A snapshot owns its values: the live state mutates in place (a list appended to, an
 * accumulator's fields set), and no such write after a snapshot may reach it, whatever the
 * value's shape: a number, a flat list (copied on a fast path), or anything nested.
 */
import { describe, expect } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import type { JsonValue } from '../../core/model/index.ts';
import { KeyedStateBackend } from '../../core/state/index.ts';

/** Appends to every list and sets a field on every object inside `v`, in place. */
function mutateInPlace(v: JsonValue): void {
  if (typeof v !== 'object' || v === null) return;
  if (Array.isArray(v)) {
    for (const x of v) mutateInPlace(x);
    v.push('written after the snapshot');
    if (v.length > 1) v[0] = -1;
  } else {
    for (const x of Object.values(v)) mutateInPlace(x);
    v['after'] = true;
  }
}

const value: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.array(fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null))),
  fc.array(fc.array(fc.integer(), { maxLength: 3 }), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
);

describe('snapshot copies', () => {
  fcTest.prop([fc.array(value, { minLength: 1, maxLength: 6 })])('a write in place after a snapshot does not reach it', (values) => {
    const backend = new KeyedStateBackend({ start: 0, end: 0 }, () => 0);
    values.forEach((v, key) => {
      backend.setCurrentKey(key);
      backend.put('s', structuredClone(v));
    });
    const taken = backend.snapshotKeyGroups().get(0)!;
    values.forEach((_, key) => {
      backend.setCurrentKey(key);
      mutateInPlace(backend.get('s')!);
    });
    expect(taken.map((e) => e.value)).toEqual(values);
  });
});
