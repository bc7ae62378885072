// A bounded job computes the same results however its data moves: small or large network
// buffers, few credits, slow operators (throughput limits) that backpressure the sources,
// and idleness timeouts that may mark a stalled source idle. Backpressure changes when
// things happen, never what the sinks end up with. fast-check draws small jobs and settings;
// the reference is the same job with ample buffers, no throughput limits and no idleness.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { canonicalJson, createSimulation, formatIssue, validateScenario, type JsonValue } from '../../core/index.ts';

interface Job {
  partitions: { key: string; delta: number; v: number }[][];
  sourceParallelism: number;
  windowSize: number;
  aggregate: 'count' | 'sum';
  parallelism: number;
  withMap: boolean;
}

interface Flow {
  buffersPerChannel: number;
  bufferSize: number;
  sourceThroughput: number | null;
  windowThroughput: number | null;
  sinkThroughput: number | null;
  idlenessMs: number | null;
  autoWatermarkIntervalMs: number;
}

const job: fc.Arbitrary<Job> = fc.record({
  partitions: fc.array(fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), delta: fc.integer({ min: 0, max: 40 }), v: fc.integer({ min: -5, max: 5 }) }), { maxLength: 40 }), { minLength: 1, maxLength: 3 }),
  sourceParallelism: fc.integer({ min: 1, max: 2 }),
  windowSize: fc.integer({ min: 5, max: 200 }),
  aggregate: fc.constantFrom('count' as const, 'sum' as const),
  parallelism: fc.integer({ min: 1, max: 3 }),
  withMap: fc.boolean(),
});

const flow: fc.Arbitrary<Flow> = fc.record({
  buffersPerChannel: fc.integer({ min: 1, max: 4 }),
  bufferSize: fc.integer({ min: 1, max: 8 }),
  sourceThroughput: fc.option(fc.integer({ min: 1, max: 3 })),
  windowThroughput: fc.option(fc.integer({ min: 1, max: 2 })),
  sinkThroughput: fc.option(fc.integer({ min: 1, max: 2 })),
  idlenessMs: fc.option(fc.integer({ min: 1, max: 300 })),
  autoWatermarkIntervalMs: fc.integer({ min: 1, max: 200 }),
});

const AMPLE: Flow = { buffersPerChannel: 1000, bufferSize: 100_000, sourceThroughput: null, windowThroughput: null, sinkThroughput: null, idlenessMs: null, autoWatermarkIntervalMs: 200 };

function scenarioOf(j: Job, f: Flow): unknown {
  const records = j.partitions.flatMap((list, partition) => {
    let t = 0;
    // Event time rises within each partition, so no record is ever late: the output cannot depend on timing.
    return list.map((r) => ({ partition, key: r.key, value: { key: r.key, v: r.v }, timestamp: (t += r.delta), at: 0 }));
  });
  const throughput = (n: number | null) => (n === null ? {} : { throughput: n });
  return {
    format: 'weir/scenario@1',
    name: 'backpressure independence',
    cluster: { buffersPerChannel: f.buffersPerChannel, bufferSize: f.bufferSize },
    config: { parallelism: j.parallelism, autoWatermarkInterval: f.autoWatermarkIntervalMs },
    topics: { events: { partitions: j.partitions.length, records } },
    job: {
      operators: [
        {
          id: 'src',
          type: 'source',
          topic: 'events',
          parallelism: j.sourceParallelism,
          watermarks: { strategy: 'bounded-out-of-orderness', maxOutOfOrderness: 0, ...(f.idlenessMs === null ? {} : { idleness: f.idlenessMs }) },
          ...throughput(f.sourceThroughput),
        },
        ...(j.withMap ? [{ id: 'm', type: 'map', input: 'src', expr: '{key: key, v: v * 2}' }] : []),
        { id: 'byKey', type: 'keyBy', input: j.withMap ? 'm' : 'src', key: 'key' },
        { id: 'w', type: 'window', input: 'byKey', assigner: { type: 'tumbling', size: j.windowSize }, aggregate: j.aggregate === 'count' ? 'count' : { sum: 'v' }, ...throughput(f.windowThroughput) },
        { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' }, ...throughput(f.sinkThroughput) },
      ],
    },
  };
}

function outputOf(j: Job, f: Flow): { status: string; results: string[]; backpressured: boolean } {
  const result = validateScenario(scenarioOf(j, f), 'independence.json');
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  const report = sim.report();
  return {
    status: report.status,
    results: report.sinks['out']!.committed.map((r) => canonicalJson({ value: r.value, timestamp: r.timestamp } as JsonValue)).sort(),
    backpressured: report.tasks.some((t) => t.backPressuredTimeMs > 0),
  };
}

it('for every bounded job, whatever buffers, credits, throughput limits and idleness, the sink output equals the run without backpressure', () => {
  let runs = 0;
  let backpressured = 0;
  fc.assert(
    fc.property(job, flow, (j, f) => {
      const reference = outputOf(j, AMPLE);
      const constrained = outputOf(j, f);
      expect(reference.status).toBe('FINISHED');
      expect(constrained.status).toBe('FINISHED');
      expect(constrained.results).toEqual(reference.results);
      runs += 1;
      if (constrained.backpressured) backpressured += 1;
    }),
    { numRuns: Number(process.env['WEIR_PROPERTY_RUNS'] ?? 150) },
  );
  // The property says something only if the settings do backpressure the jobs. About a
  // quarter of the drawn settings do (28 to 46 of 150 in the runs seen); a tenth leaves room for
  // the draw of an unseeded run, which once gave 28 against a bound of a fifth.
  expect(backpressured).toBeGreaterThan(runs / 10);
});
