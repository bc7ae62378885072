/**
 * Window staggering for tumbling windows, after Flink's WindowStaggerTest,
 * TumblingProcessingTimeWindowsTest and TumblingEventTimeWindowsTest: ALIGNED shifts nothing, NATURAL shifts a subtask's
 * windows so that its first one starts when its first element arrived, RANDOM by a uniform
 * offset in [0, size) drawn once per subtask. Weir draws RANDOM from the subtask's seeded
 * random stream: the same seed gives the same windows, and Math.random is never called.
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createSimulation, validateScenario, type JsonValue, type Scenario } from '../../../core/index.ts';
import { take, tumbling, windowHarness } from './helpers.ts';

const staggered = (stagger: 'aligned' | 'random' | 'natural', offsetMs = 0) => ({ ...tumbling(1000, offsetMs, 'processing'), stagger }) as const;

afterEach(() => vi.restoreAllMocks());

describe('WindowStagger', () => {
  test('ALIGNED: the windows of every subtask end together', () => {
    const h = windowHarness({ assigner: staggered('aligned') });
    h.feed('P1234 a P2000');
    expect(take(h)).toBe('a[1000,2000)=1');
  });

  test("NATURAL: the first element's arrival in its aligned window is the shift", () => {
    const h = windowHarness({ assigner: staggered('natural') });
    h.feed('P1234 a P2233 b');
    expect(take(h)).toBe('');
    h.feed('P2234');
    expect(take(h)).toBe('a[1234,2234)=1 b[1234,2234)=1');
    h.feed('c P3000 d P3234');
    expect(take(h)).toBe('c[2234,3234)=1 d[2234,3234)=1');
  });

  test('NATURAL on event-time windows: the shift comes from the processing time of the first element (TumblingEventTimeWindowsTest)', () => {
    const h = windowHarness({ assigner: { ...tumbling(5000), stagger: 'natural' } });
    // Processing time 150 when the first element arrives: windows [150, 5150), [5150, 10150), ...
    h.feed('P150 a@150 a@5099 a@5300 W5149');
    expect(take(h)).toBe('a[150,5150)=2 W5149');
    h.feed('W10149');
    expect(take(h)).toBe('a[5150,10150)=1 W10149');
  });

  test('NATURAL plus an offset, modulo the size, as Flink adds them', () => {
    const h = windowHarness({ assigner: staggered('natural', 900) });
    // stagger 234, offset (900 + 234) % 1000 = 134
    h.feed('P1234 a P2134');
    expect(take(h)).toBe('a[1134,2134)=1');
  });

  test('RANDOM: an offset in [0, size) from the seeded stream, the same every time, never Math.random', () => {
    const random = vi.spyOn(Math, 'random');
    const starts = [1, 2].map(() => {
      const h = windowHarness({ assigner: staggered('random') });
      h.feed('P5000 a P7000');
      return (h.records()[0]!.value as { window: { start: number } }).window.start;
    });
    expect(random).not.toHaveBeenCalled();
    expect(starts[0]).toBe(starts[1]);
    expect(starts[0]! - 4000).toBeGreaterThanOrEqual(0);
    expect(starts[0]! - 4000).toBeLessThanOrEqual(1000);
  });
});

function scenario(): Scenario {
  const items: JsonValue[] = [{ advanceProcessingTime: 5000 }];
  for (let i = 0; i < 6; i++) items.push({ value: { k: `k${i}` } }, { advanceProcessingTime: 100 });
  items.push({ advanceProcessingTime: 3000 });
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'random stagger',
      config: { parallelism: 3 },
      job: {
        name: 'stagger',
        operators: [
          { id: 'src', type: 'sequence', items },
          { id: 'byK', type: 'keyBy', input: 'src', key: 'k' },
          { id: 'w', type: 'window', input: 'byK', assigner: { type: 'tumbling', size: 1000, time: 'processing', stagger: 'random' }, aggregate: 'count' },
          { id: 'out', type: 'sink', input: 'w', parallelism: 1, sink: { type: 'print' } },
        ],
      },
    },
    'stagger.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
}

/** Each result's window start, modulo the size: the subtask's stagger. */
function offsets(seed: number): number[] {
  const sim = createSimulation({ scenario: scenario(), seed });
  sim.run();
  return Object.values(sim.report().sinks)[0]!.committed.map((r) => (r.value as { window: { start: number } }).window.start % 1000).sort((a, b) => a - b);
}

describe('RANDOM in a run', () => {
  test('the same seed gives the same windows; the offsets depend on the seed', () => {
    const random = vi.spyOn(Math, 'random');
    expect(offsets(7)).toEqual(offsets(7));
    const distinct = new Set([1, 2, 3, 4].map((seed) => offsets(seed).join(',')));
    expect(distinct.size).toBeGreaterThan(1);
    expect(random).not.toHaveBeenCalled();
  });
});
