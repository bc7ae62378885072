/**
 * The keyed state backend against a plain Map model: for any sequence of puts, in-place
 * appends, removes and snapshots over several states, namespaces and key groups, every
 * read is the model's, a snapshot per key group holds exactly the model's entries in
 * (state, namespace, key) order, later writes never reach a snapshot, a group untouched
 * since the last snapshot gives the same list again, and a restore into a fresh backend
 * (split across two subtasks' ranges, as a rescale does) reads the same.
 */
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { compareKeyIds, keyIdOf, KeyedStateBackend, restoreKeyGroups, snapshotKeyGroups, InternalTimerService, type KeyId, type KeyedStateEntry } from '../../core/state/index.ts';
import type { JsonValue } from '../../core/model/index.ts';

const MAX_PARALLELISM = 8;
const groupOf = (key: JsonValue) => Math.abs(Number(String(key).length * 31 + (typeof key === 'number' ? key : 7))) % MAX_PARALLELISM;

type Op =
  | { readonly kind: 'put'; readonly state: string; readonly ns: string; readonly key: number | string; readonly value: number }
  | { readonly kind: 'append'; readonly state: string; readonly ns: string; readonly key: number | string; readonly value: number }
  | { readonly kind: 'remove'; readonly state: string; readonly ns: string; readonly key: number | string }
  | { readonly kind: 'snapshot' };

const key = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constantFrom('a', 'b', '\u0001x'));
const state = fc.constantFrom('s', 't');
const ns = fc.constantFrom('', '0,10', '10,20');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('put' as const), state, ns, key, value: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('append' as const), state, ns, key, value: fc.integer() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('remove' as const), state, ns, key }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'snapshot' as const }) },
);

const fullRange = { start: 0, end: MAX_PARALLELISM - 1 };

function modelEntries(model: Map<string, JsonValue>, group: number): [string, string, string, JsonValue][] {
  const out: [string, string, string, JsonValue][] = [];
  for (const [k, v] of model) {
    const [s, n, keyText] = JSON.parse(k) as [string, string, string];
    if (groupOf(JSON.parse(keyText) as JsonValue) === group) out.push([s, n, keyText, v]);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The key a string KeyId stands for (a marked id holds a key's canonical JSON). */
function keyFromId(id: KeyId): JsonValue {
  if (typeof id === 'number' || id.charCodeAt(0) !== 1) return id;
  return id.charCodeAt(1) === 1 ? id.slice(1) : (JSON.parse(id.slice(1)) as JsonValue);
}

describe('KeyedStateBackend', () => {
  fcTest.prop([fc.array(op, { maxLength: 120 })])('reads, snapshots and restores as a Map of (state, namespace, key) does', (ops) => {
    const backend = new KeyedStateBackend(fullRange, groupOf);
    const model = new Map<string, JsonValue>();
    const snapshots: { taken: Map<number, readonly KeyedStateEntry[]>; frozen: string }[] = [];
    let last: Map<number, readonly KeyedStateEntry[]> | null = null;
    const touched = new Set<number>();
    for (const o of ops) {
      if (o.kind === 'snapshot') {
        const taken = backend.snapshotKeyGroups();
        for (let g = 0; g < MAX_PARALLELISM; g++) {
          const expected = modelEntries(model, g);
          expect(taken.has(g)).toBe(expected.length > 0);
          if (expected.length > 0) {
            const list = taken.get(g)!;
            // In (state, namespace, key) order, and the model's entries exactly.
            expect([...list].sort((a, b) => cmp(a.state, b.state) || cmp(a.namespace, b.namespace) || compareKeyIds(a.key, b.key))).toEqual(list);
            const byText = (t: readonly unknown[]) => JSON.stringify(t);
            expect(list.map((e) => byText([e.state, e.namespace, keyIdOf(keyFromId(e.key)), e.value])).sort()).toEqual(
              expected.map((t) => byText([t[0], t[1], keyIdOf(JSON.parse(t[2]) as JsonValue), t[3]])).sort(),
            );
          }
          if (last !== null && last.has(g) && taken.has(g) && !touched.has(g)) expect(taken.get(g)).toBe(last.get(g));
        }
        snapshots.push({ taken, frozen: JSON.stringify([...taken]) });
        last = taken;
        touched.clear();
        continue;
      }
      backend.setCurrentKey(o.key);
      backend.setCurrentNamespace(o.ns);
      touched.add(groupOf(o.key));
      const k = JSON.stringify([o.state, o.ns, JSON.stringify(o.key)]);
      if (o.kind === 'put') {
        backend.put(o.state, o.value);
        model.set(k, o.value);
      } else if (o.kind === 'append') {
        const current = backend.get(o.state);
        if (Array.isArray(current)) current.push(o.value);
        else backend.put(o.state, [o.value]);
        const m = model.get(k);
        model.set(k, Array.isArray(m) ? [...m, o.value] : [o.value]);
      } else {
        backend.remove(o.state);
        model.delete(k);
      }
      expect(backend.get(o.state) ?? null).toEqual(model.get(k) ?? null);
      expect(backend.size).toBe(model.size);
    }
    // Later in-place writes never reached an earlier snapshot.
    for (const s of snapshots) expect(JSON.stringify([...s.taken])).toBe(s.frozen);
    // Restored into two subtasks' ranges, every value reads back.
    const final = [...backend.snapshotKeyGroups()].map(([keyGroup, entries]) => ({ keyGroup, version: 1, size: 0, entries, timers: [] }));
    const halves = [new KeyedStateBackend({ start: 0, end: 3 }, groupOf), new KeyedStateBackend({ start: 4, end: 7 }, groupOf)];
    for (const half of halves) restoreKeyGroups(half, new InternalTimerService(), [final]);
    expect(halves[0]!.size + halves[1]!.size).toBe(model.size);
    for (const [k, v] of model) {
      const [s, n, keyText] = JSON.parse(k) as [string, string, string];
      const key = JSON.parse(keyText) as JsonValue;
      const half = halves[groupOf(key) <= 3 ? 0 : 1]!;
      half.setCurrentKey(key);
      half.setCurrentNamespace(n);
      expect(half.get(s)).toEqual(v);
    }
  });

  it('leaves a key group out of the snapshot once all its state is removed', () => {
    const backend = new KeyedStateBackend(fullRange, groupOf);
    backend.setCurrentKey(3);
    backend.put('s', 1);
    const g = groupOf(3);
    expect([...backend.snapshotKeyGroups().keys()]).toEqual([g]);
    backend.remove('s');
    expect(backend.snapshotKeyGroups().size).toBe(0);
    expect(backend.keyGroupsWithState()).toEqual([]);
  });

  it('keeps the other keys of a key group when one is removed, and drops the group with its last key', () => {
    // 1, 9 and 17 share key group 0 (groupOf: (length * 31 + key) % 8): a window's cleanup removes such keys one by one.
    const backend = new KeyedStateBackend(fullRange, groupOf);
    backend.setCurrentNamespace('0,10');
    for (const k of [1, 9, 17]) {
      backend.setCurrentKey(k);
      backend.put('s', k);
    }
    const read = () => [1, 9, 17].map((k) => (backend.setCurrentKey(k), backend.get('s') ?? null));
    backend.setCurrentKey(9);
    backend.remove('s');
    expect(read()).toEqual([1, null, 17]);
    expect(backend.size).toBe(2);
    backend.setCurrentKey(17);
    backend.remove('s');
    backend.setCurrentKey(9);
    backend.remove('s');
    expect(read()).toEqual([1, null, null]);
    expect(backend.entries().map((e) => [e.key, e.value])).toEqual([['1', 1]]);
    backend.setCurrentKey(1);
    backend.remove('s');
    expect(read()).toEqual([null, null, null]);
    expect(backend.size).toBe(0);
    expect(backend.keyGroupsWithState()).toEqual([]);
    expect(backend.entries()).toEqual([]);
  });

  it('snapshots timers with the state of their key group', () => {
    const backend = new KeyedStateBackend(fullRange, groupOf);
    const timers = new InternalTimerService();
    backend.setCurrentKey(5);
    timers.registerEventTimeTimer({ timestamp: 9, key: 5, keyId: 5, namespace: '' });
    const groups = snapshotKeyGroups(backend, timers, groupOf);
    expect(groups.map((g) => [g.keyGroup, g.entries.length, g.timers.length])).toEqual([[groupOf(5), 0, 1]]);
  });
});
