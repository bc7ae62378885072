// Validation bounds the depth of a file, but the DataStream API, expressions and process
// state can still build deep values at run time: the engine's walks (trace encoding, key
// hashing, state copies at checkpoints, the report) must not overflow on them.
import { expect, it } from 'vitest';
import { canonicalJson, createSimulation, validateScenario, type JsonValue, type Scenario } from '../../core/index.ts';

it('a record nested 50,000 deep runs through keyBy, a window, a checkpoint and the report', () => {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'deep at run time',
      config: { checkpointing: { interval: 1 } },
      job: {
        operators: [
          { id: 's', type: 'sequence', items: [{ value: 0, timestamp: 1 }, { advanceProcessingTime: 5 }, { value: 0, timestamp: 2 }] },
          { id: 'kb', type: 'keyBy', input: 's', key: '$' },
          { id: 'w', type: 'window', input: 'kb', assigner: { type: 'tumbling', size: 10 }, aggregate: 'collect' },
          { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
        ],
      },
    },
    'deep.json',
  );
  if (!result.ok) throw new Error('the shallow scenario must validate');
  let deep: JsonValue = 'bottom';
  for (let i = 0; i < 50_000; i++) deep = { v: deep };
  const seq = result.scenario.job.operators[0] as Extract<Scenario['job']['operators'][number], { type: 'sequence' }>;
  for (const item of seq.items) if (item.kind === 'record') item.value = deep;
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  const report = sim.report();
  expect(report.status).toBe('FINISHED');
  expect(report.checkpoints.filter((c) => c.status === 'COMPLETED').length).toBeGreaterThan(0);
  const [written] = report.sinks['out']!.committed;
  expect((written!.value as { value: JsonValue[] }).value).toHaveLength(2);
  expect(report.traceHash).toMatch(/^[0-9a-f]{16}$/);
  expect(canonicalJson(report as unknown as JsonValue).length).toBeGreaterThan(2 * 50_000 * 6);
});
