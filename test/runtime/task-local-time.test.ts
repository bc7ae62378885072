// A subtask's own time: processing is instantaneous on the kernel's clock and charged as
// busy time after each mailbox step. A chain with a throughput limit takes about one ms of
// records per step, so a checkpoint trigger that comes while it is busy is taken between
// records, as Flink's mailbox does, not after a whole batch. Here a source chained to a map
// that takes 1 ms per record has a backlog of a whole batch; checkpoint 1 is triggered at
// t=100 and completes a few ms later. Short steps do not round a rate down: at 1.5 records
// per ms, 600 records take 400 ms. A new attempt keeps the subtask's counters, but none of
// the earlier attempts' records is its own to process.
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type FaultSpec, type JsonValue } from '../../core/index.ts';
import { TASK_BATCH } from '../../core/runtime/index.ts';

const LATENCY_MS = 1;

function run(records: number, intervalMs: number, throughput = 1, faults: FaultSpec[] = []) {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'busy source',
      cluster: { networkLatency: LATENCY_MS },
      config: { parallelism: 1, checkpointing: { interval: intervalMs } },
      topics: { t: { partitions: 1, generator: { count: records, interval: 0, keys: 1, outOfOrderness: 0, value: '{n: r}' } } },
      job: {
        operators: [
          { id: 'src', type: 'source', topic: 't', watermarks: { strategy: 'none' } },
          { id: 'slow', type: 'map', input: 'src', throughput, expr: '$' },
          { id: 'out', type: 'sink', input: 'slow', sink: { type: 'print' } },
        ],
      },
    } as JsonValue,
    'busy.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary', faults });
  sim.run();
  return sim;
}

describe("a subtask's own time", () => {
  it('a checkpoint triggered while a slow chain works through its backlog is taken between records, not after a batch', () => {
    const sim = run(TASK_BATCH, 100);
    const src = sim.jobManager.task('src#0')!;
    // Every record charged once: the chain was busy for one ms per record from 0.
    expect(src.metrics.recordsIn).toBe(TASK_BATCH);
    expect(src.metrics.busyMs).toBe(TASK_BATCH);
    const triggered = sim.trace.events.find((e) => e.tag === 'checkpoint.triggered' && e.checkpoint === 1)!;
    const completed = sim.trace.events.find((e) => e.tag === 'checkpoint.completed' && e.checkpoint === 1)!;
    expect(triggered.timeMs).toBe(100);
    // The record in progress, the way to the JobManager, and the sink's acknowledgement behind the barrier.
    expect(completed.timeMs).toBeLessThanOrEqual(triggered.timeMs + 2 + 2 * LATENCY_MS);
    // The backlog was still being processed when the checkpoint completed.
    expect(completed.timeMs).toBeLessThan(src.metrics.busyMs);
  });

  it('short steps keep a fractional rate: 1.5 records per ms take 2 ms for every 3 records', () => {
    // 3 records per ms, slowed by a factor 2 from the start: 1.5 records per ms, one record per step.
    const slow: FaultSpec = { type: 'slow-task', operator: 'slow', subtask: 0, factor: 2, forMs: 100_000, atMs: 0, afterRecords: null, path: '$.faults[0]' };
    const sim = run(2 * TASK_BATCH, 10_000, 3, [slow]);
    const src = sim.jobManager.task('src#0')!;
    expect(src.metrics.recordsIn).toBe(2 * TASK_BATCH);
    expect(src.metrics.busyMs).toBe(Math.ceil((2 * TASK_BATCH) / 1.5));
    const last = sim.trace.events.filter((e) => e.tag === 'task.status' && e.task === 'src#0' && e.status === 'FINISHED')[0]!;
    expect(last.timeMs).toBeGreaterThanOrEqual(Math.ceil((2 * TASK_BATCH) / 1.5));
  });

  it('overlapping slow-task faults multiply, and each end takes back only its own factor', () => {
    const slow = (at: number, index: number): FaultSpec => ({ type: 'slow-task', operator: 'slow', subtask: 0, factor: 2, forMs: 40, atMs: at, afterRecords: null, path: `$.faults[${index}]` });
    const alone = run(300, 10_000).jobManager.task('src#0')!.metrics.busyMs;
    expect(alone).toBe(300);
    // 2x from 0 to 40 and 2x from 20 to 60: 0.5 records per ms to 20, 0.25 from 20 to 40, 0.5 to 60, then 1 again.
    const src = run(300, 10_000, 1, [slow(0, 0), slow(20, 1)]).jobManager.task('src#0')!;
    expect(src.throughput).toBe(1);
    // Records by 60: 10 (0.5/ms to 20) + 5 (0.25/ms to 40) + 10 (0.5/ms to 60); the other 275 at 1 per ms.
    expect(src.metrics.busyMs).toBe(60 + 275);
  });

  it('a rate below one record per ms finishes the record in progress: a step holds one record, charged 2 ms at 0.5 per ms', () => {
    const halved: FaultSpec = { type: 'slow-task', operator: 'slow', subtask: 0, factor: 2, forMs: 100_000, atMs: 0, afterRecords: null, path: '$.faults[0]' };
    const sim = run(100, 10, 1, [halved]);
    const src = sim.jobManager.task('src#0')!;
    expect(src.metrics.busyMs).toBe(200);
    // Checkpoints every 10 ms: each is taken between two records, so within 2 ms of its trigger plus the way back.
    const completed = sim.report().checkpoints.filter((c) => c.status === 'COMPLETED' && c.triggeredAt < 190);
    expect(completed.length).toBeGreaterThan(10);
    for (const c of completed) expect(c.completedAt! - c.triggeredAt).toBeLessThanOrEqual(2 + 2 * LATENCY_MS);
  });

  it("a new attempt does not count the earlier attempts' records (a finished-on-restore source acknowledges without a step)", () => {
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'finished busy source',
        cluster: { networkLatency: LATENCY_MS },
        config: { parallelism: 1, checkpointing: { interval: 100 }, restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 10 } },
        topics: {
          t: { partitions: 1, generator: { count: TASK_BATCH, interval: 0, keys: 1, outOfOrderness: 0, value: '{n: r}' } },
          u: { partitions: 1, generator: { count: 1500, interval: 1, keys: 1, outOfOrderness: 0, value: '{n: r}' } },
        },
        job: {
          operators: [
            { id: 'src', type: 'source', topic: 't', watermarks: { strategy: 'none' } },
            { id: 'slow', type: 'map', input: 'src', throughput: 1, expr: '$' },
            { id: 'long', type: 'source', topic: 'u', watermarks: { strategy: 'none' } },
            { id: 'both', type: 'union', input: ['slow', 'long'] },
            { id: 'out', type: 'sink', input: 'both', sink: { type: 'print' } },
          ],
        },
      } as JsonValue,
      'finished.json',
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary', faults: [{ type: 'kill-task', operator: 'out', subtask: 0, atMs: 1000, afterRecords: null, path: '$.faults[0]' }] });
    sim.run();
    const events = sim.trace.events;
    const srcFinished = events.find((e) => e.tag === 'task.status' && e.task === 'src#0' && e.status === 'FINISHED')!.timeMs;
    const restored = events.find((e) => e.tag === 'job.restored');
    expect(restored).toBeDefined();
    // src#0 had finished at the checkpoint restored from: its second attempt runs no step, and takes no time to acknowledge.
    expect(sim.jobManager.task('src#0')!.attempt).toBe(2);
    const completed = events.filter((e) => e.tag === 'checkpoint.completed');
    const before = completed.filter((e) => e.timeMs > srcFinished && e.timeMs < restored!.timeMs).map((e) => e.durationMs);
    const after = completed.find((e) => e.timeMs > restored!.timeMs)!;
    expect(before.length).toBeGreaterThan(0);
    expect(after.durationMs).toBeLessThanOrEqual(Math.max(...before));
  });
});
