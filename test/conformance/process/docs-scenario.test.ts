/**
 * The complete scenario of docs/process.md does what the page says it does: its process
 * operator is the CountWithTimeoutFunction of timeout.test.ts, and the job prints the three
 * timeouts the page's table lists. The job is built by hand from the scenario's operators
 * (sequence -> keyBy -> process -> print), and once the scenario validator accepts
 * `process`, also through validateScenario and createSimulation, as `weir run` does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { validateScenario } from '../../../core/api/scenario/index.ts';
import { keySelector } from '../../../core/api/scenario/to-stream-graph.ts';
import type { StreamGraph } from '../../../core/graph/index.ts';
import type { JsonValue } from '../../../core/model/index.ts';
import { createKeyedProcessOperator, PrintSink, processFunctionFromSpec, SequenceSource, type SequenceItemSpec } from '../../../core/operators/index.ts';
import { createSimulation } from '../../../core/simulation.ts';
import { dsl } from './helpers.ts';

const page = readFileSync(new URL('../../../docs/process.md', import.meta.url), 'utf8');
const section = page.slice(page.indexOf('## A complete scenario'));
const block = /```json\n([\s\S]*?)\n```/.exec(section);
const scenario = JSON.parse(block![1]!) as { job: { operators: Record<string, unknown>[] } };
const op = (id: string): Record<string, unknown> => scenario.job.operators.find((o) => o['id'] === id)!;

const expected = [
  { value: { user: 'bob', count: 1 }, timestamp: 1100 },
  { value: { user: 'ann', count: 3 }, timestamp: 2200 },
  { value: { user: 'bob', count: 2 }, timestamp: 3300 },
];

describe('the complete scenario of docs/process.md', () => {
  test('prints the timeouts the page lists (job built by hand)', () => {
    const { id: _id, type: _type, input: _input, ...fields } = op('timeouts');
    const spec = dsl(fields);
    const items: SequenceItemSpec[] = (op('clicks')['items'] as Record<string, JsonValue>[]).map((item) =>
      'watermark' in item ? { kind: 'watermark', timestamp: item['watermark'] as number } : { kind: 'record', value: item['value']!, timestamp: item['timestamp'] as number },
    );
    const key = keySelector(op('byUser')['key'] as string);
    const fn = processFunctionFromSpec(spec);
    const graph: StreamGraph = {
      config: { jobName: 'count with timeout', parallelism: null, maxParallelism: null, autoWatermarkIntervalMs: 200 },
      nodes: [
        { id: 'clicks', name: 'clicks', parallelism: 1, factory: { kind: 'source', create: () => new SequenceSource(items) }, isSink: false, keySelector: null },
        { id: 'timeouts', name: 'timeouts', parallelism: null, factory: { kind: 'operator', create: () => createKeyedProcessOperator(fn) }, isSink: false, keySelector: key },
        { id: 'out', name: 'out', parallelism: null, factory: { kind: 'operator', create: () => new PrintSink('out') }, isSink: true, keySelector: null },
      ],
      edges: [
        { from: 'clicks', to: 'timeouts', partitioner: { type: 'hash', key } },
        { from: 'timeouts', to: 'out', partitioner: null },
      ],
    };
    const sim = createSimulation({ streamGraph: graph });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('FINISHED');
    expect(report.sinks['out']!.committed).toEqual(expected);
  });

  test('validates and runs as a scenario file', () => {
    const result = validateScenario(scenario, 'docs/process.md');
    expect(result.ok ? [] : result.issues).toEqual([]);
    if (!result.ok) throw new Error('the docs scenario must validate');
    const sim = createSimulation({ scenario: result.scenario });
    sim.run();
    expect(sim.report().status).toBe('FINISHED');
    expect(sim.report().sinks['out']!.committed).toEqual(expected);
  });
});
