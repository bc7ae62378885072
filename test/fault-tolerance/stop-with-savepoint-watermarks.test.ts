// A stop-with-savepoint stops its sources at the savepoint's barrier: a source's periodic
// watermark must not follow the barrier either. One did (a review found it, stopping at 185
// with unaligned checkpoints and a 3 ms aligned timeout; the savepoint itself is aligned):
// it reached the window after its snapshot, the window fired and printed [100, 150) for k2,
// and after the resume from that savepoint it fired and printed it again. The job: 2
// partitions, a keyBy, a map, a keyBy, 50 ms tumbling windows, a print sink; the stop at a
// range of times, the resume 40 ms later at parallelism 1.
import { describe, expect, it } from 'vitest';
import { canonicalJson, createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';
import { ofTag } from './variants.ts';

function run(stopAt: number | null, checkpointing: JsonValue) {
  const file = {
    format: 'weir/scenario@1',
    name: 'stop with savepoint, periodic watermarks',
    seed: 0,
    cluster: { networkLatency: 2, bufferSize: 1, buffersPerChannel: 1 },
    config: { parallelism: 2, autoWatermarkInterval: 1, checkpointing } as JsonValue,
    topics: { events: { partitions: 2, generator: { count: 40, interval: 5, keys: 3, outOfOrderness: 0, value: '{n: i, k: key}' } } },
    job: {
      operators: [
        { id: 'events', type: 'source', topic: 'events', watermarks: { strategy: 'bounded-out-of-orderness', maxOutOfOrderness: 0 } },
        { id: 'r', type: 'keyBy', input: 'events', key: 'k' },
        { id: 'm', type: 'map', input: 'r', expr: '$' },
        { id: 'kb', type: 'keyBy', input: 'm', key: '$.k' },
        { id: 'w', type: 'window', input: 'kb', assigner: { type: 'tumbling', size: 50 }, aggregate: 'count' },
        { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
      ],
    },
    ...(stopAt !== null ? { actions: [{ at: stopAt, type: 'stop-with-savepoint' }, { at: stopAt + 40, type: 'resume', parallelism: 1 }] } : {}),
  };
  const result = validateScenario(file as unknown as JsonValue, 'stop.json');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'full' });
  sim.run();
  return sim;
}

describe('stop-with-savepoint and periodic watermarks', () => {
  const configs: [string, JsonValue][] = [
    ['aligned', { interval: 21 }],
    ['unaligned, 3 ms aligned timeout', { interval: 21, unaligned: true, alignedCheckpointTimeout: 3 }],
  ];
  for (const [name, checkpointing] of configs) {
    it(`${name}: a stopped source sends no watermark after its savepoint barrier, so nothing is printed twice after the resume`, () => {
      const reference = run(null, checkpointing).report().sinks['out']!.committed.map((r) => canonicalJson(r.value));
      for (let stopAt = 120; stopAt <= 190; stopAt += 5) {
        const sim = run(stopAt, checkpointing);
        expect(sim.status).toBe('FINISHED');
        const events = sim.trace.events;
        const savepoint = ofTag(events, 'checkpoint.triggered').find((e) => e.savepoint)!;
        const stopped = ofTag(events, 'job.status').find((e) => e.status === 'FINISHED' && e.timeMs > savepoint.timeMs)!;
        for (const source of ['events#0', 'events#1']) {
          const snapshot = ofTag(events, 'snapshot.taken').find((e) => e.task === source && e.checkpoint === savepoint.checkpoint)!;
          const after = ofTag(events, 'watermark.advanced').filter((e) => e.task === source && e.timeMs >= snapshot.timeMs && e.timeMs <= stopped.timeMs);
          expect(after, `stop at ${stopAt}: ${source} after its snapshot at ${snapshot.timeMs}`).toEqual([]);
        }
        // Every window of the run without a stop is there, once.
        const written = sim.report().sinks['out']!.committed.map((r) => canonicalJson(r.value));
        expect([...written].sort(), `stop at ${stopAt}`).toEqual([...reference].sort());
      }
    });
  }
});
