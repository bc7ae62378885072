import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { EventQueue, QueueFullError } from '../../core/kernel/index.ts';

describe('EventQueue', () => {
  it('orders by time, then priority, then scheduling order', () => {
    const q = new EventQueue<string>(10);
    q.push(5, 1, 'c');
    q.push(5, 0, 'b');
    q.push(1, 9, 'a');
    q.push(5, 1, 'd');
    expect([q.pop()?.event, q.pop()?.event, q.pop()?.event, q.pop()?.event, q.pop()]).toEqual(['a', 'b', 'c', 'd', undefined]);
  });

  it('refuses to grow past its capacity', () => {
    const q = new EventQueue<number>(2);
    q.push(0, 0, 1);
    q.push(0, 0, 2);
    expect(() => q.push(0, 0, 3)).toThrow(QueueFullError);
  });

  fcTest.prop([fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 3 })), { maxLength: 300 })])(
    'pops in (time, priority, sequence) order for any pushes',
    (entries) => {
      const q = new EventQueue<number>(1000);
      entries.forEach(([t, p], i) => q.push(t, p, i));
      const expected = entries
        .map(([t, p], i) => ({ t, p, i }))
        .sort((a, b) => a.t - b.t || a.p - b.p || a.i - b.i)
        .map((e) => e.i);
      const popped: number[] = [];
      for (let e = q.pop(); e !== undefined; e = q.pop()) popped.push(e.event);
      expect(popped).toEqual(expected);
    },
  );

  fcTest.prop([fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 100 }), fc.nat(100)])(
    'a restored snapshot pops exactly what the original would',
    (times, cut) => {
      const q = new EventQueue<number>(1000);
      times.forEach((t, i) => q.push(t, 0, i));
      for (let i = 0; i < Math.min(cut, times.length) / 2; i++) q.pop();
      const snap = q.snapshot();
      const first: number[] = [];
      for (let e = q.pop(); e; e = q.pop()) first.push(e.event);
      q.restore(snap);
      const second: number[] = [];
      for (let e = q.pop(); e; e = q.pop()) second.push(e.event);
      expect(second).toEqual(first);
    },
  );
});
