// Credit-based flow control: a slow operator backpressures its upstream, and nothing is
// lost or reordered on the way (Flink docs: "Monitoring Back Pressure", "Network Stack").
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';

function run(throughput: number | null, buffersPerChannel = 2, eachStep: (sim: ReturnType<typeof createSimulation>) => void = () => {}) {
  const records = Array.from({ length: 1000 }, (_, i) => ({ value: { n: i }, timestamp: i, at: 0 }));
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'slow map',
      cluster: { networkLatency: 1, buffersPerChannel, bufferSize: 16 },
      topics: { t: { partitions: 1, records } },
      job: {
        operators: [
          { id: 'src', type: 'source', topic: 't', watermarks: { strategy: 'monotonous' } },
          { id: 'slow', type: 'map', input: 'src', parallelism: 2, expr: '$', ...(throughput === null ? {} : { throughput }) },
          { id: 'out', type: 'sink', input: 'slow', parallelism: 2, sink: { type: 'print' } },
        ],
      },
    } as JsonValue,
    'test.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary' });
  while (sim.step()) eachStep(sim);
  return { sim, report: sim.report() };
}

describe('backpressure', () => {
  it('a slow operator blocks its upstream, which spends most of the run backpressured', () => {
    const { sim, report } = run(1);
    const src = sim.jobManager.task('src#0')!;
    const slow = report.tasks.filter((t) => t.id.startsWith('slow#'));
    expect(report.status).toBe('FINISHED');
    // Two subtasks at 1 record/ms: 1000 records take about 500 ms (the job ends when the
    // last batch has been handed to the sinks, a little before its processing time is over).
    expect(report.virtualTime).toBeGreaterThanOrEqual(450);
    expect(report.virtualTime).toBeLessThan(600);
    expect(src.metrics.backPressuredMs).toBeGreaterThan(400);
    for (const t of slow) expect(sim.jobManager.task(t.id)!.metrics.busyMs).toBeGreaterThanOrEqual(450);
    expect(report.sinks['out']!.committed).toHaveLength(1000);
  });

  it('without a slow operator nothing is backpressured for long and the job ends quickly', () => {
    const { sim, report } = run(null);
    expect(report.virtualTime).toBeLessThan(100);
    expect(sim.jobManager.task('src#0')!.metrics.backPressuredMs).toBeLessThan(100);
    expect(report.sinks['out']!.committed).toHaveLength(1000);
  });

  it('records of each channel arrive in order, and every buffer of a channel is accounted for after every step', () => {
    for (const credits of [1, 2, 5]) {
      let maxOut = 0;
      const { report } = run(3, credits, (sim) => {
        // Each counted where it lives: buffers on the wire (the producer's bookkeeping),
        // buffers queued at the consumer's input gate, credits on their way back (events on
        // the kernel's agenda) and credits the producer holds. Together they are the buffers.
        const returning = new Map<number, number>();
        for (const { event } of sim.kernel.agenda()) {
          const e = event as { type: string; channel?: number };
          if (e.type === 'channel.credit') returning.set(e.channel!, (returning.get(e.channel!) ?? 0) + 1);
        }
        for (const c of sim.jobManager.channels) {
          const held = sim.jobManager.task(c.to)!.gate.channels[c.inputIndex]!.queue.length;
          expect(c.inFlight.length + held + (returning.get(c.id) ?? 0) + c.credits, `${c.from} -> ${c.to}`).toBe(c.buffers);
          maxOut = Math.max(maxOut, c.inFlight.length + held);
        }
      });
      const bySubtask = new Map<number, number[]>();
      // rebalance alternates subtasks; each subtask's sequence must be increasing.
      for (const r of report.sinks['out']!.committed) {
        const n = (r.value as { n: number }).n;
        const key = n % 2;
        bySubtask.set(key, [...(bySubtask.get(key) ?? []), n]);
      }
      for (const list of bySubtask.values()) expect(list).toEqual([...list].sort((a, b) => a - b));
      // The slow consumer keeps every buffer of its channel busy at some point.
      expect(maxOut).toBe(credits);
    }
  });
});
