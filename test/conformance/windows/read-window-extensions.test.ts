/**
 * The scenario form of the rest of Flink's window API (docs/windows.md): the global and
 * count assigners, dynamic session gaps, window staggers, the continuous, purging, delta and
 * never triggers, evictors and a `process` expression. Each is read into the operator's
 * config, and each mistake is reported with the file, its JSON path and what is wrong.
 */
import { describe, expect, test } from 'vitest';
import { formatIssue, validateScenario } from '../../../core/index.ts';
import { readWindowFields } from '../../../core/api/scenario/read-window.ts';
import { Reader } from '../../../core/api/scenario/reader.ts';
import type { ScenarioWindowConfig } from '../../../core/api/scenario/types.ts';

const PATH = '$.job.operators[2]';
const agg = { aggregate: 'count' };
const tumbling = { type: 'tumbling', size: 1000 };

function read(fields: Record<string, unknown>, all = false): { config: ScenarioWindowConfig | null; issues: string[] } {
  const r = new Reader('s.json');
  const config = readWindowFields(r, { id: 'w', type: 'window', input: 'k', ...fields }, PATH, 'w', all);
  return { config, issues: r.issues.map((i) => `${i.path}: ${i.message}`) };
}

const ok = (fields: Record<string, unknown>, all = false): ScenarioWindowConfig => {
  const { config, issues } = read(fields, all);
  expect(issues).toEqual([]);
  return config!;
};

const problems = (fields: Record<string, unknown>, all = false): string[] => {
  const { config, issues } = read(fields, all);
  expect(config).toBeNull();
  return issues;
};

describe('new window fields, read', () => {
  test('global: no trigger of its own (NeverTrigger), no evictor', () => {
    expect(ok({ assigner: { type: 'global' }, ...agg, trigger: { type: 'count', count: 5 } })).toEqual({
      assigner: { type: 'global' },
      trigger: { type: 'count', count: 5 },
      aggregate: { kind: 'count' },
      allowedLatenessMs: 0,
      lateOutputTag: null,
    });
    expect(ok({ assigner: { type: 'global' }, ...agg }).trigger).toBeNull();
  });

  test("count windows are Flink's countWindow: global + purging count trigger, or count trigger + count evictor", () => {
    const tumblingCount = ok({ assigner: { type: 'count', size: 100 }, ...agg });
    expect(tumblingCount.assigner).toEqual({ type: 'global' });
    expect(tumblingCount.trigger).toEqual({ type: 'purging', trigger: { type: 'count', count: 100 } });
    expect(tumblingCount.evictor).toBeUndefined();
    const slidingCount = ok({ assigner: { type: 'count', size: 100, slide: 10 }, ...agg });
    expect(slidingCount.trigger).toEqual({ type: 'count', count: 10 });
    expect(slidingCount.evictor).toEqual({ type: 'count', maxCount: 100, evictAfter: false });
    // an explicit trigger or evictor replaces the implied one, as a later .trigger() does in Flink
    const replaced = ok({ assigner: { type: 'count', size: 100, slide: 10 }, ...agg, trigger: { type: 'count', count: 20 }, evictor: { type: 'count', maxCount: 50 } });
    expect(replaced.trigger).toEqual({ type: 'count', count: 20 });
    expect(replaced.evictor).toEqual({ type: 'count', maxCount: 50, evictAfter: false });
  });

  test('dynamic session gaps and staggers', () => {
    expect(ok({ assigner: { type: 'session', dynamicGap: 'vip ? 60000 : 5000' }, ...agg }).assigner).toEqual({ type: 'dynamic-session', gap: 'vip ? 60000 : 5000', time: 'event' });
    expect(ok({ assigner: { type: 'session', dynamicGap: 'gap', time: 'processing' }, ...agg }).assigner).toMatchObject({ time: 'processing' });
    for (const stagger of ['aligned', 'random', 'natural']) {
      expect(ok({ assigner: { ...tumbling, time: 'processing', stagger }, ...agg }).assigner).toEqual({ type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'processing', stagger });
    }
  });

  test('every trigger and evictor', () => {
    const trigger = (t: unknown) => ok({ assigner: tumbling, ...agg, trigger: t }).trigger;
    expect(trigger({ type: 'never' })).toEqual({ type: 'never' });
    expect(trigger({ type: 'continuous-event-time', interval: 500 })).toEqual({ type: 'continuous-event-time', intervalMs: 500 });
    expect(trigger({ type: 'continuous-processing-time', interval: 1 })).toEqual({ type: 'continuous-processing-time', intervalMs: 1 });
    expect(trigger({ type: 'delta', threshold: 2.5, delta: 'new.x - old.x' })).toEqual({ type: 'delta', threshold: 2.5, delta: 'new.x - old.x' });
    expect(trigger({ type: 'purging', trigger: { type: 'purging', trigger: { type: 'event-time' } } })).toEqual({ type: 'purging', trigger: { type: 'purging', trigger: { type: 'event-time' } } });
    const evictor = (e: unknown) => ok({ assigner: tumbling, ...agg, evictor: e }).evictor;
    expect(evictor({ type: 'count', maxCount: 3, evictAfter: true })).toEqual({ type: 'count', maxCount: 3, evictAfter: true });
    expect(evictor({ type: 'time', windowSize: 2000 })).toEqual({ type: 'time', windowSizeMs: 2000, evictAfter: false });
    expect(evictor({ type: 'delta', threshold: 10, delta: 'new.v - old.v' })).toEqual({ type: 'delta', threshold: 10, delta: 'new.v - old.v', evictAfter: false });
  });

  test('a process expression: key, window and result in scope (no key for a windowAll)', () => {
    expect(ok({ assigner: tumbling, ...agg, process: '{user: key, from: window.start, clicks: result}' }).process).toBe('{user: key, from: window.start, clicks: result}');
    expect(ok({ assigner: tumbling, ...agg, process: '{from: window.start, n: result}' }, true).process).toBe('{from: window.start, n: result}');
  });
});

describe('new window fields: each mistake at its path', () => {
  test('global and count assigners', () => {
    expect(problems({ assigner: { type: 'global', time: 'event' }, ...agg })).toEqual([`${PATH}.assigner.time: unknown field 'time' (expected one of: type)`]);
    expect(problems({ assigner: { type: 'count' }, ...agg })).toEqual([`${PATH}.assigner.size: missing required field 'size' (how many elements a count window holds)`]);
    expect(problems({ assigner: { type: 'count', size: 10, slide: 0 }, ...agg })).toEqual([`${PATH}.assigner.slide: after how many elements a sliding count window fires must be positive, found 0`]);
    expect(problems({ assigner: { type: 'global' }, ...agg, allowedLateness: 10, lateOutput: 'late' })).toEqual([
      `${PATH}.allowedLateness: operator 'w': allowed lateness applies to event-time windows; the global window (a count window) has no late data`,
      `${PATH}.lateOutput: operator 'w': the global window (a count window) has no late data, so its late side output would always be empty`,
    ]);
  });

  test('dynamic gaps', () => {
    expect(problems({ assigner: { type: 'session', gap: 10, dynamicGap: 'g' }, ...agg })).toEqual([`${PATH}.assigner.dynamicGap: a session has either a fixed 'gap' or a 'dynamicGap' expression, not both`]);
    expect(problems({ assigner: { type: 'session', dynamicGap: 'g +' }, ...agg })[0]).toMatch(/^\$\.job\.operators\[2\]\.assigner\.dynamicGap: operator 'w': the dynamic gap expression does not parse: column/);
    expect(problems({ assigner: { type: 'session', dynamicGap: 10 }, ...agg })).toEqual([`${PATH}.assigner.dynamicGap: expected a non-empty string, found number 10`]);
  });

  test('staggers: a known value, on tumbling windows of either time', () => {
    expect(problems({ assigner: { ...tumbling, time: 'processing', stagger: 'sometimes' }, ...agg })).toEqual([
      `${PATH}.assigner.stagger: expected one of "aligned", "random", "natural" (Flink's WindowStagger), found the string "sometimes"`,
    ]);
    expect(ok({ assigner: { ...tumbling, stagger: 'random' }, ...agg }).assigner).toMatchObject({ time: 'event', stagger: 'random' });
    expect(problems({ assigner: { type: 'sliding', size: 10, slide: 5, stagger: 'random' }, ...agg })[0]).toMatch(/assigner\.stagger: unknown field 'stagger'/);
  });

  test('triggers', () => {
    const base = { assigner: tumbling, ...agg };
    expect(problems({ ...base, trigger: { type: 'continuous-event-time' } })).toEqual([`${PATH}.trigger.interval: missing required field 'interval'`]);
    expect(problems({ ...base, trigger: { type: 'continuous-processing-time', interval: 0 } })).toEqual([`${PATH}.trigger.interval: must be at least 1, found 0`]);
    expect(problems({ ...base, trigger: { type: 'delta', delta: 'new - old' } })).toEqual([`${PATH}.trigger.threshold: missing required field 'threshold' (a number)`]);
    expect(problems({ ...base, trigger: { type: 'delta', threshold: 1, delta: 'new -' } })[0]).toMatch(/^\$\.job\.operators\[2\]\.trigger\.delta: operator 'w': the delta expression \(over 'old' and 'new'\) does not parse/);
    expect(problems({ ...base, trigger: { type: 'delta', threshold: 1, delta: 'v' } })).toEqual([
      `${PATH}.trigger.delta: operator 'w': the delta expression reads two records, 'old' and 'new'; 'v' is neither: write new.v - old.v`,
    ]);
    expect(problems({ ...base, trigger: { type: 'purging' } })).toEqual([
      `${PATH}.trigger.trigger: missing required field 'trigger' (the trigger whose firings purge, e.g. {"type": "count", "count": 3})`,
    ]);
    expect(problems({ ...base, trigger: { type: 'purging', trigger: { type: 'count', count: 0 } } })).toEqual([`${PATH}.trigger.trigger.count: must be at least 1, found 0`]);
    expect(problems({ ...base, trigger: { type: 'never', count: 1 } })[0]).toMatch(/trigger\.count: unknown field 'count'/);
  });

  test('a delta trigger on session windows, which merge (Flink refuses it)', () => {
    const delta = { type: 'delta', threshold: 1, delta: 'new.v - old.v' };
    expect(problems({ assigner: { type: 'session', gap: 10 }, ...agg, trigger: delta })).toEqual([
      `${PATH}.trigger.type: operator 'w': a delta trigger cannot be used with session windows, which merge (Flink's Trigger.canMerge is false for it)`,
    ]);
    expect(problems({ assigner: { type: 'session', dynamicGap: 'g' }, ...agg, trigger: { type: 'purging', trigger: delta } })[0]).toEqual(
      `${PATH}.trigger.trigger.type: operator 'w': a delta trigger cannot be used with session windows, which merge (Flink's Trigger.canMerge is false for it) (inside the purging trigger, which merges only when what it wraps does)`,
    );
  });

  test('evictors', () => {
    const base = { assigner: tumbling, ...agg };
    expect(problems({ ...base, evictor: { type: 'lru' } })).toEqual([`${PATH}.evictor.type: unknown evictor type 'lru' (known: count, time, delta)`]);
    expect(problems({ ...base, evictor: { type: 'count' } })).toEqual([`${PATH}.evictor.maxCount: missing required field 'maxCount'`]);
    expect(problems({ ...base, evictor: { type: 'count', maxCount: -1 } })).toEqual([`${PATH}.evictor.maxCount: must be at least 0, found -1`]);
    expect(problems({ ...base, evictor: { type: 'time', windowSize: 10, evictAfter: 'yes' } })).toEqual([
      `${PATH}.evictor.evictAfter: expected true (evict after the window function) or false (before it, the default), found the string "yes"`,
    ]);
    expect(problems({ ...base, evictor: { type: 'delta', threshold: 'far', delta: 'new - old' } })).toEqual([`${PATH}.evictor.threshold: expected a number, found the string "far"`]);
    expect(problems({ ...base, evictor: 3 })[0]).toMatch(/^\$\.job\.operators\[2\]\.evictor: expected an evictor/);
  });

  test('process expressions', () => {
    expect(problems({ assigner: tumbling, ...agg, process: '{n: result' })[0]).toMatch(/^\$\.job\.operators\[2\]\.process: operator 'w': the process expression does not parse/);
    expect(problems({ assigner: tumbling, ...agg, process: '' })).toEqual([`${PATH}.process: expected a non-empty string, found the string ""`]);
  });

  test('a whole scenario names the file, the path and the problem', () => {
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'bad',
        job: {
          name: 'j',
          operators: [
            { id: 'src', type: 'sequence', items: [] },
            { id: 'k', type: 'keyBy', input: 'src', key: 'k' },
            { id: 'w', type: 'window', input: 'k', assigner: { type: 'count', size: 0 }, aggregate: 'count', evictor: { type: 'time' } },
            { id: 'all', type: 'windowAll', input: 'src', assigner: { type: 'global' }, aggregate: 'count', trigger: { type: 'delta', threshold: 1, delta: '(' } },
          ],
        },
      },
      'bad.json',
    );
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.issues.map(formatIssue);
    expect(lines.some((l) => l.includes('bad.json') && l.includes('$.job.operators[2].assigner.size') && l.includes('must be positive'))).toBe(true);
    expect(lines.some((l) => l.includes('bad.json') && l.includes('$.job.operators[2].evictor.windowSize') && l.includes('missing'))).toBe(true);
    expect(lines.some((l) => l.includes('bad.json') && l.includes('$.job.operators[3].trigger.delta') && l.includes('does not parse'))).toBe(true);
  });
});
