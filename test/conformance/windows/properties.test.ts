/**
 * Property tests (fast-check; a failure prints its seed and path and shrinks to a small
 * counterexample). For random keyed input with in-order watermarks (no late data), the
 * window operator must agree with a plain loop that buckets each element by
 * floor((t - offset) / size), an independent way to write Flink's window assignment
 * (docs: "Windows" > "Tumbling Windows", "Sliding Windows"; TimeWindow
 * .getWindowStartWithOffset), and its results must not depend on how elements with equal
 * timestamps but different keys are interleaved (each key's windows are its own state).
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { MAX_WATERMARK } from '../../../core/model/index.ts';
import type { WindowAggregateSpec, WindowAssignerSpec } from '../../../core/operators/index.ts';
import type { OperatorTestHarness } from '../../../core/testing.ts';
import { windowHarness } from './helpers.ts';

interface Event {
  key: string;
  ts: number;
  v: number;
}

type Step = { kind: 'event'; event: Event } | { kind: 'watermark'; t: number };

const events = fc.array(
  fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), ts: fc.integer({ min: -5000, max: 5000 }), v: fc.integer({ min: -1000, max: 1000 }) }),
  { maxLength: 80 },
);
const sizeAndOffset = fc.integer({ min: 1, max: 3000 }).chain((size) => fc.record({ size: fc.constant(size), offset: fc.integer({ min: -(size - 1), max: size - 1 }) }));

/**
 * Events in timestamp order; within a run of equal timestamps, in the order the `priority`
 * list gives (a different list interleaves keys differently). After a run, a watermark at
 * that timestamp when `marks` says so: every later event is newer, so nothing is late.
 */
function schedule(input: readonly Event[], marks: readonly boolean[], priority: readonly number[]): Step[] {
  const indexed = input.map((event, i) => ({ event, i, p: priority[i % Math.max(1, priority.length)] ?? 0 }));
  indexed.sort((x, y) => x.event.ts - y.event.ts || x.p - y.p || x.i - y.i);
  const steps: Step[] = [];
  indexed.forEach(({ event }, j) => {
    steps.push({ kind: 'event', event });
    const next = indexed[j + 1];
    if ((next === undefined || next.event.ts > event.ts) && marks[j % Math.max(1, marks.length)] === true) steps.push({ kind: 'watermark', t: event.ts });
  });
  steps.push({ kind: 'watermark', t: MAX_WATERMARK });
  return steps;
}

function runOperator(assigner: WindowAssignerSpec, aggregate: WindowAggregateSpec, steps: readonly Step[]): OperatorTestHarness {
  const h = windowHarness({ assigner, aggregate });
  for (const step of steps) {
    if (step.kind === 'event') h.processElement({ key: step.event.key, v: step.event.v }, step.event.ts);
    else h.processWatermark(step.t);
  }
  return h;
}

interface Result {
  key: string;
  window: { start: number; end: number };
  value: number;
}

/** The results as sorted lines, after checking each one's timestamp and that none repeats. */
function results(h: OperatorTestHarness): string[] {
  const lines = h.records().map((r) => {
    const v = r.value as unknown as Result;
    expect(r.timestamp).toBe(v.window.end - 1);
    return `${v.key} [${v.window.start},${v.window.end}) ${v.value}`;
  });
  expect(new Set(lines).size).toBe(lines.length);
  return lines.sort();
}

/** The plain loop: floor division into buckets of `slide`, each window `size` long. */
function reference(input: readonly Event[], size: number, slide: number, offset: number, what: 'count' | 'sum'): string[] {
  const acc = new Map<string, number>();
  for (const { key, ts, v } of input) {
    const lastStart = Math.floor((ts - offset) / slide) * slide + offset;
    for (let start = lastStart; start + size > ts; start -= slide) {
      const id = `${key} [${start},${start + size})`;
      acc.set(id, (acc.get(id) ?? 0) + (what === 'count' ? 1 : v));
    }
  }
  return [...acc].map(([id, value]) => `${id} ${value}`).sort();
}

describe('window results agree with a plain loop', () => {
  fcTest.prop([events, sizeAndOffset, fc.array(fc.boolean(), { minLength: 1 }), fc.constantFrom<'count' | 'sum'>('count', 'sum')], { numRuns: 300 })(
    'tumbling count and sum per key equal the reference; state is empty at the end',
    (input, { size, offset }, marks, what) => {
      const aggregate: WindowAggregateSpec = what === 'count' ? { kind: 'count' } : { kind: 'sum', expr: 'v' };
      const steps = schedule(input, marks, []);
      const h = runOperator({ type: 'tumbling', sizeMs: size, offsetMs: offset, time: 'event' }, aggregate, steps);
      expect(results(h)).toEqual(reference(input, size, size, offset, what));
      expect(h.lateRecordsDropped).toBe(0);
      expect(h.stateSize()).toBe(0);
      expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
      // Watermarks pass through unchanged and in order.
      const watermarks = h.output().flatMap((e) => (e.kind === 'watermark' ? [e.timestamp] : []));
      expect(watermarks).toEqual(steps.flatMap((s) => (s.kind === 'watermark' ? [s.t] : [])));
    },
  );

  fcTest.prop([events, sizeAndOffset, fc.array(fc.boolean(), { minLength: 1 }), fc.array(fc.nat(), { minLength: 1 }), fc.array(fc.nat(), { minLength: 1 })], { numRuns: 300 })(
    'tumbling results do not depend on the order of keys among elements with equal timestamps',
    (input, { size, offset }, marks, order1, order2) => {
      const assigner: WindowAssignerSpec = { type: 'tumbling', sizeMs: size, offsetMs: offset, time: 'event' };
      for (const aggregate of [{ kind: 'count' }, { kind: 'sum', expr: 'v' }] as const) {
        const one = results(runOperator(assigner, aggregate, schedule(input, marks, order1)));
        const two = results(runOperator(assigner, aggregate, schedule(input, marks, order2)));
        expect(two).toEqual(one);
      }
    },
  );

  fcTest.prop([events, fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 1, max: 2000 }), fc.nat(), fc.array(fc.boolean(), { minLength: 1 })], { numRuns: 200 })(
    'sliding counts per key equal the reference, gaps (slide > size) included',
    (input, size, slide, rawOffset, marks) => {
      const offset = (rawOffset % (2 * slide - 1)) - (slide - 1);
      const h = runOperator({ type: 'sliding', sizeMs: size, slideMs: slide, offsetMs: offset, time: 'event' }, { kind: 'count' }, schedule(input, marks, []));
      expect(results(h)).toEqual(reference(input, size, slide, offset, 'count'));
      expect(h.stateSize()).toBe(0);
    },
  );

  fcTest.prop([events, fc.integer({ min: 1, max: 1500 }), fc.array(fc.boolean(), { minLength: 1 }), fc.array(fc.nat(), { minLength: 1 })], { numRuns: 300 })(
    'session counts per key equal a model that closes a session once the watermark reaches its end',
    (input, gap, marks, order) => {
      const steps = schedule(input, marks, order);
      const h = runOperator({ type: 'session', gapMs: gap, time: 'event' }, { kind: 'count' }, steps);
      // The model: per key one open session [start, end) with a count; a watermark at or past end - 1 closes it.
      const open = new Map<string, { start: number; end: number; n: number }>();
      const closed: string[] = [];
      const close = (key: string): void => {
        const s = open.get(key)!;
        closed.push(`${key} [${s.start},${s.end}) ${s.n}`);
        open.delete(key);
      };
      for (const step of steps) {
        if (step.kind === 'watermark') {
          for (const [key, s] of [...open]) if (s.end - 1 <= step.t) close(key);
          continue;
        }
        const { key, ts } = step.event;
        const s = open.get(key);
        if (s !== undefined && ts <= s.end && ts + gap >= s.start) {
          s.start = Math.min(s.start, ts);
          s.end = Math.max(s.end, ts + gap);
          s.n++;
        } else {
          if (s !== undefined) close(key);
          open.set(key, { start: ts, end: ts + gap, n: 1 });
        }
      }
      expect(results(h)).toEqual(closed.sort());
      expect(h.stateSize()).toBe(0);
    },
  );

  fcTest.prop([events, fc.array(fc.boolean(), { minLength: 1 })], { numRuns: 100 })('the same input twice gives the same output, element for element', (input, marks) => {
    const steps = schedule(input, marks, []);
    const assigner: WindowAssignerSpec = { type: 'session', gapMs: 300, time: 'event' };
    const a = runOperator(assigner, { kind: 'collect', expr: 'v' }, steps);
    const b = runOperator(assigner, { kind: 'collect', expr: 'v' }, steps);
    expect(b.output()).toEqual(a.output());
    expect(b.trace.hash()).toBe(a.trace.hash());
  });
});
