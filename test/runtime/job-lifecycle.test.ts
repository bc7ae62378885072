// The job's life as the JobManager sees it: statuses, user-function failures, missing
// slots; and the DataStream API producing the same job as a scenario file.
import { describe, expect, it } from 'vitest';
import {
  createSimulation,
  StreamExecutionEnvironment,
  validateScenario,
  type JobStatusChanged,
  type JsonValue,
  type TaskStatusChanged,
} from '../../core/index.ts';

function scenario(input: Record<string, JsonValue>) {
  const result = validateScenario({ format: 'weir/scenario@1', name: 'life', ...input } as JsonValue, 'test.json');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
}

const items = [1, 2, 3].map((n) => ({ value: { n }, timestamp: n }));

describe('job and task status', () => {
  it('goes CREATED -> RUNNING -> FINISHED, each subtask through Flink execution states', () => {
    const sim = createSimulation({
      scenario: scenario({ job: { operators: [{ id: 's', type: 'sequence', items }, { id: 'out', type: 'sink', input: 's', sink: { type: 'print' } }] } }),
    });
    sim.run();
    const job = sim.trace.events.filter((e): e is JobStatusChanged => e.tag === 'job.status').map((e) => e.status);
    expect(job).toEqual(['CREATED', 'RUNNING', 'FINISHED']);
    const task = sim.trace.events.filter((e): e is TaskStatusChanged => e.tag === 'task.status' && e.task === 's#0').map((e) => e.status);
    expect(task).toEqual(['SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED']);
  });

  it('an expression reading a field the record lacks fails the task and the job', () => {
    const sim = createSimulation({
      scenario: scenario({
        job: {
          operators: [
            { id: 's', type: 'sequence', items },
            { id: 'm', type: 'map', input: 's', expr: 'amount * 2' },
            { id: 'out', type: 'sink', input: 'm', sink: { type: 'print' } },
          ],
        },
      }),
    });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toMatch(/s#0 failed: operator 'm' failed: record has no field 'amount'/);
    expect(report.sinks['out']!.committed).toEqual([]);
    expect(report.tasks.map((t) => t.status)).toEqual(['FAILED']);
  });

  it('a job that needs more slots than the cluster has fails after the slot request timeout', () => {
    const sim = createSimulation({
      scenario: scenario({
        cluster: { taskManagers: 1, slotsPerTaskManager: 1 },
        job: { operators: [{ id: 's', type: 'sequence', items }, { id: 'm', type: 'map', input: 's', parallelism: 2, expr: '$' }, { id: 'out', type: 'sink', input: 'm', sink: { type: 'print' } }] },
      }),
      slotRequestTimeoutMs: 1000,
    });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('FAILED');
    expect(report.virtualTime).toBe(1000);
    expect(report.failureCause).toMatch(/NoResourceAvailableException: .*needs 2 slots, the cluster offers 1/);
  });
});

describe('the DataStream API', () => {
  it('builds the same job as the equivalent scenario, with the same output', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env
      .fromSequence(items.map((i) => ({ kind: 'record' as const, value: i.value, timestamp: i.timestamp })))
      .map((v) => ({ n: (v as { n: number }).n, v: (v as { n: number }).n * 3 + 1 }), 'triple')
      .filter((v) => (v as { v: number }).v % 4 !== 0, 'keep')
      .print('out');
    const api = createSimulation({ streamGraph: env.getStreamGraph('api job') });
    api.run();
    const file = createSimulation({
      scenario: scenario({
        job: {
          operators: [
            { id: 's', type: 'sequence', items },
            { id: 'triple', type: 'map', input: 's', expr: '{n: n, v: n * 3 + 1}' },
            { id: 'keep', type: 'filter', input: 'triple', expr: 'v % 4 != 0' },
            { id: 'out', type: 'sink', input: 'keep', sink: { type: 'print' } },
          ],
        },
      }),
    });
    file.run();
    const apiReport = api.report();
    expect(Object.values(apiReport.sinks)[0]!.committed).toEqual(file.report().sinks['out']!.committed);
    expect(apiReport.jobGraph.vertices).toHaveLength(1);
    expect(apiReport.jobGraph.vertices[0]!.name).toBe('Sequence Source -> triple -> keep -> out');
  });

  it('applies the four levels of parallelism with Flink precedence', () => {
    const build = (envP: number | null, opP: number | null) => {
      const env = StreamExecutionEnvironment.getExecutionEnvironment();
      if (envP !== null) env.setParallelism(envP);
      const m = env.fromElements(1, 2, 3).map((v) => v);
      if (opP !== null) m.setParallelism(opP);
      m.print();
      return env.getStreamGraph();
    };
    const parallelismOfMap = (envP: number | null, opP: number | null, client: number | null) => {
      const sim = createSimulation({ streamGraph: build(envP, opP), parallelism: client });
      return sim.jobGraph.vertices.find((v) => v.operators.some((o) => o.id === 'map-1'))!.parallelism;
    };
    expect(parallelismOfMap(null, null, null)).toBe(1);
    expect(parallelismOfMap(null, null, 3)).toBe(3);
    expect(parallelismOfMap(2, null, 3)).toBe(2);
    expect(parallelismOfMap(2, 4, 3)).toBe(4);
  });

  it('a throwing user function fails the task, as in Flink', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env
      .fromElements(1, 2, 3)
      .map((v) => {
        if (v === 2) throw new RangeError('two is not allowed');
        return v;
      }, 'picky')
      .print();
    const sim = createSimulation({ streamGraph: env.getStreamGraph() });
    sim.run();
    expect(sim.report().status).toBe('FAILED');
    expect(sim.report().failureCause).toMatch(/two is not allowed/);
  });
});

describe('partitioners', () => {
  const graphWith = (partition: (s: ReturnType<StreamExecutionEnvironment['fromElements']>) => ReturnType<StreamExecutionEnvironment['fromElements']>, up: number, down: number) => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    const src = env.fromElements(...Array.from({ length: 12 }, (_, i) => i)).map((v) => v, 'up');
    src.setParallelism(up);
    partition(src).map((v) => v, 'down').setParallelism(down).print().setParallelism(down);
    const sim = createSimulation({ streamGraph: env.getStreamGraph() });
    sim.run();
    const links = new Map<string, string[]>();
    for (const c of sim.jobManager.channels) if (c.from.startsWith('map-1')) links.set(c.from, [...(links.get(c.from) ?? []), c.to]);
    return { links: Object.fromEntries(links), report: sim.report() };
  };

  it('rescale connects each producer to a contiguous share of the consumers (Flink pointwise)', () => {
    expect(graphWith((s) => s.rescale(), 2, 4).links).toEqual({ 'map-1#0': ['map-2#0', 'map-2#1'], 'map-1#1': ['map-2#2', 'map-2#3'] });
    expect(graphWith((s) => s.rescale(), 4, 2).links).toEqual({ 'map-1#0': ['map-2#0'], 'map-1#1': ['map-2#0'], 'map-1#2': ['map-2#1'], 'map-1#3': ['map-2#1'] });
    // Uneven shares round as Flink's EdgeManagerBuildUtil.connectPointwise rounds them.
    expect(graphWith((s) => s.rescale(), 2, 3).links).toEqual({ 'map-1#0': ['map-2#0', 'map-2#1'], 'map-1#1': ['map-2#2'] });
    expect(graphWith((s) => s.rescale(), 3, 2).links).toEqual({ 'map-1#0': ['map-2#0'], 'map-1#1': ['map-2#1'], 'map-1#2': ['map-2#1'] });
  });

  it('rebalance connects all to all and spreads records evenly; broadcast copies every record', () => {
    const rebalance = graphWith((s) => s.rebalance(), 2, 3);
    expect(rebalance.links['map-1#0']).toEqual(['map-2#0', 'map-2#1', 'map-2#2']);
    const counts = rebalance.report.tasks.filter((t) => t.id.startsWith('map-2')).map((t) => t.recordsIn);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(12);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(2);
    const broadcast = graphWith((s) => s.broadcast(), 2, 3);
    expect(broadcast.report.tasks.filter((t) => t.id.startsWith('map-2')).map((t) => t.recordsIn)).toEqual([12, 12, 12]);
  });

  it('forward with a change of parallelism is refused, as Flink refuses it', () => {
    expect(() => graphWith((s) => s.forward(), 2, 3)).toThrow(/forward partitioning does not allow a change of parallelism/);
  });
});
