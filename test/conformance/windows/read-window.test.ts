/**
 * The scenario form of the `window` operator (CONTRACT.md 1.1): every field read into a
 * WindowOperatorConfig, and every mistake reported at its JSON path, with the checks Flink
 * makes when it builds an assigner (TumblingEventTimeWindows: |offset| < size;
 * SlidingEventTimeWindows: |offset| < slide, size > 0; EventTimeSessionWindows: gap > 0).
 */
import { describe, expect, test } from 'vitest';
import { readWindowFields, WINDOW_FIELDS } from '../../../core/api/scenario/read-window.ts';
import { Reader } from '../../../core/api/scenario/reader.ts';
import type { ScenarioWindowConfig as WindowOperatorConfig } from '../../../core/api/scenario/types.ts';

const PATH = '$.job.operators[2]';

function read(fields: Record<string, unknown>): { config: WindowOperatorConfig | null; issues: string[] } {
  const r = new Reader('s.json');
  const config = readWindowFields(r, { id: 'w', type: 'window', input: 'k', ...fields }, PATH, 'w');
  return { config, issues: r.issues.map((i) => `${i.path}: ${i.message}`) };
}

const ok = (fields: Record<string, unknown>): WindowOperatorConfig => {
  const { config, issues } = read(fields);
  expect(issues).toEqual([]);
  return config!;
};

const problems = (fields: Record<string, unknown>): string[] => {
  const { config, issues } = read(fields);
  expect(config).toBeNull();
  return issues;
};

describe('readWindowFields: valid windows', () => {
  test('a tumbling window with defaults: event time, offset 0, no trigger, no lateness, no late output', () => {
    expect(ok({ assigner: { type: 'tumbling', size: 1000 }, aggregate: 'count' })).toEqual({
      assigner: { type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'event' },
      trigger: null,
      aggregate: { kind: 'count' },
      allowedLatenessMs: 0,
      lateOutputTag: null,
    });
  });

  test('every field', () => {
    expect(
      ok({
        assigner: { type: 'sliding', size: 1000, slide: 250, offset: -100, time: 'event' },
        aggregate: { avg: 'amount * 2' },
        trigger: { type: 'count', count: 3 },
        allowedLateness: 500,
        lateOutput: 'late',
      }),
    ).toEqual({
      assigner: { type: 'sliding', sizeMs: 1000, slideMs: 250, offsetMs: -100, time: 'event' },
      trigger: { type: 'count', count: 3 },
      aggregate: { kind: 'avg', expr: 'amount * 2' },
      allowedLatenessMs: 500,
      lateOutputTag: 'late',
    });
  });

  test('sessions, processing time, each aggregate and trigger', () => {
    expect(ok({ assigner: { type: 'session', gap: 30, time: 'processing' }, aggregate: 'collect' }).assigner).toEqual({ type: 'session', gapMs: 30, time: 'processing' });
    for (const [aggregate, spec] of [
      ['count', { kind: 'count' }],
      ['collect', { kind: 'collect', expr: null }],
      [{ collect: 'v' }, { kind: 'collect', expr: 'v' }],
      [{ sum: 'v' }, { kind: 'sum', expr: 'v' }],
      [{ min: 'v' }, { kind: 'min', expr: 'v' }],
      [{ max: 'v' }, { kind: 'max', expr: 'v' }],
      [{ avg: 'v' }, { kind: 'avg', expr: 'v' }],
    ] as const) {
      expect(ok({ assigner: { type: 'tumbling', size: 10 }, aggregate }).aggregate).toEqual(spec);
    }
    for (const type of ['event-time', 'processing-time'] as const) {
      expect(ok({ assigner: { type: 'tumbling', size: 10 }, aggregate: 'count', trigger: { type } }).trigger).toEqual({ type });
    }
  });

  test('the operator-level field names', () => {
    expect(WINDOW_FIELDS).toEqual(['assigner', 'aggregate', 'trigger', 'evictor', 'process', 'allowedLateness', 'lateOutput']);
  });
});

describe('readWindowFields: mistakes, each at its path', () => {
  const agg = { aggregate: 'count' };

  test('window size <= 0, slide <= 0, gap <= 0', () => {
    expect(problems({ assigner: { type: 'tumbling', size: 0 }, ...agg })).toEqual([`${PATH}.assigner.size: window size in ms must be positive, found 0`]);
    expect(problems({ assigner: { type: 'sliding', size: -5, slide: 0 }, ...agg })).toEqual([
      `${PATH}.assigner.size: window size in ms must be positive, found -5`,
      `${PATH}.assigner.slide: window slide in ms: how far apart window starts are must be positive, found 0`,
    ]);
    expect(problems({ assigner: { type: 'session', gap: -1 }, ...agg })).toEqual([`${PATH}.assigner.gap: session gap in ms: the quiet time that ends a session must be positive, found -1`]);
  });

  test('missing size, slide or gap', () => {
    expect(problems({ assigner: { type: 'tumbling' }, ...agg })).toEqual([`${PATH}.assigner.size: missing required field 'size' (window size in ms)`]);
    expect(problems({ assigner: { type: 'sliding', size: 10 }, ...agg })[0]).toMatch(/assigner\.slide: missing required field 'slide'/);
    expect(problems({ assigner: { type: 'session' }, ...agg })).toEqual([
      `${PATH}.assigner.gap: missing required field 'gap' (session gap in ms: the quiet time that ends a session)`,
    ]);
  });

  test('an offset out of range: |offset| >= size for tumbling, >= slide for sliding (as Flink checks)', () => {
    expect(problems({ assigner: { type: 'tumbling', size: 1000, offset: 1000 }, ...agg })).toEqual([
      `${PATH}.assigner.offset: the offset of a tumbling window must be smaller than its size in absolute value (|offset| < 1000), found 1000`,
    ]);
    expect(problems({ assigner: { type: 'tumbling', size: 1000, offset: -1000 }, ...agg })).toHaveLength(1);
    expect(ok({ assigner: { type: 'tumbling', size: 1000, offset: -999 }, ...agg }).assigner).toMatchObject({ offsetMs: -999 });
    expect(problems({ assigner: { type: 'sliding', size: 1000, slide: 100, offset: 100 }, ...agg })).toEqual([
      `${PATH}.assigner.offset: the offset of a sliding window must be smaller than its slide in absolute value (|offset| < 100), found 100`,
    ]);
  });

  test('unknown assigner type, unknown time, unknown fields, not an object, missing', () => {
    expect(problems({ assigner: { type: 'hopping', size: 10 }, ...agg })).toEqual([`${PATH}.assigner.type: unknown window assigner type 'hopping' (known: tumbling, sliding, session, global, count)`]);
    expect(problems({ assigner: { type: 'tumbling', size: 10, time: 'wall' }, ...agg })).toEqual([`${PATH}.assigner.time: expected "event" or "processing", found the string "wall"`]);
    expect(problems({ assigner: { type: 'session', gap: 10, size: 10 }, ...agg })[0]).toMatch(/assigner\.size: unknown field 'size' \(expected one of: type, gap, dynamicGap, time\)/);
    expect(problems({ assigner: 1000, ...agg })[0]).toMatch(/^\$\.job\.operators\[2\]\.assigner: expected a window assigner/);
    expect(problems({ ...agg })).toEqual([`${PATH}.assigner: missing required field 'assigner' (e.g. {"type": "tumbling", "size": 1000})`]);
  });

  test('unknown aggregate, aggregates missing their expression, malformed aggregate objects', () => {
    const assigner = { type: 'tumbling', size: 10 };
    expect(problems({ assigner, aggregate: 'median' })[0]).toMatch(/^\$\.job\.operators\[2\]\.aggregate: unknown aggregate 'median' \(known: "count"/);
    expect(problems({ assigner, aggregate: { median: 'v' } })[0]).toMatch(/aggregate\.median: unknown aggregate 'median'/);
    expect(problems({ assigner, aggregate: 'sum' })).toEqual([`${PATH}.aggregate: the aggregate 'sum' needs an expression saying what to aggregate, e.g. {"sum": "amount"}`]);
    expect(problems({ assigner, aggregate: { sum: 'v', max: 'v' } })[0]).toMatch(/exactly one field/);
    expect(problems({ assigner, aggregate: { count: 'v' } })[0]).toMatch(/count takes no expression/);
    expect(problems({ assigner, aggregate: { sum: 3 } })[0]).toMatch(/aggregate\.sum: expected a non-empty string/);
    expect(problems({ assigner })[0]).toMatch(/aggregate: missing required field 'aggregate'/);
  });

  test("an expression that does not parse: operator 'id': expression does not parse: <message>", () => {
    const issues = problems({ assigner: { type: 'tumbling', size: 10 }, aggregate: { sum: 'floor(x' } });
    expect(issues).toHaveLength(1);
    // The parser's own wording after the column is its business (docs/expressions.md).
    expect(issues[0]).toMatch(/^\$\.job\.operators\[2\]\.aggregate\.sum: operator 'w': expression does not parse: column 8: /);
  });

  test('triggers: unknown type, count below 1, extra fields', () => {
    const base = { assigner: { type: 'tumbling', size: 10 }, ...agg };
    expect(problems({ ...base, trigger: { type: 'continuous' } })).toEqual([`${PATH}.trigger.type: unknown trigger type 'continuous' (known: event-time, processing-time, never, count, continuous-event-time, continuous-processing-time, delta, purging)`]);
    expect(problems({ ...base, trigger: { type: 'count', count: 0 } })).toEqual([`${PATH}.trigger.count: must be at least 1, found 0`]);
    expect(problems({ ...base, trigger: { type: 'count' } })).toEqual([`${PATH}.trigger.count: missing required field 'count'`]);
    expect(problems({ ...base, trigger: { type: 'event-time', count: 2 } })[0]).toMatch(/trigger\.count: unknown field 'count'/);
  });

  test('allowed lateness and late output: negative lateness; lateness or late output on processing-time windows', () => {
    expect(problems({ assigner: { type: 'tumbling', size: 10 }, ...agg, allowedLateness: -1 })).toEqual([`${PATH}.allowedLateness: must be between 0 and 1000000000000000, found -1`]);
    expect(problems({ assigner: { type: 'tumbling', size: 10 }, ...agg, lateOutput: '' })[0]).toMatch(/lateOutput: expected a non-empty string/);
    expect(problems({ assigner: { type: 'tumbling', size: 10, time: 'processing' }, ...agg, allowedLateness: 5, lateOutput: 'late' })).toEqual([
      `${PATH}.allowedLateness: operator 'w': allowed lateness applies to event-time windows; a processing-time window has no late data`,
      `${PATH}.lateOutput: operator 'w': a processing-time window has no late data, so its late side output would always be empty`,
    ]);
  });

  test('all mistakes are reported at once', () => {
    expect(problems({ assigner: { type: 'tumbling', size: 0 }, aggregate: 'median', trigger: { type: 'x' }, allowedLateness: 'soon' })).toHaveLength(4);
  });
});
