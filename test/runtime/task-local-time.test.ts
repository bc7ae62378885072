// A subtask's own time: processing is instantaneous on the kernel's clock and charged as
// busy time after each mailbox step, so a checkpoint a subtask acknowledges between two
// steps is acknowledged once the records of the last step have been processed, and not
// later. Here a source chained to a map that takes 1 ms per record reads a whole batch in
// its first step; the trigger of checkpoint 1 reaches it while it is still busy with that
// batch, and the checkpoint completes when the batch is done (plus the way to the
// JobManager), not when twice the batch would be. A new attempt keeps the subtask's
// counters, but none of the earlier attempts' records is its own to process.
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';
import { TASK_BATCH } from '../../core/runtime/index.ts';

const LATENCY_MS = 1;

function run(records: number, intervalMs: number) {
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
          { id: 'slow', type: 'map', input: 'src', throughput: 1, expr: '$' },
          { id: 'out', type: 'sink', input: 'slow', sink: { type: 'print' } },
        ],
      },
    } as JsonValue,
    'busy.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary' });
  sim.run();
  return sim;
}

describe("a subtask's own time", () => {
  it('a checkpoint acknowledged between two steps completes when the processing of the last step is done', () => {
    const sim = run(TASK_BATCH, 100);
    const src = sim.jobManager.task('src#0')!;
    // One step read every record: the chain was busy for one ms per record from 0.
    expect(src.metrics.recordsIn).toBe(TASK_BATCH);
    expect(src.metrics.busyMs).toBe(TASK_BATCH);
    const triggered = sim.trace.events.find((e) => e.tag === 'checkpoint.triggered' && e.checkpoint === 1);
    const completed = sim.trace.events.find((e) => e.tag === 'checkpoint.completed' && e.checkpoint === 1);
    // The trigger came while the batch was still being processed, so this is the case under test.
    expect(triggered!.timeMs).toBeLessThan(src.metrics.busyMs);
    // The source's acknowledgement leaves when its busy time ends, and travels for the network's latency; the sink's came earlier.
    expect(completed!.timeMs).toBe(src.metrics.busyMs + LATENCY_MS);
  });

  it('a checkpoint triggered two steps later counts each step once', () => {
    // Two batches: the second step starts when the first is processed, and checkpoint 1 is triggered during the second.
    const sim = run(2 * TASK_BATCH, TASK_BATCH + 100);
    const src = sim.jobManager.task('src#0')!;
    expect(src.metrics.busyMs).toBe(2 * TASK_BATCH);
    const triggered = sim.trace.events.find((e) => e.tag === 'checkpoint.triggered' && e.checkpoint === 1);
    const completed = sim.trace.events.find((e) => e.tag === 'checkpoint.completed' && e.checkpoint === 1);
    expect(triggered!.timeMs).toBeGreaterThan(TASK_BATCH);
    expect(triggered!.timeMs).toBeLessThan(2 * TASK_BATCH);
    expect(completed!.timeMs).toBe(2 * TASK_BATCH + LATENCY_MS);
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
