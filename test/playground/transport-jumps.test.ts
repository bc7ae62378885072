// The Transport's moves beyond seek/step/play (playground/src/transport.svelte.ts): one event
// back, to the start and the end, jumps to the next / previous event of a kind, play/pause
// as one toggle, slower / faster through SPEEDS, in Node without a browser. Every move lands
// on the moment the fold from the first event gives, however the cursor got there.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSimulation, parseScenarioText, type TraceEvent } from '../../core/index.ts';
import { isOfKind, positionsOf } from '../../playground/src/lib/jumps.ts';
import { momentAt } from '../../playground/src/lib/moment.ts';
import { defaultSpeed, PLAY_SECONDS, SPEEDS, Transport } from '../../playground/src/transport.svelte.ts';
import { readFileSync } from 'node:fs';
import { SCENARIO_DIR } from '../scenarios/shipped.ts';

function finishedRun(name: string) {
  const parsed = parseScenarioText(readFileSync(`${SCENARIO_DIR}/${name}.json`, 'utf8'), `${name}.json`);
  if (!parsed.ok) throw new Error('invalid');
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return { events: sim.trace.events, endMs: sim.kernel.clock.nowMs };
}

/** A trace event without its time, tag by tag. */
type Untimed<E = TraceEvent> = E extends TraceEvent ? Omit<E, 'timeMs'> : never;
const at = (timeMs: number, e: Untimed): TraceEvent => ({ ...e, timeMs }) as TraceEvent;
const fired = (timeMs: number, key: string) => at(timeMs, { tag: 'window.fired', task: 'w#0', attempt: 1, operator: 'w', key, start: 0, end: 10 });
const mark = (timeMs: number) => at(timeMs, { tag: 'watermark.advanced', task: 'w#0', attempt: 1, operator: 'w', watermark: timeMs });
/** Two firings share ms 20; a watermark stands between each. */
const SMALL: TraceEvent[] = [mark(0), mark(5), fired(10, 'a'), mark(15), fired(20, 'b'), fired(20, 'c'), mark(30)];

describe('Transport: step back, start, end', () => {
  it('steps back one event at a time, to the time of the event it then stands on, and to 0 before the first', () => {
    const t = new Transport({});
    t.load(SMALL, 40, null);
    expect(t.moment!.events).toBe(7);
    const seen: [number, number][] = [];
    for (let i = 0; i < 9; i++) {
      t.stepBack();
      seen.push([t.moment!.events, t.timeMs]);
    }
    expect(seen).toEqual([[6, 20], [5, 20], [4, 15], [3, 10], [2, 5], [1, 0], [0, 0], [0, 0], [0, 0]]);
    expect(t.moment!.last).toBeNull();
  });

  it('step and step back undo each other, and give the moment folded from the start', () => {
    const { events, endMs } = finishedRun('checkpoint-recovery');
    const t = new Transport({});
    t.load(events, endMs, 2500);
    const before = t.moment!;
    for (let i = 0; i < 40; i++) t.stepBack();
    expect(t.moment).toEqual(momentAt(events, before.events - 40, events[before.events - 41]!.timeMs));
    for (let i = 0; i < 40; i++) t.step();
    expect(t.moment!.events).toBe(before.events);
    expect(t.moment).toEqual(momentAt(events, before.events, events[before.events - 1]!.timeMs));
  });

  it('Home stands before the first event at 0; End after the last, at the run end', () => {
    const t = new Transport({});
    t.load(SMALL, 40, 12);
    t.toStart();
    expect([t.moment!.events, t.timeMs]).toEqual([0, 0]);
    t.toEnd();
    expect([t.moment!.events, t.timeMs]).toEqual([7, 40]);
  });
});

describe('Transport: jumps', () => {
  it('goes to each window firing in turn (two in one ms are two jumps), then says there is none', () => {
    const t = new Transport({});
    t.load(SMALL, 40, 0);
    expect(t.jumpKind).toBe('window');
    const landed: [number, number][] = [];
    while (t.jumpNext()) landed.push([t.moment!.events, t.timeMs]);
    expect(landed).toEqual([[3, 10], [5, 20], [6, 20]]);
    expect(t.jumpMiss).toEqual({ kind: 'window', direction: 'next' });
    expect(t.canJump('next')).toBe(false);
    expect(t.jumpPrevious()).toBe(true);
    expect(t.jumpMiss).toBeNull();
    expect([t.moment!.events, t.timeMs]).toEqual([5, 20]);
    expect(t.moment!.last).toMatchObject({ tag: 'window.fired', key: 'b' });
    expect(t.jumpPrevious()).toBe(true);
    expect(t.moment!.last).toMatchObject({ key: 'a' });
    expect(t.canJump('previous')).toBe(false);
    expect(t.jumpPrevious()).toBe(false);
    expect(t.jumpMiss).toEqual({ kind: 'window', direction: 'previous' });
    expect(t.moment!.last).toMatchObject({ key: 'a' });
  });

  it('on checkpoint-recovery: the first window fires at 2,201, the kill strikes at 2,500', () => {
    const { events, endMs } = finishedRun('checkpoint-recovery');
    const t = new Transport({});
    t.load(events, endMs, 0);
    expect(t.jumpNext('window')).toBe(true);
    expect(t.timeMs).toBe(2201);
    t.setJumpKind('failure');
    expect(t.jumpNext()).toBe(true);
    expect(t.timeMs).toBe(2500);
    expect(t.moment!.last).toMatchObject({ tag: 'fault.injected', target: 'counts#0' });
    expect(t.moment).toEqual(momentAt(events, t.moment!.events, 2500));
    expect(t.jumpPrevious('checkpoint')).toBe(true);
    expect(t.moment!.last).toMatchObject({ tag: 'checkpoint.completed', checkpoint: 2, timeMs: 2004 });
  });

  it('pauses play, and a new run forgets the old run’s positions', () => {
    const frames: ((now: number) => void)[] = [];
    const t = new Transport({ requestFrame: (cb) => frames.push(cb) });
    t.load(SMALL, 40, 0);
    t.play();
    expect(t.playing).toBe(true);
    t.jumpNext();
    expect(t.playing).toBe(false);
    t.load([mark(0), fired(3, 'z')], 5, 0);
    expect(t.jumpNext()).toBe(true);
    expect(t.timeMs).toBe(3);
    expect(t.moment!.last).toMatchObject({ key: 'z' });
  });

  it('does nothing before a run is loaded', () => {
    const t = new Transport({});
    expect(t.jumpNext()).toBe(false);
    expect(t.canJump('next')).toBe(false);
    t.stepBack();
    expect(t.moment).toBeNull();
  });

  it('a jump forward from anywhere lands on the first event of the kind after the cursor, with the moment the fold gives', () => {
    const { events, endMs } = finishedRun('checkpoint-recovery');
    const kinds = ['barrier', 'window', 'failure', 'checkpoint', 'sink'] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: endMs }), fc.constantFrom(...kinds), (ms, kind) => {
        const t = new Transport({});
        t.load(events, endMs, ms);
        const from = t.moment!.events;
        const expected = positionsOf(events, kind).find((i) => i >= from);
        expect(t.jumpNext(kind)).toBe(expected !== undefined);
        if (expected === undefined) return;
        expect(t.moment!.events).toBe(expected + 1);
        expect(isOfKind(t.moment!.last!, kind)).toBe(true);
        expect(t.moment).toEqual(momentAt(events, expected + 1, events[expected]!.timeMs));
      }),
      { numRuns: 30 },
    );
  });
});

describe('Transport: play toggle and speeds', () => {
  it('a run starts at the speed that plays it in PLAY_SECONDS or more, snapped to SPEEDS, until the person picks one', () => {
    expect(defaultSpeed(701)).toBe(20);
    expect(defaultSpeed(10_000)).toBe(500);
    expect(defaultSpeed(60_000)).toBe(2000);
    expect(defaultSpeed(5)).toBe(SPEEDS[0]);
    for (const endMs of [1, 400, 701, 3000, 10_000, 250_000, 10_000_000]) {
      const s = defaultSpeed(endMs);
      expect(SPEEDS).toContain(s);
      const faster = SPEEDS.find((x) => x > s);
      if (faster !== undefined) expect(endMs / faster).toBeLessThan(PLAY_SECONDS);
    }
    const t = new Transport({});
    t.load(SMALL, 701, 0);
    expect(t.speed).toBe(20);
    t.load(SMALL, 10_000, 0);
    expect(t.speed).toBe(500);
    t.faster();
    t.load(SMALL, 701, 0);
    expect(t.speed).toBe(1000);
    t.setSpeed(100);
    t.load(SMALL, 60_000, 0);
    expect(t.speed).toBe(100);
  });


  it('togglePlay plays and pauses', () => {
    const frames: ((now: number) => void)[] = [];
    const t = new Transport({ requestFrame: (cb) => frames.push(cb) });
    t.load(SMALL, 40, 0);
    t.togglePlay();
    expect(t.playing).toBe(true);
    t.togglePlay();
    expect(t.playing).toBe(false);
  });

  it('slower and faster walk SPEEDS and stop at its ends; from a speed between two, the nearer one that way', () => {
    const t = new Transport({});
    t.setSpeed(1000);
    const up: number[] = [];
    for (let i = 0; i < SPEEDS.length; i++) {
      t.faster();
      up.push(t.speed);
    }
    expect(up).toEqual([2000, 5000, 20000, 20000, 20000, 20000, 20000, 20000]);
    for (let i = 0; i < SPEEDS.length + 2; i++) t.slower();
    expect(t.speed).toBe(SPEEDS[0]);
    t.setSpeed(1500);
    t.slower();
    expect(t.speed).toBe(1000);
    t.setSpeed(1500);
    t.faster();
    expect(t.speed).toBe(2000);
  });
});
