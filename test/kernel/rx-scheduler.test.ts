import { describe, expect, it } from 'vitest';
import { delay, interval, of, take, bufferTime, map, concatMap, timer } from 'rxjs';
import { Kernel, KernelScheduler } from '../../core/kernel/index.ts';

describe('KernelScheduler (rxjs on virtual time)', () => {
  it('interval(10) ticks at 10, 20, 30 of virtual time', () => {
    const kernel = new Kernel({ seed: 1 });
    const scheduler = new KernelScheduler(kernel);
    const seen: [number, number][] = [];
    interval(10, scheduler)
      .pipe(take(3))
      .subscribe((i) => seen.push([kernel.clock.nowMs, i]));
    kernel.run();
    expect(seen).toEqual([
      [10, 0],
      [20, 1],
      [30, 2],
    ]);
    expect(scheduler.pendingActions).toBe(0);
  });

  it('delay(5) shifts each value by 5 virtual ms, and now() is virtual', () => {
    const kernel = new Kernel({ seed: 1 });
    const scheduler = new KernelScheduler(kernel);
    const seen: string[] = [];
    timer(3, scheduler)
      .pipe(
        concatMap(() => of('a', 'b')),
        delay(5, scheduler),
        map((v) => `${v}@${scheduler.now()}`),
      )
      .subscribe((v) => seen.push(v));
    kernel.run();
    expect(seen).toEqual(['a@8', 'b@8']);
  });

  it('bufferTime groups by virtual time windows', () => {
    const kernel = new Kernel({ seed: 1 });
    const scheduler = new KernelScheduler(kernel);
    const seen: number[][] = [];
    interval(4, scheduler)
      .pipe(take(6), bufferTime(10, null, Infinity, scheduler))
      .subscribe((b) => seen.push(b));
    kernel.run();
    // At t=20 the buffer's timer (scheduled at 10) runs before the tick scheduled at 16:
    // (time, priority, sequence) order, so 4 opens the next buffer.
    expect(seen).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
  });

  it('runs identically twice and unsubscribing removes pending work', () => {
    const once = () => {
      const kernel = new Kernel({ seed: 1 });
      const scheduler = new KernelScheduler(kernel);
      const seen: number[] = [];
      const sub = interval(7, scheduler).subscribe(() => seen.push(kernel.clock.nowMs));
      kernel.runUntil(50);
      sub.unsubscribe();
      kernel.run();
      return { seen, pending: scheduler.pendingActions, now: kernel.clock.nowMs };
    };
    expect(once()).toEqual(once());
    expect(once().seen).toEqual([7, 14, 21, 28, 35, 42, 49]);
    expect(once().pending).toBe(0);
  });

  it('rejects fractional delays rather than rounding them silently', () => {
    const kernel = new Kernel({ seed: 1 });
    const scheduler = new KernelScheduler(kernel);
    let caught: unknown = null;
    timer(1.5, scheduler).subscribe({ error: (e: unknown) => (caught = e) });
    expect(String(caught)).toMatch(/whole/);
  });
});
