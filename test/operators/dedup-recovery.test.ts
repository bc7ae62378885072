// A dedup in a running job: its input is partitioned by its key, its Bloom filter and exact
// set are checkpointed, and a job restored after a failure, or stopped and resumed with
// more subtasks, drops exactly what the uninterrupted job drops.
import { describe, expect, it } from 'vitest';
import { createSimulation, formatIssue, validateScenario, type JsonValue, type RunReport, type Scenario } from '../../core/index.ts';

function scenario(extra: Record<string, JsonValue> = {}, config: Record<string, JsonValue> = {}): Scenario {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'dedup recovery',
      seed: 5,
      config: { parallelism: 2, ...config },
      // One partition read by one source subtask: every dedup subtask sees its keys in the
      // topic's order, in every attempt, so each key group's decisions can be compared.
      topics: { events: { partitions: 1, generator: { count: 2400, interval: 1, keys: 1500, value: '{id: key, i: i}' } } },
      job: {
        name: 'dedup',
        operators: [
          { id: 'src', type: 'source', parallelism: 1, topic: 'events', watermarks: { strategy: 'monotonous' } },
          { id: 'bloom', type: 'dedup', input: 'src', key: 'id', bloom: { expectedItems: 600, falsePositiveRate: 0.05 } },
          { id: 'bloomOut', type: 'sink', input: 'bloom', sink: { type: 'print' } },
          { id: 'exact', type: 'dedup', input: 'src', key: 'id', exact: true },
          { id: 'exactOut', type: 'sink', input: 'exact', sink: { type: 'print' } },
        ],
      },
      ...extra,
    } as JsonValue,
    '<test>',
  );
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

function run(s: Scenario): RunReport {
  const sim = createSimulation({ scenario: s, traceLevel: 'summary' });
  sim.run();
  return sim.report();
}

/** The record indexes a sink wrote, each once (a failover replays some), sorted. */
const passed = (report: RunReport, sink: string): number[] => [...new Set(report.sinks[sink]!.committed.map((r) => (r.value as { i: number }).i))].sort((a, b) => a - b);

const uninterrupted = run(scenario());

describe('dedup in a job', () => {
  it('is keyed by its own key: a hash edge in front of it, forward to its sink', () => {
    expect(uninterrupted.status).toBe('FINISHED');
    const edges = uninterrupted.jobGraph.edges.map((e) => `${e.source}->${e.target}:${e.partitioner}`).sort();
    expect(edges).toEqual(['src->bloom:hash', 'src->exact:hash']);
    expect(uninterrupted.jobGraph.vertices.find((v) => v.id === 'bloom')!.operators).toEqual(['bloom', 'bloomOut']);
  });

  it('reports each dedup: the Bloom filter drops the duplicates and its false positives', () => {
    const { bloom, exact } = uninterrupted.dedup;
    expect(exact).toMatchObject({ mode: 'exact', bits: null, hashFunctions: null, falsePositives: 0 });
    expect(bloom!.mode).toBe('bloom');
    expect(bloom!.keysSeen).toBe(exact!.keysSeen);
    expect(exact!.dropped).toBe(2400 - exact!.keysSeen);
    expect(bloom!.dropped).toBe(exact!.dropped + bloom!.falsePositives);
    expect(bloom!.falsePositives).toBeGreaterThan(0);
    expect(uninterrupted.sinks['exactOut']!.committed.length - uninterrupted.sinks['bloomOut']!.committed.length).toBe(bloom!.falsePositives);
    expect(bloom!.memoryBytes).toBeLessThan(exact!.memoryBytes / 10);
    expect(bloom!.exactSetBytes).toBe(exact!.exactSetBytes);
    expect(Object.getPrototypeOf(uninterrupted.dedup)).toBe(null);
  });

  it('after a kill-task and a restore from a checkpoint, lets the same records through', () => {
    const report = run(
      scenario({ faults: [{ type: 'kill-task', operator: 'bloom', subtask: 1, at: 1300 }, { type: 'kill-task', operator: 'exact', subtask: 0, at: 1700 }] }, { checkpointing: { interval: 400 }, restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 10 } }),
    );
    expect(report.status).toBe('FINISHED');
    expect(report.restarts.length).toBe(2);
    expect(report.restarts.every((r) => r.restoredFrom !== null)).toBe(true);
    // The print sinks show the replayed records again; as sets, they are the uninterrupted run's.
    expect(passed(report, 'bloomOut')).toEqual(passed(uninterrupted, 'bloomOut'));
    expect(passed(report, 'exactOut')).toEqual(passed(uninterrupted, 'exactOut'));
    // The gauges follow the live state; the counters count the replays again.
    expect(report.dedup['bloom']!.keysSeen).toBe(uninterrupted.dedup['bloom']!.keysSeen);
    expect(report.dedup['exact']!.exactSetBytes).toBe(uninterrupted.dedup['exact']!.exactSetBytes);
    expect(report.dedup['bloom']!.dropped).toBeGreaterThan(uninterrupted.dedup['bloom']!.dropped);
    expect(report.dedup['bloom']!.falsePositives).toBeGreaterThanOrEqual(uninterrupted.dedup['bloom']!.falsePositives);
  });

  it('stopped with a savepoint and resumed with 3 subtasks instead of 2, drops exactly what the uninterrupted job drops', () => {
    const report = run(
      scenario({
        actions: [
          { at: 1200, type: 'stop-with-savepoint' },
          { at: 1500, type: 'resume', parallelism: 3 },
        ],
      }),
    );
    expect(report.status).toBe('FINISHED');
    expect(report.jobGraph.vertices.find((v) => v.id === 'bloom')!.parallelism).toBe(3);
    for (const sink of ['bloomOut', 'exactOut']) {
      const values = (r: RunReport) => r.sinks[sink]!.committed.map((x) => (x.value as { i: number }).i).sort((a, b) => a - b);
      expect(values(report), sink).toEqual(values(uninterrupted));
    }
    for (const id of ['bloom', 'exact']) expect(report.dedup[id], id).toEqual(uninterrupted.dedup[id]);
  });

  it('the same seed twice gives the same report', () => {
    expect(run(scenario())).toEqual(uninterrupted);
  });
});
