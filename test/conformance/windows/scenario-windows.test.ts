/**
 * The new window features in whole scenario files, run end to end: count windows (keyed and
 * windowAll), an evictor with a delta trigger (Flink's TopSpeedWindowing example: the
 * global window, a time evictor and a delta trigger), a continuous trigger, a dynamic
 * session gap, and incremental aggregation followed by a `process` expression.
 */
import { describe, expect, test } from 'vitest';
import { createSimulation, validateScenario, type JsonValue, type RunReport } from '../../../core/index.ts';
import { MAX_WATERMARK } from '../../../core/model/index.ts';

function run(operators: JsonValue[], items: unknown[], parallelism = 1): RunReport {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'windows',
      config: { parallelism },
      job: { name: 'windows', operators: [{ id: 'src', type: 'sequence', items }, ...operators, { id: 'out', type: 'sink', input: 'w', parallelism: 1, sink: { type: 'print' } }] },
    } as JsonValue,
    'windows.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, seed: 3 });
  sim.run();
  const report = sim.report();
  expect(report.status).toBe('FINISHED');
  return report;
}

const committed = (report: RunReport) => report.sinks['out']!.committed;
const byKey = { id: 'k', type: 'keyBy', input: 'src', key: 'k' };

describe('window features in scenario files', () => {
  test('a count window per key: every 2 elements, the remainder never', () => {
    const items = ['a', 'b', 'a', 'a', 'b', 'a', 'a'].map((k, i) => ({ value: { k, i }, timestamp: i }));
    const report = run([byKey, { id: 'w', type: 'window', input: 'k', parallelism: 2, assigner: { type: 'count', size: 2 }, aggregate: { collect: 'i' } }], items, 2);
    const values = committed(report).map((r) => r.value as { key: string; window: unknown; value: number[] });
    expect(values.map((v) => `${v.key}${JSON.stringify(v.value)}`).sort()).toEqual(['a[0,2]', 'a[3,5]', 'b[1,4]']);
    expect(values.every((v) => JSON.stringify(v.window) === '{"start":null,"end":null,"global":true}')).toBe(true);
    expect(committed(report).every((r) => r.timestamp === MAX_WATERMARK)).toBe(true);
  });

  test('a sliding countWindowAll with a process expression', () => {
    const items = [1, 2, 3, 4, 5, 6].map((v) => ({ value: { v }, timestamp: v }));
    const report = run([{ id: 'w', type: 'windowAll', input: 'src', assigner: { type: 'count', size: 3, slide: 2 }, aggregate: { sum: 'v' }, process: '{lastThree: result, window: window}' }], items);
    expect(committed(report).map((r) => r.value)).toEqual([
      { lastThree: 3, window: { start: null, end: null, global: true } },
      { lastThree: 9, window: { start: null, end: null, global: true } },
      { lastThree: 15, window: { start: null, end: null, global: true } },
    ]);
  });

  test("Flink's TopSpeedWindowing: global window, time evictor, delta trigger on distance, max speed", () => {
    // one car; every 50 m more than the last firing, the top speed of its last 10 s
    const points = [
      [0, 10, 0],
      [1000, 20, 20],
      [2000, 30, 45],
      [5000, 15, 60],
      [12_000, 12, 80],
      [13_000, 25, 115],
    ];
    const items = points.map(([t, speed, distance]) => ({ value: { k: 'car', speed, distance }, timestamp: t }));
    const report = run(
      [
        byKey,
        {
          id: 'w',
          type: 'window',
          input: 'k',
          assigner: { type: 'global' },
          evictor: { type: 'time', windowSize: 10_000 },
          trigger: { type: 'delta', threshold: 50, delta: 'new.distance - old.distance' },
          aggregate: { max: 'speed' },
          process: '{car: key, topSpeed: result}',
        },
      ],
      items,
    );
    // 60 - 0 > 50 fires with all four (top 30); 115 - 60 > 50 fires with those of the last 10 s
    // before 13000 (5000 and later: 15, 12, 25)
    expect(committed(report).map((r) => r.value)).toEqual([
      { car: 'car', topSpeed: 30 },
      { car: 'car', topSpeed: 25 },
    ]);
  });

  test('a continuous event-time trigger shows a running total before the window closes', () => {
    const items = [
      { value: { k: 'a', v: 1 }, timestamp: 100 },
      { watermark: 600 },
      { value: { k: 'a', v: 2 }, timestamp: 700 },
    ];
    const report = run([byKey, { id: 'w', type: 'window', input: 'k', assigner: { type: 'tumbling', size: 1000 }, trigger: { type: 'continuous-event-time', interval: 500 }, aggregate: { sum: 'v' } }], items);
    expect(committed(report).map((r) => (r.value as { value: number }).value)).toEqual([1, 3]);
  });

  test('a dynamic session gap, and aggregate + process on a keyed window', () => {
    const items = [
      { value: { k: 'a', gap: 100 }, timestamp: 0 },
      { value: { k: 'a', gap: 10 }, timestamp: 90 },
      { value: { k: 'a', gap: 10 }, timestamp: 200 },
    ];
    const report = run(
      [byKey, { id: 'w', type: 'window', input: 'k', assigner: { type: 'session', dynamicGap: 'gap' }, aggregate: 'count', process: '{user: key, from: window.start, to: window.end, n: result}' }],
      items,
    );
    expect(committed(report).map((r) => r.value)).toEqual([
      { user: 'a', from: 0, to: 100, n: 2 },
      { user: 'a', from: 200, to: 210, n: 1 },
    ]);
    expect(committed(report).map((r) => r.timestamp)).toEqual([99, 209]);
  });
});
