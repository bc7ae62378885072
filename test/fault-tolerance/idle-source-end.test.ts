// Found by `weir check`: a source that was backpressured past its last record could be
// marked idle by its periodic watermark check, and its final watermark was then ignored
// downstream (an idle channel's watermark does not count), so the windows after the last
// checkpoint never fired and the job FINISHED with output missing. Flink's source output
// marks itself active before it emits a watermark; a source read to its end is not idle.
import { expect, it } from 'vitest';
import { createSimulation, formatIssue, parseScenarioText } from '../../core/index.ts';

const json = {
  format: 'weir/scenario@1',
  name: 'idle at the end',
  seed: 1,
  config: { parallelism: 2, checkpointing: { interval: 200 }, restartStrategy: { type: 'fixed-delay', attempts: 5, delay: 100 } },
  topics: { events: { partitions: 2, generator: { count: 200, interval: 5, keys: 4, value: '{key: key, n: i}' } } },
  job: {
    name: 'small',
    operators: [
      { id: 'src', type: 'source', topic: 'events', watermarks: { strategy: 'monotonous' } },
      { id: 'double', type: 'map', expr: '{key: key, n: n * 2}', input: 'src' },
      { id: 'byKey', type: 'keyBy', input: 'double', key: 'key' },
      { id: 'counts', type: 'window', input: 'byKey', assigner: { type: 'tumbling', size: 100 }, aggregate: 'count' },
      { id: 'out', type: 'sink', input: 'counts', sink: { type: 'print' } },
    ],
  },
};

function windowsWritten(faults: unknown[]): Set<string> {
  const parsed = parseScenarioText(JSON.stringify({ ...json, faults }), 'idle.json');
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  expect(sim.report().status).toBe('FINISHED');
  return new Set(sim.report().sinks['out']!.committed.map((r) => JSON.stringify(r.value)));
}

it('a source backpressured to its end still fires every window downstream after a restart', () => {
  const reference = windowsWritten([]);
  expect(reference.size).toBe(40);
  const faulted = windowsWritten([
    { type: 'throw-in-operator', operator: 'src', afterRecords: 62 },
    { type: 'network-delay', from: 'double', to: 'counts', extra: 598, for: 1, afterRecords: 62 },
  ]);
  expect(faulted).toEqual(reference);
});
