import { describe, expect, it } from 'vitest';
import { Kernel, LimitExceededError, SimulationAssertionError, assert, VirtualClock } from '../../core/kernel/index.ts';

describe('VirtualClock', () => {
  it('never goes backwards and only takes integers', () => {
    const c = new VirtualClock();
    c.advanceTo(10);
    expect(c.nowMs).toBe(10);
    expect(() => c.advanceTo(9)).toThrow(/cannot go back/);
    expect(() => c.advanceTo(10.5)).toThrow(/integer/);
  });
});

describe('Kernel', () => {
  it('runs events in time order and advances the clock', () => {
    const k = new Kernel({ seed: 1 });
    const seen: [number, string][] = [];
    k.on('e', (e) => seen.push([k.clock.nowMs, (e as unknown as { name: string }).name]));
    k.schedule(20, 0, { type: 'e', name: 'late' } as never);
    k.schedule(5, 0, { type: 'e', name: 'early' } as never);
    k.scheduleAfter(5, 1, { type: 'e', name: 'early-low' } as never);
    k.run();
    expect(seen).toEqual([
      [5, 'early'],
      [5, 'early-low'],
      [20, 'late'],
    ]);
    expect(k.steps).toBe(3);
  });

  it('refuses events in the past and unknown event types', () => {
    const k = new Kernel({ seed: 1 });
    k.on('tick', () => {});
    k.schedule(10, 0, { type: 'tick' });
    k.step();
    expect(() => k.schedule(5, 0, { type: 'tick' })).toThrow(/before now/);
    k.schedule(10, 0, { type: 'nobody' });
    expect(() => k.step()).toThrow(/no handler/);
  });

  it('reports seed and step when an assertion fails inside a step', () => {
    const k = new Kernel({ seed: 77 });
    k.on('boom', () => assert(false, 'the invariant'));
    k.on('ok', () => {});
    k.schedule(1, 0, { type: 'ok' });
    k.schedule(3, 0, { type: 'boom' });
    k.step();
    let error: unknown;
    try {
      k.step();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationAssertionError);
    expect((error as SimulationAssertionError).seed).toBe(77);
    expect((error as SimulationAssertionError).step).toBe(2);
    expect((error as Error).message).toMatch(/step 2 \(t=3 ms, seed 77\): the invariant/);
  });

  it('stops at the step limit and the queue limit with a clear error', () => {
    const k = new Kernel({ seed: 1, limits: { maxSteps: 5 } });
    k.on('loop', () => k.scheduleAfter(1, 0, { type: 'loop' }));
    k.schedule(0, 0, { type: 'loop' });
    expect(() => k.run()).toThrow(LimitExceededError);
    expect(k.steps).toBe(5);
    const q = new Kernel({ seed: 1, limits: { maxQueueSize: 3 } });
    q.on('x', () => {});
    for (let i = 0; i < 3; i++) q.schedule(i, 0, { type: 'x' });
    expect(() => q.schedule(9, 0, { type: 'x' })).toThrow(/maxQueueSize/);
  });

  it('runUntil runs what is due and moves the clock to the bound', () => {
    const k = new Kernel({ seed: 1 });
    const seen: number[] = [];
    k.on('e', () => seen.push(k.clock.nowMs));
    for (const t of [1, 5, 9, 12]) k.schedule(t, 0, { type: 'e' });
    k.runUntil(9);
    expect(seen).toEqual([1, 5, 9]);
    k.runUntil(10);
    expect(k.clock.nowMs).toBe(10);
    expect(k.pending).toBe(1);
  });

  it('snapshot and restore replay the same run: clock, agenda and random draws', () => {
    const build = () => {
      const k = new Kernel({ seed: 11 });
      const log: string[] = [];
      k.on('hop', (e) => {
        const hops = (e as unknown as { left: number }).left;
        const r = k.random.stream('hop').int(1, 10);
        log.push(`${k.clock.nowMs}:${r}`);
        if (hops > 0) k.scheduleAfter(r, 0, { type: 'hop', left: hops - 1 } as never);
      });
      k.schedule(0, 0, { type: 'hop', left: 20 } as never);
      return { k, log };
    };
    const { k, log } = build();
    for (let i = 0; i < 8; i++) k.step();
    const snap = k.snapshot();
    const cut = log.length;
    k.run();
    const tail = log.slice(cut);
    k.restore(snap);
    log.length = cut;
    k.run();
    expect(log.slice(cut)).toEqual(tail);
    expect(k.steps).toBe(21);
    const reference = build();
    reference.k.run();
    expect(reference.log).toEqual(log);
  });
});
