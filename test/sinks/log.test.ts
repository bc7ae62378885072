// The transactional log on its own, as Kafka's broker behaves: epochs fence zombies, a
// read_committed reader stops at the last stable offset, a transaction times out from its
// first write, and a commit after that finds it aborted.
import { describe, expect, it } from 'vitest';
import { Kernel } from '../../core/kernel/index.ts';
import { TraceLog } from '../../core/trace/index.ts';
import { ProducerFencedError, TransactionalLog } from '../../core/world/index.ts';

function log(): { kernel: Kernel; log: TransactionalLog; trace: TraceLog } {
  const kernel = new Kernel({ seed: 0 });
  const trace = new TraceLog({ level: 'full' });
  const l = new TransactionalLog(kernel, trace);
  l.ensureTopic('t', 1);
  return { kernel, log: l, trace };
}
const rec = (v: number) => ({ value: v, timestamp: null });

describe('TransactionalLog', () => {
  it('initTransactions bumps the epoch, aborts the older epoch\'s open transaction, and fences its writes', () => {
    const { log: l } = log();
    const zombie = l.initTransactions('s-0-1', 60_000);
    l.send('t', 0, rec(1), 's', zombie);
    const fresh = l.initTransactions('s-0-1', 60_000);
    expect(fresh.epoch).toBe(zombie.epoch + 1);
    expect(() => l.send('t', 0, rec(2), 's', zombie)).toThrow(ProducerFencedError);
    expect(l.commit(zombie)).toEqual({ kind: 'lost', reason: expect.stringMatching(/^fenced/) });
    l.send('t', 0, rec(3), 's', fresh);
    expect(l.commit(fresh)).toEqual({ kind: 'committed' });
    expect(l.readCommitted('t')).toEqual([rec(3)]);
    expect(l.readNotCommitted('t')).toEqual([rec(1)]);
  });

  it('read_committed stops at the first open transaction, even before committed records after it', () => {
    const { log: l } = log();
    const a = l.initTransactions('a', 60_000);
    const b = l.initTransactions('b', 60_000);
    l.send('t', 0, rec(1), 's', null);
    l.send('t', 0, rec(2), 's', a);
    l.send('t', 0, rec(3), 's', b);
    l.commit(b);
    expect(l.readCommitted('t')).toEqual([rec(1)]);
    expect(l.readNotCommitted('t')).toEqual([rec(2), rec(3)]);
    l.commit(a);
    expect(l.readCommitted('t')).toEqual([rec(1), rec(2), rec(3)]);
    expect(l.commit(a)).toEqual({ kind: 'already-committed' });
  });

  it('times a transaction out from its first write, not from initTransactions', () => {
    const { kernel, log: l } = log();
    const p = l.initTransactions('a', 100);
    kernel.runUntil(50);
    l.send('t', 0, rec(1), 's', p);
    kernel.runUntil(149);
    expect(l.transactions()[0]!.status).toBe('OPEN');
    kernel.runUntil(150);
    expect(l.transactions()[0]!.status).toBe('ABORTED');
    expect(l.commit(p)).toEqual({ kind: 'lost', reason: expect.stringMatching(/transaction timeout/) });
  });

  it('an empty transaction has nothing to commit and is never listed as open', () => {
    const { log: l } = log();
    const p = l.initTransactions('a', 100);
    expect(l.commit(p)).toEqual({ kind: 'empty' });
    expect(l.openTransactions('')).toEqual([]);
  });
});
