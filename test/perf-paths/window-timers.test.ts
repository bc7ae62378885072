/**
 * Window-level timers: the timer service keeps the timers at one time as runs of keys per
 * namespace (a window's keys at its end, in arrival order), and a window operator with
 * Flink's EventTimeTrigger registers a (key, window)'s timers with its first element as new,
 * with no check against the window's other keys. Nothing of that may show: the firing order,
 * the listing, the counts, snapshots and restores must be those of a plain list of
 * registrations ordered by (time, registration), each (time, key, namespace) once.
 */
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { keyGroupOf } from '../../core/graph/index.ts';
import { createWindowOperator, type WindowOperatorConfig } from '../../core/operators/index.ts';
import { InternalTimerService, type Timer, type TimerEntry } from '../../core/state/index.ts';
import { createOperatorHarness, type OperatorTestHarness } from '../../core/testing.ts';
import { id, TimerModel } from '../state/timer-model.ts';

/** The model, and what a restore from its listing leaves. */
class Model extends TimerModel {
  /**
   * What a restore from the listing leaves: the live timers only, in listing order, or as a
   * keyed snapshot brings them back: by time, then by key group (`group`), then in listing order.
   */
  restored(group: (t: Timer) => number = () => 0): void {
    const byId = new Map(this.entries.map((e) => [id(e.timer), e.timer]));
    const order = this.list().map((k) => byId.get(k)!);
    order.sort((a, b) => a.timestamp - b.timestamp || group(a) - group(b));
    this.entries = order.map((timer, seq) => ({ timer, seq }));
    this.seq = order.length;
  }
}

type Op =
  | { readonly kind: 'new' | 'register' | 'delete' | 'has'; readonly time: number; readonly key: number; readonly ns: string }
  | { readonly kind: 'advance'; readonly to: number; readonly echo: boolean }
  | { readonly kind: 'restore' };

const timer = (time: number, key: number, ns: string): Timer => ({ timestamp: time, key, keyId: key, namespace: ns });
const fields = { time: fc.integer({ min: 0, max: 12 }), key: fc.integer({ min: 0, max: 5 }), ns: fc.constantFrom('0,10', '5,15', '') };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('new' as const), ...fields }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('register' as const), ...fields }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), ...fields }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('has' as const), ...fields }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), to: fc.integer({ min: 0, max: 14 }), echo: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restore' as const }) },
);

/** A service restored from `service`'s listing, as a snapshot's timers come back. */
function restoredFrom(service: InternalTimerService): InternalTimerService {
  const entries: TimerEntry[] = service.listEventTimeTimers().map((t) => ({ domain: 'event', ...t }));
  const restored = new InternalTimerService();
  restored.restore(entries);
  return restored;
}

describe('the timer service with timers registered as new', () => {
  fcTest.prop([fc.array(op, { maxLength: 100 })])('fires, lists, counts and restores as the list of registrations does', (ops) => {
    let service = new InternalTimerService();
    const model = new Model();
    let watermark = -1;
    for (const o of ops) {
      if (o.kind === 'restore') {
        service = restoredFrom(service);
        model.restored();
      } else if (o.kind === 'advance') {
        watermark = Math.max(watermark, o.to);
        const fired: string[] = [];
        const expected: string[] = [];
        // With `echo`, the first key 0 timer to fire registers one more as new at its time and one checked just before: both fire in this advance.
        const echo = (into: string[], registerNew: (t: Timer) => void, register: (t: Timer) => void) => {
          let echoed = false;
          return (t: Timer) => {
            into.push(id(t));
            if (!o.echo || echoed || t.key !== 0) return;
            echoed = true;
            registerNew(timer(t.timestamp, 9, 'echo'));
            register(timer(Math.max(0, t.timestamp - 1), 8, 'echo'));
          };
        };
        const s = service;
        const fire = echo(fired, (t) => s.registerNewEventTimeTimerAt(t.timestamp, t.key, t.keyId, t.namespace), (t) => s.registerEventTimeTimerAt(t.timestamp, t.key, t.keyId, t.namespace));
        service.advanceWatermarkWith(watermark, (timestamp, key, keyId, namespace) => fire({ timestamp, key, keyId, namespace }));
        model.advance(watermark, echo(expected, (t) => model.register(t), (t) => model.register(t)));
        expect(fired).toEqual(expected);
      } else {
        const t = timer(o.time, o.key, o.ns);
        if (o.kind === 'new') {
          // Registered as new only when it is: that is the caller's promise.
          if (model.has(t)) continue;
          service.registerNewEventTimeTimerAt(t.timestamp, t.key, t.keyId, t.namespace);
          model.register(t);
        } else if (o.kind === 'register') {
          service.registerEventTimeTimerAt(t.timestamp, t.key, t.keyId, t.namespace);
          model.register(t);
        } else if (o.kind === 'delete') {
          service.deleteEventTimeTimer(t);
          model.delete(t);
        } else expect(service.hasEventTimeTimer(t.timestamp, t.keyId, t.namespace)).toBe(model.has(t));
      }
      expect(service.listEventTimeTimers().map(id)).toEqual(model.list());
      expect(service.eventTimeTimers).toBe(model.list().length);
    }
  });

  it('hands each fired timer to the observer as a Timer, and builds none for a timer nobody watches', () => {
    const service = new InternalTimerService();
    const seen: string[] = [];
    service.registerNewEventTimeTimerAt(9, 'a', 'a', '0,10');
    service.observe({ registered: (t) => seen.push(`+${id(t)}`), fired: (t) => seen.push(`!${id(t)}`) });
    service.registerNewEventTimeTimerAt(9, 'b', 'b', '0,10');
    service.advanceWatermarkWith(9, () => {});
    expect(seen).toEqual(['+9|b|0,10', '!9|a|0,10', '!9|b|0,10']);
  });
});

// ---- The window operator: its timers are what its elements registered ----

interface Step {
  readonly key: number;
  readonly ts: number;
  /** A watermark this far past the largest timestamp so far comes after the element, or none. */
  readonly watermarkLag: number | null;
}

interface Case {
  readonly assigner: WindowOperatorConfig['assigner'];
  readonly size: number;
  readonly slide: number;
  readonly trigger: WindowOperatorConfig['trigger'];
  readonly lateness: number;
}

function windowsOf(ts: number, size: number, slide: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const last = ts - (((ts % slide) + slide) % slide);
  for (let start = last; start > ts - size; start -= slide) out.push({ start, end: start + size });
  return out;
}

/** EventTimeTrigger's timers as Flink registers them: per element of a window still open, its end and its cleanup time (deduplicated). */
function modelStep(model: Model, c: Case, e: Step, watermark: number): void {
  for (const w of windowsOf(e.ts, c.size, c.slide)) {
    const end = w.end - 1;
    const cleanup = end + c.lateness;
    if (cleanup <= watermark) continue;
    const ns = `${w.start},${w.end}`;
    if (end > watermark) model.register(timer(end, e.key, ns));
    model.register(timer(cleanup, e.key, ns));
  }
}

function timersOf(h: OperatorTestHarness): string[] {
  return h.timerService!.listEventTimeTimers().map(id);
}

function harness(c: Case, aggregate: WindowOperatorConfig['aggregateFunction'], restore?: ReturnType<OperatorTestHarness['snapshot']>): OperatorTestHarness {
  const operator = createWindowOperator({ assigner: c.assigner, trigger: c.trigger, aggregate: { kind: 'count' }, ...(aggregate === undefined ? {} : { aggregateFunction: aggregate }), allowedLatenessMs: c.lateness, lateOutputTag: 'late' });
  return createOperatorHarness(operator, { keySelector: 'key', operatorId: 'win', ...(restore === undefined ? {} : { restore: [restore] }) }).open();
}

const steps = fc.array(
  fc.record({ key: fc.integer({ min: 0, max: 6 }), ts: fc.integer({ min: 0, max: 600 }), watermarkLag: fc.option(fc.integer({ min: 0, max: 150 }), { freq: 4 }) }),
  { maxLength: 120 },
);
const cases: fc.Arbitrary<Case> = fc.record({
  shape: fc.constantFrom('tumbling', 'sliding'),
  trigger: fc.constantFrom(null, { type: 'event-time' } as const),
  lateness: fc.constantFrom(0, 30, 100, 250),
}).map(({ shape, trigger, lateness }) =>
  shape === 'tumbling'
    ? { assigner: { type: 'tumbling', sizeMs: 100, offsetMs: 0, time: 'event' }, size: 100, slide: 100, trigger, lateness }
    : { assigner: { type: 'sliding', sizeMs: 150, slideMs: 50, offsetMs: 0, time: 'event' }, size: 150, slide: 50, trigger, lateness },
);
/** Counts, or keeps nothing (an AggregateFunction whose add gives undefined): the timers must be the same. */
const aggregates = fc.constantFrom<WindowOperatorConfig['aggregateFunction']>(undefined, { add: () => undefined as never, merge: (a) => a, result: () => 0 });

describe('the window operator with the event-time trigger', () => {
  fcTest.prop([cases, aggregates, steps, fc.nat({ max: 119 })])(
    'lists, after every element and watermark, the timers its elements registered, and a restore from a snapshot goes on the same',
    (c, aggregate, input, restoreAt) => {
      let h = harness(c, aggregate);
      const model = new Model();
      let watermark = Number.MIN_SAFE_INTEGER;
      let maxTs = 0;
      input.forEach((e, i) => {
        modelStep(model, c, e, watermark);
        h.processElement({ key: e.key }, e.ts);
        maxTs = Math.max(maxTs, e.ts);
        if (e.watermarkLag !== null && maxTs - e.watermarkLag > watermark) {
          watermark = maxTs - e.watermarkLag;
          h.processWatermark(watermark);
          model.advance(watermark, () => {});
        }
        expect(timersOf(h)).toEqual(model.list());
        expect(h.timers().eventTime).toBe(model.list().length);
        if (i === restoreAt) {
          const before = h.snapshot();
          const restored = harness(c, aggregate, before);
          if (watermark > Number.MIN_SAFE_INTEGER) restored.processWatermark(watermark);
          model.restored((t) => keyGroupOf(t.key, 128));
          expect(timersOf(restored)).toEqual(model.list());
          // Both fire the same windows with the same results (equal times in another order: the restored timers are by key group).
          const outputBefore = h.records().length;
          h.processWatermark(1_000_000);
          restored.processWatermark(1_000_000);
          const sorted = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).sort();
          expect(sorted(restored.records())).toEqual(sorted(h.records().slice(outputBefore)));
          h = harness(c, aggregate, before);
          if (watermark > Number.MIN_SAFE_INTEGER) h.processWatermark(watermark);
        }
      });
    },
  );

  it('fires a late element\'s window at once and keeps its cleanup timer, one per (key, window)', () => {
    const c: Case = { assigner: { type: 'tumbling', sizeMs: 100, offsetMs: 0, time: 'event' }, size: 100, slide: 100, trigger: { type: 'event-time' }, lateness: 50 };
    const h = harness(c, undefined);
    h.processElement({ key: 1 }, 10).processWatermark(120);
    expect(timersOf(h)).toEqual(['149|1|0,100']);
    h.processElement({ key: 1 }, 20).processElement({ key: 2 }, 30).processElement({ key: 2 }, 40);
    expect(timersOf(h)).toEqual(['149|1|0,100', '149|2|0,100']);
    expect(h.records().map((r) => r.value)).toEqual([
      { key: 1, window: { start: 0, end: 100 }, value: 1 },
      { key: 1, window: { start: 0, end: 100 }, value: 2 },
      { key: 2, window: { start: 0, end: 100 }, value: 1 },
      { key: 2, window: { start: 0, end: 100 }, value: 2 },
    ]);
    h.processWatermark(149).processElement({ key: 1 }, 30);
    expect(timersOf(h)).toEqual([]);
    expect(h.sideOutput('late').map((r) => r.value)).toEqual([{ key: 1 }]);
  });
});
