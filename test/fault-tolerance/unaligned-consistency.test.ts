// Exactly-once across checkpoints that turn unaligned, and across the checkpoints after tasks
// finish (FLIP-147). With unaligned checkpoints, or aligned ones that time out into unaligned
// (alignedCheckpointTimeout), a subtask's final checkpoint may persist the records it
// overtook as channel state while they are still queued downstream; the upstream subtask
// then finishes on that checkpoint's completion. A later checkpoint is triggered at the
// downstream subtask directly (its inputs have all finished), and it must still account for
// every record of the finished upstream: in the keyed state, or as channel state. Whatever
// kill-task faults hit the job, the committed output and the final keyed state equal those
// of the fault-free run.
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type Scenario } from '../../core/index.ts';
import { createExactlyOnceOracle, type OracleRun } from '../../core/testing.ts';
import type { JsonValue } from '../../core/model/index.ts';

/** Fixed so that a run of the suite is reproducible; WEIR_FC_SEED=N tries other jobs. */
const SEED = Number(process.env['WEIR_FC_SEED'] ?? 20250606);
const RUNS = Number(process.env['WEIR_FC_RUNS'] ?? 120);

/** A kill at a virtual time, or after its subtask has taken that many records (so that it can land right after the sources finish). */
interface Kill {
  readonly operator: 'src' | 'agg' | 'out';
  readonly subtask: number;
  readonly at: { readonly ms: number } | { readonly records: number };
}

interface Job {
  readonly seed: number;
  readonly partitions: number;
  readonly sourceParallelism: number;
  readonly parallelism: number;
  /** Per record: its partition and key, and when it is appended. */
  readonly records: readonly { readonly partition: number; readonly key: number; readonly atMs: number }[];
  readonly aggregate: 'window' | 'reduce';
  readonly sink: 'two-phase-commit' | 'idempotent';
  readonly intervalMs: number;
  /** null: aligned without a timeout (a control); 0: unaligned from the start; otherwise aligned, unaligned after this many ms. */
  readonly alignedCheckpointTimeoutMs: number | null;
  readonly throughput: number | null;
  readonly networkLatencyMs: number;
  readonly bufferSize: number;
  readonly buffersPerChannel: number;
  readonly slow: { readonly subtask: number; readonly factor: number; readonly atMs: number; readonly forMs: number } | null;
  readonly kills: readonly Kill[];
}

const job: fc.Arbitrary<Job> = fc
  .record({
    seed: fc.integer({ min: 0, max: 1000 }),
    partitions: fc.integer({ min: 1, max: 3 }),
    sourceParallelism: fc.integer({ min: 1, max: 3 }),
    parallelism: fc.integer({ min: 1, max: 3 }),
    records: fc.array(fc.record({ partition: fc.nat(2), key: fc.nat(4), atMs: fc.integer({ min: 0, max: 300 }) }), { minLength: 1, maxLength: 150 }),
    aggregate: fc.constantFrom<Job['aggregate']>('window', 'reduce'),
    sink: fc.constantFrom<Job['sink']>('two-phase-commit', 'idempotent'),
    intervalMs: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 5, max: 100 })),
    alignedCheckpointTimeoutMs: fc.oneof(fc.constant(null), fc.constant(0), fc.integer({ min: 1, max: 50 })),
    throughput: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    networkLatencyMs: fc.constantFrom(1, 1, 3, 10),
    bufferSize: fc.constantFrom(1, 2, 4, 16),
    buffersPerChannel: fc.integer({ min: 1, max: 3 }),
    slow: fc.option(
      fc.record({ subtask: fc.nat(2), factor: fc.integer({ min: 2, max: 50 }), atMs: fc.integer({ min: 0, max: 300 }), forMs: fc.integer({ min: 1, max: 5000 }) }),
      { nil: null },
    ),
    kills: fc.array(
      fc.record({
        operator: fc.constantFrom<Kill['operator']>('src', 'agg', 'agg', 'out'),
        subtask: fc.nat(2),
        at: fc.oneof(fc.record({ ms: fc.integer({ min: 1, max: 3000 }) }), fc.record({ records: fc.integer({ min: 1, max: 150 }) })),
      }),
      { maxLength: 2 },
    ),
  })
  .map((j) => ({ ...j, partitions: Math.max(j.partitions, j.sourceParallelism) }));

function scenarioOf(j: Job, withFaults: boolean): Scenario {
  // Records keep the file's order within a partition, which must be append-only in time.
  const records = j.records
    .map((r, i) => ({ partition: r.partition % j.partitions, key: `k${r.key}`, value: { k: `k${r.key}`, v: i % 7 }, timestamp: r.atMs, at: r.atMs }))
    .sort((a, b) => a.at - b.at);
  const throughput = j.throughput === null ? {} : { throughput: j.throughput };
  const agg =
    j.aggregate === 'window'
      ? { id: 'agg', type: 'window', input: 'byKey', parallelism: j.parallelism, ...throughput, assigner: { type: 'tumbling', size: 50 }, aggregate: 'count' }
      : {
          id: 'agg',
          type: 'process',
          input: 'byKey',
          parallelism: j.parallelism,
          ...throughput,
          state: { sum: { type: 'value', initial: 0 }, n: { type: 'value', initial: 0 } },
          onElement: [{ set: 'sum', to: 'state.sum + v' }, { set: 'n', to: 'state.n + 1' }, { emit: '{k: k, n: state.n}' }],
        };
  const sink = j.sink === 'two-phase-commit' ? { type: 'two-phase-commit', topic: 'results' } : { type: 'idempotent', table: 't', key: j.aggregate === 'window' ? 'key' : 'k' };
  const faults: unknown[] = [];
  if (j.slow !== null) faults.push({ type: 'slow-task', operator: 'agg', subtask: j.slow.subtask % j.parallelism, factor: j.slow.factor, for: j.slow.forMs, at: j.slow.atMs });
  if (withFaults) {
    for (const k of j.kills) {
      const parallelism = k.operator === 'src' ? j.sourceParallelism : j.parallelism;
      faults.push({ type: 'kill-task', operator: k.operator, subtask: k.subtask % parallelism, ...('ms' in k.at ? { at: k.at.ms } : { afterRecords: k.at.records }) });
    }
  }
  const timeout = j.alignedCheckpointTimeoutMs;
  const file = {
    format: 'weir/scenario@1',
    name: 'unaligned consistency',
    seed: j.seed,
    cluster: { networkLatency: j.networkLatencyMs, bufferSize: j.bufferSize, buffersPerChannel: j.buffersPerChannel },
    config: {
      checkpointing: { interval: j.intervalMs, mode: 'exactly-once', ...(timeout === null ? {} : { unaligned: true, alignedCheckpointTimeout: timeout }) },
      restartStrategy: { type: 'fixed-delay', attempts: 10, delay: 10 },
    },
    topics: { in: { partitions: j.partitions, records }, ...(j.sink === 'two-phase-commit' ? { results: { partitions: 1, records: [] } } : {}) },
    job: {
      name: 'keyed aggregate',
      operators: [
        { id: 'src', type: 'source', topic: 'in', parallelism: j.sourceParallelism, watermarks: { strategy: 'monotonous' } },
        { id: 'byKey', type: 'keyBy', input: 'src', key: 'k' },
        agg,
        { id: 'out', type: 'sink', input: 'agg', parallelism: j.parallelism, sink },
      ],
    },
    faults,
  };
  const result = validateScenario(file, 'unaligned-consistency.json');
  if (!result.ok) throw new Error(`invalid generated scenario: ${JSON.stringify(result.issues)}\n${JSON.stringify(file)}`);
  return result.scenario;
}

interface Outcome {
  readonly report: ReturnType<ReturnType<typeof createSimulation>['report']>;
  /** key/state -> value of every subtask of `agg` at the end. */
  readonly state: Record<string, unknown>;
  readonly restarts: number;
}

function run(j: Job, withFaults: boolean): Outcome {
  const sim = createSimulation({ scenario: scenarioOf(j, withFaults), traceLevel: 'summary', untilMs: 5_000_000 });
  sim.run();
  const state: Record<string, unknown> = {};
  for (const task of sim.jobManager.tasks) {
    for (const { operator, entries } of task.keyedState()) for (const e of entries) state[`${operator}/${e.key}/${e.state}`] = e.value;
  }
  const report = sim.report();
  return { report, state, restarts: report.restarts.length };
}

/**
 * A running count's n-th output carries the timestamp of whichever record came n-th, and
 * records of two partitions interleave differently after a restore: only its values are
 * compared. A window's result carries the window's own timestamp and is compared whole.
 */
function oracleRunOf(j: Job, report: Outcome['report']): OracleRun {
  if (j.aggregate === 'window') return report;
  const sinks: Record<string, { committed: { value: JsonValue; timestamp: null }[] }> = {};
  for (const [id, s] of Object.entries(report.sinks)) sinks[id] = { committed: s.committed.map((r) => ({ value: r.value, timestamp: null })) };
  return { ...report, sinks };
}

function check(j: Job): void {
  const reference = run(j, false);
  const faulted = run(j, true);
  const context = `job ${JSON.stringify(j)}`;
  expect(reference.report.status, context).toBe('FINISHED');
  const verdict = createExactlyOnceOracle(oracleRunOf(j, reference.report), { tableSinks: j.sink === 'idempotent' ? ['out'] : [] }).check(oracleRunOf(j, faulted.report));
  expect({ verdict: verdict.holds ? 'holds' : verdict }, context).toEqual({ verdict: 'holds' });
  expect(faulted.state, context).toEqual(reference.state);
}

describe('exactly-once with checkpoints that turn unaligned and checkpoints after tasks finish', () => {
  it(`random small keyed jobs with kills (fast-check seed ${SEED}, ${RUNS} runs; WEIR_FC_SEED=N for others)`, () => {
    fc.assert(fc.property(job, check), { seed: SEED, numRuns: RUNS });
  });

  // The trigger of a task with open inputs places an aligned barrier after the records still
  // queued (InputGate.placeBeforeEnd, from #barrierOnOpenInputs in
  // subtask-checkpoint-coordinator.ts); counted as arrived at once, it lost them.
  it('issue 6: a checkpoint triggered at agg#0 after the source finished on an unaligned final checkpoint covers the records still queued', () => {
    // 100 records at once into a slow agg#0 (1/ms, then 20 times slower): checkpoint 3, the
    // source's final one, turns unaligned at agg#0 with records in flight; the source
    // finishes on its completion while 4 of them are still queued at agg#0. Checkpoint 4 is
    // triggered at agg#0 directly, aligned: its snapshot was taken before those 4 records,
    // with no channel state, and the kill restores from it with the source finished.
    const j: Job = {
      seed: 1,
      partitions: 1,
      sourceParallelism: 1,
      parallelism: 1,
      records: Array.from({ length: 100 }, (_, i) => ({ partition: 0, key: i % 3, atMs: 0 })),
      aggregate: 'reduce',
      sink: 'two-phase-commit',
      intervalMs: 5,
      alignedCheckpointTimeoutMs: 1,
      throughput: 1,
      networkLatencyMs: 1,
      bufferSize: 16,
      buffersPerChannel: 2,
      slow: { subtask: 0, factor: 20, atMs: 0, forMs: 50_000 },
      kills: [{ operator: 'agg', subtask: 0, at: { ms: 1700 } }],
    };
    check(j);
  });
});


