/**
 * Incremental checkpoints (the RocksDB state backend) and the SharedStateRegistry, after
 * the shared-state parts of Flink's CheckpointCoordinatorTest (shared state is registered
 * when a checkpoint completes; a discarded checkpoint's files go when nothing refers to
 * them) and SharedStateRegistryTest. A "file" is one version of one key group of one
 * operator of one subtask attempt: the backend bumps a group's version when it changed.
 */
import { describe, expect, it } from 'vitest';
import { SharedStateRegistry, type TaskSnapshot } from '../../core/checkpoint/index.ts';
import { plan, ref, setup, snapshot, SOURCE, statsOf, trigger, type GroupSpec, type Plan } from './helpers.ts';

const ONE_TASK = plan([SOURCE], [SOURCE]);
/** The operator state (null) is written with every checkpoint; there is no channel state. */
const NON_KEYED = 'null'.length;

/** `src#0` acknowledges a new checkpoint with `groups`; returns its statistics. */
function checkpointWith(s: ReturnType<typeof setup>, groups: Record<number, GroupSpec>, attempt = 1) {
  const id = trigger(s);
  s.coordinator.receiveAcknowledge(ref('src#0', attempt), id, snapshot('src#0', groups), 0);
  return statsOf(s, id);
}

/** Ten key groups at version 1, with some groups changed. */
const ten = (changed: Record<number, GroupSpec> = {}): Record<number, GroupSpec> => ({ ...Object.fromEntries(Array.from({ length: 10 }, (_, g) => [g, `value-of-group-${g}`])), ...changed });
const groupSize = (groups: Record<number, GroupSpec>, g: number) => snapshot('src#0', { [g]: groups[g]! }).operators[0]!.keyGroups[0]!.size;

describe('incremental checkpoints (rocksdb)', () => {
  it('when only some key groups changed, only those are written: checkpointedSize < stateSize', () => {
    const s = setup({ backend: 'rocksdb', plan: ONE_TASK });
    const first = checkpointWith(s, ten());
    const changed = ten({ 4: { value: 'value-of-group-X', version: 2 } });
    const second = checkpointWith(s, changed);
    expect(first.status).toBe('COMPLETED');
    expect(first.checkpointedSize).toBe(first.stateSize);
    expect(second.stateSize).toBe(first.stateSize); // same lengths, one group changed
    expect(second.checkpointedSize).toBeLessThan(second.stateSize);
    expect(second.checkpointedSize).toBe(groupSize(changed, 4) + NON_KEYED);
  });

  it('an unchanged state writes no key group at all', () => {
    const s = setup({ backend: 'rocksdb', plan: ONE_TASK });
    checkpointWith(s, ten());
    expect(checkpointWith(s, ten()).checkpointedSize).toBe(NON_KEYED);
    expect(checkpointWith(s, ten()).checkpointedSize).toBe(NON_KEYED);
  });

  it('the hashmap backend always writes everything: checkpointedSize = stateSize', () => {
    const s = setup({ backend: 'hashmap', plan: ONE_TASK });
    checkpointWith(s, ten());
    const second = checkpointWith(s, ten({ 4: { value: 'value-of-group-X', version: 2 } }));
    expect(second.checkpointedSize).toBe(second.stateSize);
  });

  it('a file is dropped when the last retained checkpoint referring to it is discarded', () => {
    // Group 0 changes in checkpoint 2. With one retained checkpoint, completing 2 discards 1
    // and with it the only reference to version 1; with two retained, 1 still refers to it.
    // The third acknowledgement names version 1 again to probe whether the file is still kept.
    const third = (retained: number) => {
      const s = setup({ backend: 'rocksdb', plan: ONE_TASK, spec: { retained } });
      checkpointWith(s, { 0: 'a'.repeat(50) });
      checkpointWith(s, { 0: { value: 'b'.repeat(50), version: 2 } });
      return checkpointWith(s, { 0: 'a'.repeat(50) }).checkpointedSize;
    };
    expect(third(2)).toBe(NON_KEYED);
    expect(third(1)).toBe(groupSize({ 0: 'a'.repeat(50) }, 0) + NON_KEYED);
  });

  it('a file stays while any retained checkpoint refers to it, however many were discarded', () => {
    const s = setup({ backend: 'rocksdb', plan: ONE_TASK, spec: { retained: 1 } });
    const first = checkpointWith(s, { 0: 'kept', 1: 'changes' });
    for (let v = 2; v <= 5; v++) {
      const next = checkpointWith(s, { 0: 'kept', 1: { value: `changes-${v}`, version: v } });
      expect(next.checkpointedSize).toBe(groupSize({ 1: { value: `changes-${v}`, version: v } }, 1) + NON_KEYED);
    }
    expect(first.checkpointedSize).toBeGreaterThan(groupSize({ 0: 'kept' }, 0));
  });

  it('a savepoint is self-contained: it writes all its state and holds no reference for the checkpoints after it', () => {
    const s = setup({ backend: 'rocksdb', plan: ONE_TASK, spec: { retained: 1 } });
    checkpointWith(s, { 0: 'a'.repeat(50) });
    const sp = trigger(s, true);
    const changed = { 0: { value: 'b'.repeat(50), version: 2 } };
    s.coordinator.receiveAcknowledge(SOURCE, sp, snapshot('src#0', changed), 0);
    expect(statsOf(s, sp).checkpointedSize).toBe(groupSize(changed, 0) + NON_KEYED);
    expect(checkpointWith(s, changed).checkpointedSize).toBe(groupSize(changed, 0) + NON_KEYED);
  });

  it('a new attempt writes its state anew (Weir differs: Flink\'s RocksDB backend restored without rescaling refers to the restored files)', () => {
    const attempt2: Plan = plan([ref('src#0', 2)], [ref('src#0', 2)]);
    const s = setup({ backend: 'rocksdb', plan: ONE_TASK });
    const before = checkpointWith(s, ten());
    s.gateway.plan = attempt2;
    expect(checkpointWith(s, ten(), 2).checkpointedSize).toBe(before.checkpointedSize);
    expect(checkpointWith(s, ten(), 2).checkpointedSize).toBe(NON_KEYED);
  });
});

describe('SharedStateRegistry', () => {
  const task = (groups: Record<number, GroupSpec>, attempt = 1): { attempt: number; snapshot: TaskSnapshot } => ({ attempt, snapshot: snapshot('win#0', groups) });

  it('counts references per file and drops a file with its last reference', () => {
    const r = new SharedStateRegistry();
    r.register(1, [task({ 0: 'x', 1: 'y' })]);
    r.register(2, [task({ 0: 'x', 1: { value: 'z', version: 2 } })]);
    expect(r.files).toBe(3);
    r.unregister(1);
    expect(r.files).toBe(2); // group 0 v1 still used by checkpoint 2; group 1 v1 gone
    r.unregister(2);
    expect(r.files).toBe(0);
    r.unregister(2);
    expect(r.files).toBe(0);
  });

  it('returns the bytes written: new files in full, referenced files not at all, non-keyed state always', () => {
    const r = new SharedStateRegistry();
    const first = r.register(1, [task({ 0: 'x', 1: 'y' })]);
    expect(r.register(2, [task({ 0: 'x', 1: 'y' })])).toBe(NON_KEYED);
    expect(first).toBe(snapshot('win#0', { 0: 'x', 1: 'y' }).stateSize);
    r.unregister(1);
    r.unregister(2);
    expect(r.register(3, [task({ 0: 'x', 1: 'y' })])).toBe(first);
  });

  it('the same key group version of another subtask, or of another attempt, is another file', () => {
    const r = new SharedStateRegistry();
    r.register(1, [task({ 0: 'x' }), { attempt: 1, snapshot: snapshot('win#1', { 0: 'x' }) }, task({ 0: 'x' }, 2)]);
    expect(r.files).toBe(3);
  });
});
