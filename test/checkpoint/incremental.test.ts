/**
 * Incremental checkpoints (the RocksDB state backend) and the SharedStateRegistry, after
 * the shared-state parts of Flink's CheckpointCoordinatorTest (shared state is registered
 * when a checkpoint completes, and a discarded checkpoint's files go when nothing refers
 * to them) and SharedStateRegistryTest. A "file" is one key group's content.
 */
import { describe, expect, it } from 'vitest';
import { SharedStateRegistry, type TaskSnapshot } from '../../core/checkpoint/index.ts';
import type { JsonValue } from '../../core/model/index.ts';
import { plan, setup, snapshot, SOURCE, statsOf, trigger } from './helpers.ts';

/** One subtask `src#0` whose snapshot is `groups`; returns the completed checkpoint's stats. */
function checkpointWith(s: ReturnType<typeof setup>, groups: Record<number, JsonValue>) {
  const id = trigger(s);
  s.coordinator.receiveAcknowledge(SOURCE, id, snapshot('src#0', groups), 0);
  return statsOf(s, id);
}

const ONE_TASK = plan([SOURCE], [SOURCE]);
const ten = (changed: Record<number, JsonValue> = {}) => ({ ...Object.fromEntries(Array.from({ length: 10 }, (_, g) => [g, `value-of-group-${g}`])), ...changed });

describe('incremental checkpoints (rocksdb)', () => {
  it('when only some key groups changed, the checkpoint writes only those: checkpointedSize < stateSize', () => {
    const s = setup({ backend: 'rocksdb', plan: ONE_TASK });
    const first = checkpointWith(s, ten());
    const second = checkpointWith(s, ten({ 4: 'value-of-group-X' }));
    expect(first.status).toBe('COMPLETED');
    expect(second.stateSize).toBe(first.stateSize);
    expect(second.checkpointedSize).toBeLessThan(second.stateSize);
    expect(second.checkpointedSize).toBeLessThan(first.checkpointedSize);
    // What the second did not write is exactly the nine key groups it reused.
    const group = (g: number) => JSON.stringify({ entries: [{ key: `k${g}`, namespace: '', state: 'count', value: `value-of-group-${g}` }], keyGroup: g, timers: [] }).length;
    const reused = [0, 1, 2, 3, 5, 6, 7, 8, 9].reduce((n, g) => n + group(g), 0);
    expect(first.checkpointedSize - second.checkpointedSize).toBe(reused);
  });

  it('an unchanged state writes no key group at all', () => {
    const s = setup({ backend: 'rocksdb', plan: ONE_TASK });
    checkpointWith(s, ten());
    const again = checkpointWith(s, ten());
    // Only the operator state (null) and the channel state ([]) are written again.
    expect(again.checkpointedSize).toBe('null'.length + '[]'.length);
  });

  it('the hashmap backend always writes everything: checkpointedSize = stateSize', () => {
    const s = setup({ backend: 'hashmap', plan: ONE_TASK });
    checkpointWith(s, ten());
    const second = checkpointWith(s, ten({ 4: 'value-of-group-X' }));
    expect(second.checkpointedSize).toBe(second.stateSize);
  });

  it('a file is dropped when the last retained checkpoint using it is discarded: coming back, it is written again', () => {
    // Group 0 goes a -> b -> a. With one retained checkpoint the file for "a" is gone by the
    // third checkpoint; with two it is still referenced by the first and is reused.
    const sizes = (retained: number) => {
      const s = setup({ backend: 'rocksdb', plan: ONE_TASK, spec: { retained } });
      return [checkpointWith(s, { 0: 'a'.repeat(50) }), checkpointWith(s, { 0: 'b'.repeat(50) }), checkpointWith(s, { 0: 'a'.repeat(50) })].map((c) => c.checkpointedSize);
    };
    const [one1, one2, one3] = sizes(1);
    const [two1, two2, two3] = sizes(2);
    expect([one1, one2, one3]).toEqual([two1, two2, one1]);
    expect(two3).toBeLessThan(one3);
    expect(two3).toBe('null'.length + '[]'.length);
  });

  it('a savepoint is self-contained: it holds no reference, so the checkpoint after it still writes what changed since the last checkpoint', () => {
    const s = setup({ backend: 'rocksdb', plan: ONE_TASK, spec: { retained: 1 } });
    checkpointWith(s, { 0: 'a'.repeat(50) });
    const sp = trigger(s, true);
    s.coordinator.receiveAcknowledge(SOURCE, sp, snapshot('src#0', { 0: 'b'.repeat(50) }), 0);
    const after = checkpointWith(s, { 0: 'b'.repeat(50) });
    expect(after.checkpointedSize).toBeGreaterThan(50);
  });
});

describe('SharedStateRegistry', () => {
  const task = (groups: Record<number, JsonValue>): TaskSnapshot => snapshot('win#0', groups);

  it('counts references per file and drops a file with its last reference', () => {
    const r = new SharedStateRegistry();
    r.register(1, [task({ 0: 'x', 1: 'y' })]);
    r.register(2, [task({ 0: 'x', 1: 'z' })]);
    expect(r.files).toBe(3);
    r.unregister(1);
    expect(r.files).toBe(2); // 0:x still used by 2, 1:y gone
    r.unregister(2);
    expect(r.files).toBe(0);
    r.unregister(2);
    expect(r.files).toBe(0);
  });

  it('returns the bytes written: new files in full, reused files not at all, non-keyed state always', () => {
    const r = new SharedStateRegistry();
    const first = r.register(1, [task({ 0: 'x', 1: 'y' })]);
    const second = r.register(2, [task({ 0: 'x', 1: 'y' })]);
    expect(second).toBe('null'.length + '[]'.length);
    expect(first).toBeGreaterThan(second);
    r.unregister(1);
    r.unregister(2);
    expect(r.register(3, [task({ 0: 'x', 1: 'y' })])).toBe(first);
  });

  it('the same key group of different subtasks is a different file', () => {
    const r = new SharedStateRegistry();
    r.register(1, [snapshot('win#0', { 0: 'x' }), snapshot('win#1', { 0: 'x' })]);
    expect(r.files).toBe(2);
  });
});
