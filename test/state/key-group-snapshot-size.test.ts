/**
 * A key group snapshot's size is counted field by field (keyGroupSnapshotSize), not by
 * walking the object: for any entries and timers it must be the canonical JSON length of
 * the group as it is stored, `{ keyGroup, version, size: 0, entries, timers }`, since the
 * report's stateSize and checkpointedSize, and so the trace hashes, are sums of it.
 */
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { canonicalJsonLength, type JsonValue } from '../../core/model/index.ts';
import { keyGroupSnapshotSize, snapshotKeyGroups, KeyedStateBackend, InternalTimerService, type KeyedStateEntry, type TimerEntry } from '../../core/state/index.ts';

const generic = (keyGroup: number, version: number, entries: readonly KeyedStateEntry[], timers: readonly TimerEntry[]) =>
  canonicalJsonLength({ keyGroup, version, size: 0, entries, timers } as unknown as JsonValue);

/** fast-check's JSON, as Weir's type (fast-check's allows undefined inside objects, which JSON text never holds). */
const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;
/** Strings that need escapes (quotes, backslashes, control characters, lone surrogates) as well as plain ones. */
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\u0001k', '\u2028', '\ud800'));
/** Numbers whose printed length is not their digit count: negatives, -0, fractions, exponents, the edges of the safe integers. */
const number = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 9, 10, 99, 100, 1e15, 1e16 - 1, 1e21, 1e-7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, Number.MIN_VALUE),
);
const value: fc.Arbitrary<JsonValue> = fc.oneof(number, fc.array(number), fc.array(fc.oneof(number, text, fc.constant(null))), json);
const keyId = fc.oneof(number, text);
const entry: fc.Arbitrary<KeyedStateEntry> = fc.record({ state: text, namespace: fc.oneof(text, fc.constantFrom('', '0,1000')), key: keyId, value });
const timer: fc.Arbitrary<TimerEntry> = fc.record({ domain: fc.constantFrom('event' as const, 'processing' as const), timestamp: number, key: fc.oneof(number, json), keyId, namespace: text });

describe('keyGroupSnapshotSize', () => {
  fcTest.prop([fc.nat(32767), fc.integer({ min: 1, max: 2 ** 40 }), fc.array(entry, { maxLength: 8 }), fc.array(timer, { maxLength: 8 })])(
    'is the canonical JSON length of the stored group',
    (keyGroup, version, entries, timers) => {
      expect(keyGroupSnapshotSize(keyGroup, version, entries, timers)).toBe(generic(keyGroup, version, entries, timers));
    },
  );

  it('leaves out the value field of an entry whose value is undefined, as canonical JSON does', () => {
    const entries = [{ state: 's', namespace: '', key: 1, value: undefined as unknown as JsonValue }];
    expect(keyGroupSnapshotSize(0, 1, entries, [])).toBe(generic(0, 1, entries, []));
  });

  it('a snapshot sizes each group as its canonical JSON, timers and a shared namespace included', () => {
    const keyGroupOf = (key: JsonValue) => Number(key) % 4;
    const backend = new KeyedStateBackend({ start: 0, end: 3 }, keyGroupOf);
    const timers = new InternalTimerService();
    for (let k = 0; k < 12; k++) {
      backend.setCurrentKey(k);
      backend.setCurrentNamespace('0,1000');
      backend.put('window-contents', [k, k * 1.5]);
      timers.registerEventTimeTimerAt(999, k, k, '0,1000');
      if (k % 3 === 0) timers.registerProcessingTimeTimerAt(50 + k, k, k, '');
    }
    const groups = snapshotKeyGroups(backend, timers, keyGroupOf);
    expect(groups.length).toBe(4);
    for (const g of groups) expect(g.size).toBe(generic(g.keyGroup, g.version, g.entries, g.timers));
  });
});
