// Watermark behaviour of whole jobs, against Flink's documented semantics: periodic
// generation, per-partition watermarks in sources, idleness, and the minimum over inputs
// (docs: "Generating Watermarks", "Watermark Strategies and the Kafka Connector",
// "Dealing With Idle Sources", "How Operators Process Watermarks").
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue, type WatermarkAdvanced } from '../../core/index.ts';

function run(input: Record<string, JsonValue>, untilMs?: number) {
  const result = validateScenario({ format: 'weir/scenario@1', name: 'wm', ...input } as JsonValue, 'test.json', { untilGiven: untilMs !== undefined });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, untilMs });
  sim.run();
  const watermarks = (task: string) =>
    sim.trace.events.filter((e): e is WatermarkAdvanced => e.tag === 'watermark.advanced' && e.task === task).map((e) => [e.timeMs, e.watermark]);
  return { sim, report: sim.report(), watermarks };
}

const sink = (input: string, parallelism?: number) => ({ id: 'out', type: 'sink', input, sink: { type: 'print' }, ...(parallelism ? { parallelism } : {}) });

describe('periodic watermarks from a topic source', () => {
  it('bounded out-of-orderness emits max - bound - 1 every autoWatermarkInterval', () => {
    const { watermarks, report } = run({
      config: { autoWatermarkInterval: 200 },
      topics: {
        t: {
          partitions: 1,
          records: [
            { value: 1, timestamp: 1000, at: 0 },
            { value: 2, timestamp: 1500, at: 250 },
            { value: 3, timestamp: 1200, at: 500 },
          ],
        },
      },
      job: { operators: [{ id: 'src', type: 'source', topic: 't', watermarks: { strategy: 'bounded-out-of-orderness', maxOutOfOrderness: 100 } }, sink('src')] },
    });
    // t=200: max 1000 -> 899; t=400: max 1500 -> 1399; t=600: no advance (1200 < 1500); end: +inf.
    expect(watermarks('src#0')).toEqual([
      [200, 899],
      [400, 1399],
      [500, Number.MAX_SAFE_INTEGER],
    ]);
    expect(report.status).toBe('FINISHED');
  });

  it('a source reading two partitions emits the minimum of their watermarks', () => {
    const { watermarks } = run({
      topics: {
        t: {
          partitions: 2,
          records: [
            { partition: 0, value: 'a', timestamp: 5000, at: 0 },
            { partition: 1, value: 'b', timestamp: 1000, at: 0 },
            { partition: 1, value: 'c', timestamp: 2000, at: 300 },
            { partition: 0, value: 'd', timestamp: 6000, at: 900 },
          ],
        },
      },
      job: { operators: [{ id: 'src', type: 'source', topic: 't', bounded: false, watermarks: { strategy: 'monotonous' } }, sink('src')] },
    }, 2000);
    // Partition 1 holds event time back: min(4999, 999) then min(4999, 1999). (Unbounded:
    // a bounded source drops a partition from the minimum once it has read it to the end.)
    expect(watermarks('src#0').slice(0, 2)).toEqual([
      [200, 999],
      [400, 1999],
    ]);
  });

  it('a partition that stays silent holds the watermark back until idleness excludes it', () => {
    const topics = {
      t: {
        partitions: 2,
        records: [
          { partition: 0, value: 'a', timestamp: 100, at: 0 },
          { partition: 0, value: 'a2', timestamp: 500, at: 400 },
          { partition: 0, value: 'b', timestamp: 800, at: 700 },
          { partition: 1, value: 'late partition', timestamp: 900, at: 2000 },
        ],
      },
    };
    const strict = run({ topics, job: { operators: [{ id: 'src', type: 'source', topic: 't', bounded: false, watermarks: { strategy: 'monotonous' } }, sink('src')] } }, 1500);
    expect(strict.watermarks('src#0')).toEqual([]);
    const idle = run({ topics, job: { operators: [{ id: 'src', type: 'source', topic: 't', bounded: false, watermarks: { strategy: 'monotonous', idleness: 500 } }, sink('src')] } }, 1700);
    // As Flink's WatermarksWithIdleness counts: partition 1 is first seen quiet at the check
    // of t=200, and is idle at the check of t=800 (more than 500 ms later), so from then the
    // watermark is partition 0's, 799 after 'b'. Partition 0 read 'b' at 700: first quiet
    // check 1000, idle at 1600, and then the whole source is idle.
    expect(idle.watermarks('src#0')).toEqual([[800, 799]]);
    expect(idle.sim.jobManager.task('src#0')!.idle).toBe(true);
    expect(strict.sim.jobManager.task('src#0')!.idle).toBe(false);
  });

  it('a source subtask without partitions is idle and does not hold back downstream', () => {
    const { watermarks } = run({
      topics: { t: { partitions: 1, records: [{ value: 1, timestamp: 1000, at: 0 }, { value: 2, timestamp: 3000, at: 500 }] } },
      job: {
        operators: [
          { id: 'src', type: 'source', topic: 't', parallelism: 2, bounded: false, watermarks: { strategy: 'monotonous' } },
          { id: 'm', type: 'map', input: 'src', parallelism: 1, expr: '$' },
          sink('m', 1),
        ],
      },
    }, 1000);
    // src#1 reads nothing and is idle; m's watermark follows src#0 alone.
    expect(watermarks('m#0').slice(0, 2)).toEqual([
      [201, 999],
      [601, 2999],
    ]);
  });
});

describe('an operator with two inputs takes the minimum of their watermarks', () => {
  it('union of two sequences', () => {
    const { watermarks, report } = run({
      job: {
        operators: [
          { id: 'a', type: 'sequence', items: [{ watermark: 10 }, { advanceProcessingTime: 10 }, { watermark: 50 }, { advanceProcessingTime: 100 }] },
          { id: 'b', type: 'sequence', items: [{ watermark: 30 }, { advanceProcessingTime: 20 }, { watermark: 40 }, { advanceProcessingTime: 100 }] },
          { id: 'u', type: 'union', input: ['a', 'b'] },
          { id: 'm', type: 'map', input: 'u', expr: '$' },
          sink('m'),
        ],
      },
    });
    expect(report.jobGraph.edges.map((e: { source: string; target: string }) => `${e.source}->${e.target}`)).toEqual(['a->m', 'b->m']);
    // min(10, 30) = 10 at t=1; a moves to 50 at t=11: min(50, 30) = 30; b moves to 40 at t=21: 40.
    expect(watermarks('m#0')).toEqual([
      [1, 10],
      [11, 30],
      [21, 40],
      // a ends at 110 (its +inf changes nothing: b is still at 40); b ends at 120.
      [121, Number.MAX_SAFE_INTEGER],
    ]);
  });
});
