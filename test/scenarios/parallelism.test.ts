// The result of a keyed job does not depend on its parallelism: key groups send every
// record of a key to one subtask, whatever the number of subtasks (Flink's guarantee that
// makes rescaling possible).
import { describe, expect } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';

const record = fc.record({
  key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
  v: fc.integer({ min: 0, max: 50 }),
  ts: fc.integer({ min: -2000, max: 6000 }),
  at: fc.integer({ min: 0, max: 3000 }),
});

function run(records: { key: string; v: number; ts: number; at: number }[], parallelism: number, partitions: number, aggregate: JsonValue, assigner: JsonValue) {
  const sorted = [...records].sort((x, y) => x.at - y.at);
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'keyed windows',
      topics: { t: { partitions, records: sorted.map((r) => ({ key: r.key, value: r, timestamp: r.ts, at: r.at })) } },
      job: {
        operators: [
          { id: 'src', type: 'source', topic: 't', parallelism: Math.min(parallelism, partitions), watermarks: { strategy: 'bounded-out-of-orderness', maxOutOfOrderness: 10000 } },
          { id: 'byKey', type: 'keyBy', input: 'src', key: 'key' },
          { id: 'w', type: 'window', input: 'byKey', parallelism, assigner, aggregate },
          { id: 'out', type: 'sink', input: 'w', parallelism, sink: { type: 'print' } },
        ],
      },
    } as JsonValue,
    'generated.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary' });
  sim.run();
  const report = sim.report();
  expect(report.status).toBe('FINISHED');
  return report.sinks['out']!.committed.map((r) => JSON.stringify(r)).sort();
}

describe('keyed window results do not depend on parallelism', () => {
  const assigners: JsonValue[] = [
    { type: 'tumbling', size: 1000 },
    { type: 'sliding', size: 1000, slide: 250, offset: 100 },
    { type: 'session', gap: 400 },
  ];
  fcTest.prop([fc.array(record, { minLength: 1, maxLength: 40 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom(...assigners), fc.constantFrom<JsonValue>('count', { sum: 'v' }, { max: 'v' }, 'collect')], {
    numRuns: 40,
  })('same multiset of window results at parallelism 1 and p', (records, parallelism, partitions, assigner, aggregate) => {
    // Bound 10 s is larger than any disorder in the input: no record is late, so the
    // answer cannot depend on when watermarks happen to arrive.
    const one = run(records, 1, partitions, aggregate, assigner);
    expect(run(records, parallelism, partitions, aggregate, assigner)).toEqual(one);
  });
});
