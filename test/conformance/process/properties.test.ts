/**
 * Properties of the process operator against small reference models (fast-check; each
 * property has a fixed seed in its title, and a failure prints the seed and path that
 * replay it): a per-key counter written in the DSL counts exactly what a plain map of
 * counts would, whatever the keys and however they interleave; and event-time timers fire
 * exactly once per (key, time), at the first watermark that reaches them, unless deleted.
 */
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { canonicalJson, type JsonValue } from '../../../core/expr/index.ts';
import { MAX_WATERMARK } from '../../../core/model/index.ts';
import { dsl, harness } from './helpers.ts';

const counter = dsl({
  state: { count: { type: 'value', initial: 0 } },
  onElement: [
    { if: 'reset', then: [{ clear: 'count' }], else: [{ set: 'count', to: 'state.count + 1' }] },
    { emit: '{k: key, n: state.count}' },
  ],
});

const keys: fc.Arbitrary<JsonValue> = fc.oneof(
  fc.constantFrom('a', 'b', 'A', ''),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(null, true, { id: 1 }, [1, 'x']),
);

describe('a per-key counter', () => {
  fcTest.prop([fc.array(fc.record({ k: keys }), { maxLength: 200 }), fc.array(fc.integer({ min: 0, max: 199 }), { maxLength: 10 })])('counts what a reference map counts, per key (fast-check prints the seed and path of a failure)', (events, resets) => {
    const resetAt = new Set(resets);
    const h = harness(counter, 'k');
    const reference = new Map<string, number>();
    const expected: JsonValue[] = [];
    events.forEach((e, i) => {
      const reset = resetAt.has(i);
      h.processElement({ k: e.k, reset }, i);
      const id = canonicalJson(e.k);
      const n = reset ? 0 : (reference.get(id) ?? 0) + 1;
      reference.set(id, n);
      expected.push({ k: e.k, n });
    });
    expect(h.records().map((r) => r.value)).toEqual(expected);
    // State is kept for the keys whose count is not 0 (a cleared value state holds nothing).
    expect(h.stateSize()).toBe([...reference.values()].filter((n) => n !== 0).length);
  });
});

type Command = { op: 'register'; k: string; t: number } | { op: 'delete'; k: string; t: number } | { op: 'watermark'; w: number };

const commands: fc.Arbitrary<Command[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant('register' as const), k: fc.constantFrom('a', 'b', 'c'), t: fc.integer({ min: 0, max: 50 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), k: fc.constantFrom('a', 'b', 'c'), t: fc.integer({ min: 0, max: 50 }) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('watermark' as const), w: fc.integer({ min: 0, max: 60 }) }) },
  ),
  { maxLength: 80 },
);

describe('event-time timers', () => {
  const timers = dsl({
    onElement: [{ if: 'del', then: [{ deleteTimer: 'event', at: 't' }], else: [{ timer: 'event', at: 't' }] }],
    onTimer: [{ emit: '{k: key, t: timer.timestamp, w: watermark}' }],
  });

  fcTest.prop([commands])('fire once per (key, time), at the first watermark that reaches them, unless deleted (fast-check prints the seed and path of a failure)', (cmds) => {
    const h = harness(timers, 'k');
    const pending = new Set<string>();
    const expected: string[] = [];
    let watermark = Number.MIN_SAFE_INTEGER;
    const advance = (w: number): void => {
      if (w <= watermark) return;
      watermark = w;
      const due = [...pending].map((id) => JSON.parse(id) as [string, number]).filter(([, t]) => t <= w);
      due.sort(([ka, ta], [kb, tb]) => ta - tb || (ka < kb ? -1 : ka > kb ? 1 : 0));
      for (const [k, t] of due) {
        pending.delete(JSON.stringify([k, t]));
        expected.push(`${k}@${t}/${w}`);
      }
    };
    for (const c of cmds) {
      if (c.op === 'watermark') {
        h.processWatermark(c.w);
        advance(c.w);
      } else {
        h.processElement({ k: c.k, t: c.t, del: c.op === 'delete' }, null);
        if (c.op === 'register') pending.add(JSON.stringify([c.k, c.t]));
        else pending.delete(JSON.stringify([c.k, c.t]));
      }
    }
    h.processWatermark(MAX_WATERMARK);
    advance(MAX_WATERMARK);
    const fired = h.records().map((r) => r.value as { k: string; t: number; w: number });
    // Within one watermark, timers fire in time order; at equal times the order is the
    // registration order, which the model does not track, so compare sorted batches.
    const byBatch = (xs: string[]): string[] => xs.slice().sort();
    expect(byBatch(fired.map((f) => `${f.k}@${f.t}/${f.w}`))).toEqual(byBatch(expected));
    for (let i = 1; i < fired.length; i++) {
      if (fired[i]!.w === fired[i - 1]!.w) expect(fired[i]!.t).toBeGreaterThanOrEqual(fired[i - 1]!.t);
    }
  });
});
