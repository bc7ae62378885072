/**
 * The oracle's prepared reference (core/check/reference-output.ts) finds exactly the key
 * canonical text would give, for records it wrote (however their objects were built) and
 * for records it never wrote, so a faster oracle cannot change a verdict.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyOf, MAX_CANDIDATES, ReferenceOutput, type OracleRecord } from '../../core/check/reference-output.ts';
import type { JsonValue } from '../../core/model/index.ts';

// The same value with every object's keys inserted in reverse: canonically equal, built differently.
const reorder = (v: JsonValue): JsonValue =>
  Array.isArray(v) ? v.map(reorder) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reorder(x)])) : v;

const value: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>,
  fc.record({ key: fc.constantFrom('k0', 'k1'), window: fc.record({ start: fc.constantFrom(0, 100), end: fc.constantFrom(100, 200) }), value: fc.integer({ min: -1, max: 3 }) }),
  fc.constantFrom<JsonValue>(0, -0, '0', null, [], {}, [null], { b: 1 }),
);
const record: fc.Arbitrary<OracleRecord> = fc.record({ value, timestamp: fc.constantFrom(null, 0, -0, 99, 5) });

describe('ReferenceOutput.keyOf', () => {
  it('equals keyOf for records of the reference, rebuilt, and for strangers (seed 7)', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), fc.array(record, { maxLength: 10 }), (reference, strangers) => {
        const prepared = new ReferenceOutput(reference);
        for (const r of [...reference, ...reference.map((x) => ({ value: reorder(x.value), timestamp: x.timestamp })), ...strangers]) {
          expect(prepared.keyOf(r)).toBe(keyOf(r));
        }
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('builds the text when a timestamp has more records than it compares with', () => {
    const crowd = Array.from({ length: MAX_CANDIDATES + 1 }, (_, i) => ({ value: { i }, timestamp: 1 }));
    const prepared = new ReferenceOutput(crowd);
    for (const r of crowd) expect(prepared.keyOf({ value: { i: (r.value as { i: number }).i }, timestamp: 1 })).toBe(keyOf(r));
  });
});
