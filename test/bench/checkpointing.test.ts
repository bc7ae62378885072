// W2 with exactly-once checkpoints (impls weir+cp-hashmap and weir+cp-rocksdb): the same
// answer as W2 without them, checkpoints that complete, and lines that carry their figures.
import { describe, expect, test } from 'vitest';
import { IMPLEMENTATIONS } from '../../bench/impls/index.ts';
import { scenarioToStreamGraph } from '../../core/api/index.ts';
import { checkpointStatistics, CHECKPOINT_INTERVAL_MS, workloadScenario } from '../../bench/impls/weir.ts';
import { generateInput } from '../../bench/input.ts';
import { BenchUsageError, plan, runBench, type BenchLine } from '../../bench/run.ts';
import { BenchSink } from '../../bench/sink.ts';

const N = 20_000;
const input = generateInput(N);
const CHECKPOINTED = ['weir+cp-hashmap', 'weir+cp-rocksdb'] as const;

function runW2(name: string): { result: ReturnType<BenchSink['result']>; extras: Record<string, unknown> } {
  const sink = new BenchSink();
  const extras = IMPLEMENTATIONS[name]!.run('W2', input, sink) ?? {};
  return { result: sink.result(), extras };
}

const plainW2 = runW2('plain').result;

describe.each(CHECKPOINTED)('%s', (name) => {
  test(`gives W2's outputs and checksum on N = ${N}, as plain and weir do`, { timeout: 60_000 }, () => {
    const { result } = runW2(name);
    expect(result).toEqual(plainW2);
    expect(runW2('weir').result).toEqual(plainW2);
  });

  test('reports completed checkpoints, none failed, and their sizes', { timeout: 60_000 }, () => {
    const { extras } = runW2(name);
    // N records at 1,000 per 200 virtual ms: N / 5 ms of input, a checkpoint every 1,000 ms.
    expect(extras['checkpointsCompleted']).toBeGreaterThan(0);
    expect(extras['checkpointsCompleted']).toBeLessThanOrEqual(Math.ceil(N / 5 / CHECKPOINT_INTERVAL_MS) + 1);
    expect(extras['checkpointsNotCompleted']).toBe(0);
    expect(extras['stateSizeBytesMean']).toBeGreaterThan(0);
    expect(extras['checkpointedSizeBytesMean']).toBeGreaterThan(0);
    expect(extras['checkpointedSizeBytesMean']).toBeLessThanOrEqual(extras['stateSizeBytesMean'] as number);
    expect(extras['alignmentMsMax']).toBeGreaterThanOrEqual(extras['alignmentMsMean'] as number);
  });

  test('runs W2 only, and is measured against weir', () => {
    expect(IMPLEMENTATIONS[name]!.workloads).toEqual(['W2']);
    expect(IMPLEMENTATIONS[name]!.baseline).toBe('weir');
    expect(() => IMPLEMENTATIONS[name]!.run('W1', input, new BenchSink())).toThrow(/W2 only/);
  });
});

test('hashmap writes the full state at every checkpoint; rocksdb (incremental) no more than it', { timeout: 60_000 }, () => {
  const hashmap = runW2('weir+cp-hashmap').extras;
  const rocksdb = runW2('weir+cp-rocksdb').extras;
  expect(hashmap['checkpointedSizeBytesMean']).toBe(hashmap['stateSizeBytesMean']);
  expect(rocksdb['stateSizeBytesMean']).toBe(hashmap['stateSizeBytesMean']);
  expect(rocksdb['checkpointsCompleted']).toBe(hashmap['checkpointsCompleted']);
  expect(rocksdb['checkpointedSizeBytesMean'] as number).toBeLessThanOrEqual(hashmap['checkpointedSizeBytesMean'] as number);
});

test.each(['hashmap', 'rocksdb'] as const)("W2's file with checkpointing on %s asks for exactly-once checkpoints every 1,000 ms", (backend) => {
  const ft = scenarioToStreamGraph(workloadScenario('W2', backend)).config.faultTolerance;
  expect(ft?.stateBackend).toBe(backend);
  expect(ft?.checkpointing).toMatchObject({ intervalMs: 1000, mode: 'exactly-once', unaligned: false, maxConcurrent: 1 });
  expect(scenarioToStreamGraph(workloadScenario('W2')).config.faultTolerance?.checkpointing ?? null).toBe(null);
});

test('checkpointStatistics averages the completed checkpoints only', () => {
  const stats = checkpointStatistics([
    { status: 'COMPLETED', alignmentMs: 2, stateSize: 100, checkpointedSize: 40 },
    { status: 'COMPLETED', alignmentMs: 5, stateSize: 300, checkpointedSize: 60 },
    { status: 'FAILED', alignmentMs: 90, stateSize: 0, checkpointedSize: 0 },
  ]);
  expect(stats).toEqual({
    checkpointsCompleted: 2,
    checkpointsNotCompleted: 1,
    alignmentMsMean: 3.5,
    alignmentMsMax: 5,
    stateSizeBytesMean: 200,
    checkpointedSizeBytesMean: 50,
  });
  expect(checkpointStatistics([])).toMatchObject({ checkpointsCompleted: 0, alignmentMsMean: 0, stateSizeBytesMean: 0 });
});

describe('the runner', () => {
  test('--only W2 plans the checkpointed runs after weir; W1 and W3 do not', () => {
    expect(plan({ only: ['W2'] }).map((j) => j.impl)).toEqual(['plain', 'rxjs', 'weir', ...CHECKPOINTED]);
    expect(plan({ only: ['W1', 'W3'] }).map((j) => j.impl)).not.toContain('weir+cp-hashmap');
    expect(() => plan({ only: ['W1'], impls: ['weir+cp-rocksdb'] })).toThrow(BenchUsageError);
    expect(() => plan({ only: ['kernel'], impls: ['weir+cp-rocksdb'] })).not.toThrow();
  });

  test('a checkpointed line keeps the contract fields and adds the checkpoint figures and the ratio to weir', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await runBench({ events: N, only: ['W2'], impls: ['plain', 'weir+cp-rocksdb'], repeat: 2, json: true }, (l) => lines.push(l), (l) => errors.push(l));
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    const [plainLine, cp] = lines.map((l) => JSON.parse(l) as BenchLine);
    expect(cp).toMatchObject({ workload: 'W2', impl: 'weir+cp-rocksdb', events: N, checksum: plainLine!.checksum, outputs: plainLine!.outputs, late: 0, verified: 'cross-check', baseline: 'weir' });
    for (const field of ['eventsPerSec', 'peakMemoryMB', 'baselineEventsPerSec', 'checkpointsCompleted', 'stateSizeBytesMean', 'checkpointedSizeBytesMean']) {
      expect(cp![field], field).toBeGreaterThan(0);
    }
    expect(cp!['baselineMsRuns']).toHaveLength(2);
    expect(typeof cp!['ratioToBaseline']).toBe('number');
    expect(typeof cp!['alignmentMsMean']).toBe('number');
    expect(typeof cp!['alignmentMsMax']).toBe('number');
    expect(typeof cp!.ratioToPlain).toBe('number');
  });

  test('the table shows the ratio to weir and the checkpoint figures', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const code = await runBench({ events: 2000, only: ['W2'], impls: ['weir+cp-hashmap'], repeat: 1 }, (l) => lines.push(l), () => {});
    expect(code).toBe(0);
    const row = lines.find((l) => l.startsWith('W2'))!;
    expect(row).toMatch(/weir\+cp-hashmap/);
    expect(row).toMatch(/x weir \d+\.\d\d/);
    expect(row).toMatch(/\d+ checkpoints, alignment mean [\d.]+ \/ max [\d.]+ ms, state [\d.]+ KiB, written [\d.]+ KiB/);
  });
});
