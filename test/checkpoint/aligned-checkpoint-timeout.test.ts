/**
 * Aligned checkpoints with `alignedCheckpointTimeout`, after Flink's AlignedCheckpointTimeoutTest
 * and AlternatingCheckpointsTest (testTimeoutAlignment, testTimeoutAlignmentOnFirstBarrier,
 * testSavepointHandling): a timeoutable barrier that reaches an input channel is announced on
 * the priority lane, so the subtask starts the timeout before it has read the data queued in
 * front of the barrier; once the timeout has passed, the barrier overtakes that data, which
 * becomes channel state. A barrier still in the producer's output buffer is sent on with
 * priority at the same timeout. Without a timeout nothing is announced; a savepoint stays aligned.
 *
 * The job: `enrich` processes one record per ms, and 900 records arrive at t=0, enough to fill
 * `enrich`'s 64 buffers of 16 (so the records are queued at `enrich`, not at the source);
 * checkpoint 1 is triggered at t=100, and its barrier queues behind what `enrich` has not read.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue, type Scenario, type Simulation, type TraceEvent } from '../../core/index.ts';
import { BarrierAnnouncement } from '../../core/runtime/elements.ts';
import { shippedScenarios } from '../scenarios/shipped.ts';

interface Setup {
  /** null: plain aligned checkpoints (`unaligned` off). */
  readonly timeoutMs: number | null;
  /** Source subtasks; with 2, all records are in partition 0, so `enrich` has one backlogged channel and one empty. */
  readonly sources?: 1 | 2;
  readonly savepointAtMs?: number;
}

function scenarioOf({ timeoutMs, sources = 1, savepointAtMs }: Setup): Scenario {
  const checkpointing = timeoutMs === null ? { interval: savepointAtMs === undefined ? 100 : 100_000, unaligned: false } : { interval: savepointAtMs === undefined ? 100 : 100_000, unaligned: true, alignedCheckpointTimeout: timeoutMs };
  const json = {
    format: 'weir/scenario@1',
    name: 'barrier behind a queue',
    seed: 3,
    cluster: { taskManagers: 1, slotsPerTaskManager: 4, networkLatency: 1, buffersPerChannel: 64, bufferSize: 16 },
    config: { parallelism: 1, checkpointing },
    topics: { readings: { partitions: sources, generator: { count: 900, interval: 0, keys: sources === 1 ? 3 : 1, value: '{sensor: key, c: r % 13}' } } },
    job: {
      name: 'slow enrichment',
      operators: [
        { id: 'readings', type: 'source', topic: 'readings', parallelism: sources, watermarks: { strategy: 'none' } },
        { id: 'bySensor', type: 'keyBy', input: 'readings', key: 'sensor' },
        { id: 'enrich', type: 'map', input: 'bySensor', throughput: 1, expr: '{sensor: sensor, f: c * 2}' },
        { id: 'out', type: 'sink', input: 'enrich', sink: { type: 'print' } },
      ],
    },
    ...(savepointAtMs === undefined ? {} : { actions: [{ at: savepointAtMs, type: 'savepoint' }] }),
  };
  const result = validateScenario(json as unknown as JsonValue, 'aligned-checkpoint-timeout');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
}

interface Observed {
  readonly sim: Simulation;
  readonly events: readonly TraceEvent[];
  /** Announcements seen on `enrich#0`'s priority lanes, by checkpoint. */
  readonly announced: Set<number>;
  /** Records in enrich#0's channel state of checkpoint 1: what its barrier overtook (null: checkpoint 1 never completed). */
  readonly overtook: number | null;
}

/** Runs step by step, watching enrich#0's input gate. */
function observe(setup: Setup): Observed {
  const sim = createSimulation({ scenario: scenarioOf(setup), traceLevel: 'summary' });
  const announced = new Set<number>();
  let overtook: number | null = null;
  while (sim.step()) {
    const enrich = sim.jobManager.tasks.find((t) => t.id === 'enrich#0' && t.active);
    for (const input of enrich?.gate.channels ?? []) for (const e of input.priority) if (e instanceof BarrierAnnouncement) announced.add(e.barrier.id);
    const first = sim.jobManager.coordinator?.retained.find((c) => c.id === 1);
    if (overtook === null && first !== undefined) overtook = first.tasks.get('enrich#0')!.channelState.reduce((n, c) => n + c.records.length, 0);
  }
  return { sim, events: sim.trace.events, announced, overtook };
}

const at = (o: Observed, task: string, checkpoint: number) =>
  o.events.filter((e) => (e.tag === 'barrier.aligned' || e.tag === 'barrier.received') && e.task === task && e.checkpoint === checkpoint) as (TraceEvent & { tag: 'barrier.aligned' | 'barrier.received' })[];
const checkpoint = (o: Observed, id: number) => o.sim.report().checkpoints.find((c) => c.id === id)!;

describe('a barrier queued behind backpressured data', () => {
  const plain = observe({ timeoutMs: null });
  const timed = observe({ timeoutMs: 20 });

  it('without a timeout, waits its turn: checkpoint 1 is aligned and completes only when the queue in front of the barrier is processed', () => {
    const [aligned] = at(plain, 'enrich#0', 1).filter((e) => e.tag === 'barrier.aligned');
    expect(aligned).toMatchObject({ unaligned: false });
    expect(checkpoint(plain, 1).completedAt! - checkpoint(plain, 1).triggeredAt).toBeGreaterThan(700);
  });

  it('with a timeout, is announced, switches to unaligned before it is read, and overtakes the queue (testTimeoutAlignmentOnFirstBarrier)', () => {
    expect(timed.announced.has(1)).toBe(true);
    // The snapshot is taken before the barrier is read: first barrier.aligned (unaligned), then barrier.received.
    expect(at(timed, 'enrich#0', 1).map((e) => (e.tag === 'barrier.aligned' ? `aligned unaligned=${e.unaligned}` : 'received'))).toEqual(['aligned unaligned=true', 'received']);
    // Hundreds of records were still queued in front of the barrier: they are the checkpoint's channel state.
    expect(timed.overtook).toBeGreaterThan(100);
    expect(plain.overtook).toBe(0);
    const c1 = checkpoint(timed, 1);
    expect(c1.status).toBe('COMPLETED');
    expect(c1.completedAt!).toBeLessThan(checkpoint(plain, 1).completedAt! - 300);
    expect(c1.stateSize).toBeGreaterThan(checkpoint(plain, 1).stateSize + 10_000);
  });

  it('on one of two channels, the other barrier read at once: the queued barrier overtakes its queue rather than waiting for it (testTimeoutAlignment)', () => {
    const plain2 = observe({ timeoutMs: null, sources: 2 });
    const timed2 = observe({ timeoutMs: 20, sources: 2 });
    expect(at(timed2, 'enrich#0', 1).find((e) => e.tag === 'barrier.aligned')).toMatchObject({ unaligned: true });
    expect(timed2.overtook).toBeGreaterThan(100);
    expect(checkpoint(timed2, 1).completedAt!).toBeLessThan(checkpoint(plain2, 1).completedAt! - 300);
    expect(checkpoint(timed2, 1).stateSize).toBeGreaterThan(checkpoint(plain2, 1).stateSize + 10_000);
  });
});

describe('announcements', () => {
  it('are made only with a timeout: none for aligned checkpoints, none for unaligned ones without a timeout', () => {
    expect(observe({ timeoutMs: null }).announced.size).toBe(0);
    expect(observe({ timeoutMs: 0 }).announced.size).toBe(0);
    expect(observe({ timeoutMs: 20 }).announced.size).toBeGreaterThan(0);
  });

  it('never for a savepoint: it stays aligned behind the queue, whatever the timeout (testSavepointHandling)', () => {
    const o = observe({ timeoutMs: 20, savepointAtMs: 100 });
    const savepoint = o.sim.report().checkpoints.find((c) => c.savepoint)!;
    expect(o.announced.has(savepoint.id)).toBe(false);
    expect(savepoint.status).toBe('COMPLETED');
    expect(at(o, 'enrich#0', savepoint.id).find((e) => e.tag === 'barrier.aligned')).toMatchObject({ unaligned: false });
    expect(savepoint.completedAt! - savepoint.triggeredAt).toBeGreaterThan(700);
  });
});

describe('a barrier still in the producer\'s output buffer', () => {
  it('is sent on with priority at the timeout, so a checkpoint under backpressure takes about as long as an unaligned one', () => {
    const base = shippedScenarios().find((s) => s.name === 'checkpoints-aligned-under-backpressure')!.scenario;
    const run = (alignedCheckpointTimeoutMs: number, unaligned: boolean) => {
      const sim = createSimulation({ scenario: { ...base, config: { ...base.config, checkpointing: { ...base.config.checkpointing!, unaligned, alignedCheckpointTimeoutMs } } }, traceLevel: 'summary' });
      sim.run();
      return sim.report().checkpoints.slice(0, 2).map((c) => c.completedAt! - c.triggeredAt);
    };
    const aligned = run(0, false);
    const unaligned = run(0, true);
    const timed = run(5, true);
    for (let i = 0; i < 2; i++) {
      // Aligned, the barrier waits behind the backlog; unaligned, it overtakes at once (1 ms steps at the slow subtask).
      expect(aligned[i]!).toBeGreaterThan(50);
      expect(aligned[i]!).toBeGreaterThan(10 * unaligned[i]!);
      // With a 5 ms timeout it goes on with priority once the 5 ms are over, and not later than 5 ms after an unaligned one.
      expect(timed[i]!).toBeGreaterThanOrEqual(5);
      expect(timed[i]!).toBeLessThanOrEqual(unaligned[i]! + 5);
    }
  });
});
