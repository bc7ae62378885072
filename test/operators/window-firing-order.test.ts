/**
 * The order in which one watermark fires many windows of many keys. Flink fires event-time
 * timers in time order and leaves equal times open; Weir fires equal times in the order the
 * timers were registered, which for the default EventTimeTrigger is the order in which each
 * (key, window) got its first element. Any faster timer queue or window-level firing must
 * keep that order, so this checks the operator against that model directly: for tumbling and
 * sliding windows, with and without allowed lateness.
 */
import { describe, expect } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { createWindowOperator, type WindowOperatorConfig } from '../../core/operators/index.ts';
import { createOperatorHarness } from '../../core/testing.ts';

interface Element {
  readonly key: number;
  readonly ts: number;
}

type Assigner = WindowOperatorConfig['assigner'];

/** The windows [start, end) of an element at `ts` (offset 0), latest start first as Flink's SlidingEventTimeWindows gives them. */
function windowsOf(ts: number, size: number, slide: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const last = ts - (((ts % slide) + slide) % slide);
  for (let start = last; start > ts - size; start -= slide) out.push({ start, end: start + size });
  return out;
}

/** The model: every (key, window) with its count, ordered by end, then by the arrival of its first element. */
function expected(elements: readonly Element[], size: number, slide: number): string[] {
  const first = new Map<string, { end: number; order: number; count: number }>();
  let order = 0;
  for (const e of elements) {
    for (const w of windowsOf(e.ts, size, slide)) {
      const id = `${e.key}[${w.start},${w.end})`;
      const entry = first.get(id);
      if (entry === undefined) first.set(id, { end: w.end, order: order++, count: 1 });
      else entry.count++;
    }
  }
  return [...first]
    .sort(([, a], [, b]) => a.end - b.end || a.order - b.order)
    .map(([id, { count }]) => `${id}=${count}`);
}

function fired(elements: readonly Element[], assigner: Assigner, allowedLatenessMs: number): string[] {
  const operator = createWindowOperator({ assigner, trigger: null, aggregate: { kind: 'count' }, allowedLatenessMs, lateOutputTag: null });
  const h = createOperatorHarness(operator, { keySelector: 'key', operatorId: 'win' }).open();
  for (const e of elements) h.processElement({ key: e.key }, e.ts);
  h.processWatermark(10_000);
  return h
    .output()
    .filter((o) => o.kind === 'record')
    .map((o) => {
      const v = o.value as { key: number; window: { start: number; end: number }; value: number };
      return `${v.key}[${v.window.start},${v.window.end})=${v.value}`;
    });
}

const elements = fc.array(fc.record({ key: fc.integer({ min: 0, max: 40 }), ts: fc.integer({ min: 0, max: 999 }) }), { maxLength: 300 });

describe('window firing order under one watermark', () => {
  fcTest.prop([elements, fc.constantFrom(0, 50)])('tumbling: by window end, then by each (key, window)\'s first element', (input, lateness) => {
    expect(fired(input, { type: 'tumbling', sizeMs: 100, offsetMs: 0, time: 'event' }, lateness)).toEqual(expected(input, 100, 100));
  });

  fcTest.prop([elements, fc.constantFrom(0, 50)])('sliding: windows of many keys sharing an end fire in registration order', (input, lateness) => {
    expect(fired(input, { type: 'sliding', sizeMs: 300, slideMs: 100, offsetMs: 0, time: 'event' }, lateness)).toEqual(expected(input, 300, 100));
  });
});
