// Flink's StatusWatermarkValve semantics, and finishing under backpressure and busy time.
// Regressions found in review: each scenario here used to give a different answer.
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';

function run(input: Record<string, JsonValue>) {
  const result = validateScenario({ format: 'weir/scenario@1', name: 'valve', ...input } as JsonValue, 'test.json');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary' });
  sim.run();
  return { sim, report: sim.report() };
}

const records = (n: number, step: number, appendStep: number) => Array.from({ length: n }, (_, i) => ({ value: { k: 'x', v: i }, timestamp: i * step, at: i * appendStep }));
const twoSources = (a: JsonValue[], b: JsonValue[], windowMs: number): Record<string, JsonValue> => ({
  topics: { a: { partitions: 1, records: a }, b: { partitions: 1, records: b } },
  job: {
    operators: [
      { id: 'sa', type: 'source', topic: 'a', bounded: false, watermarks: { strategy: 'monotonous', idleness: 500 } },
      { id: 'sb', type: 'source', topic: 'b', bounded: false, watermarks: { strategy: 'monotonous', idleness: 500 } },
      { id: 'u', type: 'union', input: ['sa', 'sb'] },
      { id: 'k', type: 'keyBy', input: 'u', key: 'k' },
      { id: 'w', type: 'window', input: 'k', assigner: { type: 'tumbling', size: windowMs }, aggregate: 'count' },
      { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
    ],
  },
});

describe('the watermark valve', () => {
  it('when every input goes idle, the task moves to the highest watermark of its inputs', () => {
    const b = [
      { value: { k: 'x', v: 99 }, timestamp: 50, at: 0 },
      { value: { k: 'x', v: 98 }, timestamp: 60, at: 300 },
    ];
    const { report, sim } = run({ ...twoSources(records(10, 100, 0), b, 100), run: { until: 5000 } });
    expect(sim.jobManager.task('w#0')!.watermark).toBe(899);
    expect(report.sinks['out']!.committed).toHaveLength(9);
  });

  it('an input that comes back from idleness behind the watermark does not hold it back', () => {
    const b = [
      { value: { k: 'x', v: 99 }, timestamp: 50, at: 0 },
      { value: { k: 'x', v: 98 }, timestamp: 70, at: 2000 },
    ];
    const { sim } = run({ ...twoSources(records(50, 100, 100), b, 1000), run: { until: 6000 } });
    // Source b wakes up at 2000 with event time 69: it is left out until it catches up.
    expect(sim.jobManager.task('w#0')!.watermark).toBe(4899);
  });
});

describe('finishing', () => {
  it('a task that ends while backpressured finishes once credit comes back', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ value: i, timestamp: i }));
    const { report } = run({
      cluster: { buffersPerChannel: 1, bufferSize: 1, networkLatency: 1 },
      job: {
        operators: [
          { id: 'src', type: 'sequence', items },
          { id: 'k', type: 'keyBy', input: 'src', key: '$' },
          { id: 'w', type: 'window', input: 'k', throughput: 1, assigner: { type: 'tumbling', size: 20, time: 'processing' }, aggregate: 'count' },
          { id: 'out', type: 'sink', input: 'w', parallelism: 2, throughput: 1, sink: { type: 'print' } },
        ],
      },
    });
    expect(report.status).toBe('FINISHED');
    expect(report.tasks.every((t) => t.status === 'FINISHED')).toBe(true);
  });

  it('a chain with a throughput limit takes the time its records need', () => {
    const items = Array.from({ length: 2000 }, (_, i) => ({ value: i, timestamp: i }));
    const { report } = run({ job: { operators: [{ id: 'src', type: 'sequence', throughput: 1, items }, { id: 'out', type: 'sink', input: 'src', sink: { type: 'print' } }] } });
    expect(report.tasks[0]!.busyTimeMs).toBe(2000);
    expect(report.virtualTime).toBe(2000);
  });
});

describe('every bounded job finishes', () => {
  fcTest.prop(
    [
      fc.record({
        bufferSize: fc.constantFrom(1, 2, 3, 8),
        buffers: fc.constantFrom(1, 2),
        windowThroughput: fc.constantFrom(1, 2, 3),
        windowMs: fc.constantFrom(1, 5, 20),
        records: fc.integer({ min: 1, max: 60 }),
        sinkThroughput: fc.constantFrom(1, 4),
        latency: fc.constantFrom(0, 1, 3),
        time: fc.constantFrom('event', 'processing'),
      }),
    ],
    { numRuns: 60 },
  )('whatever the buffers, credits, latency and slow operators', (p) => {
    const items = Array.from({ length: p.records }, (_, i) => ({ value: i, timestamp: i }));
    const { report } = run({
      cluster: { buffersPerChannel: p.buffers, bufferSize: p.bufferSize, networkLatency: p.latency },
      job: {
        operators: [
          { id: 'src', type: 'sequence', items },
          { id: 'k', type: 'keyBy', input: 'src', key: '$ % 3' },
          { id: 'w', type: 'window', input: 'k', throughput: p.windowThroughput, assigner: { type: 'tumbling', size: p.windowMs, time: p.time }, aggregate: 'count' },
          { id: 'out', type: 'sink', input: 'w', parallelism: 2, throughput: p.sinkThroughput, sink: { type: 'print' } },
        ],
      },
    });
    expect(report.status).toBe('FINISHED');
    expect(report.tasks.every((t) => t.status === 'FINISHED')).toBe(true);
    // Event-time windows all fire on the final watermark: every record is counted once.
    if (p.time === 'event') expect(report.sinks['out']!.committed.reduce((n, r) => n + ((r.value as { value: number }).value), 0)).toBe(p.records);
  });
});
