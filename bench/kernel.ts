/**
 * Micro-benchmarks of Weir's own machinery, reported beside W1–W3 with impl `weir`:
 *
 * - `kernel.schedule`: N events at random times scheduled on a `Kernel` and run to the end
 *   (schedule + pop + dispatch), through the public API only. eventsPerSec is N over the
 *   whole time; the checksum folds the virtual times the handler sees, so a change in
 *   ordering shows as a change of checksum, and the handler asserts time never goes back.
 * - `kernel.trace.off|summary|full`: the cost of emitting one per-record trace event
 *   (`record.emitted`, a `full`-level tag) at each trace level, event construction
 *   included, as a caller that does not check `trace.full` first would pay it.
 *   `nsPerEvent` is the figure to read.
 */
import type { TraceLevel } from '../core/index.ts';
import { Kernel, TraceLog, type KernelEvent } from '../core/testing.ts';
import type { KernelWorkload } from './workloads.ts';

export interface KernelMeasurement {
  readonly ms: number;
  readonly checksum: number;
  /** Extra fields for the benchmark line. */
  readonly extra: Readonly<Record<string, number | string>>;
}

const TICK: KernelEvent = Object.freeze({ type: 'bench.tick' });

function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Random times in [0, n), drawn before timing from the kernel's own seeded stream. */
function randomTimes(kernel: Kernel, n: number): Int32Array {
  const stream = kernel.random.stream('bench.schedule');
  const times = new Int32Array(n);
  const max = Math.max(0, n - 1);
  for (let i = 0; i < n; i++) times[i] = stream.int(0, max);
  return times;
}

function scheduleBench(n: number): KernelMeasurement {
  const kernel = new Kernel({ seed: 1, limits: { maxSteps: n + 1, maxQueueSize: n + 1 } });
  const times = randomTimes(kernel, n);
  let h = 0;
  let last = -Infinity;
  kernel.on(TICK.type, () => {
    const t = kernel.clock.nowMs;
    if (t < last) throw new Error(`kernel.schedule: virtual time went back from ${last} to ${t}`);
    last = t;
    h = (Math.imul(h, 31) + t) >>> 0;
  });
  const t0 = nowMs();
  for (let i = 0; i < n; i++) kernel.schedule(times[i]!, 0, TICK);
  const t1 = nowMs();
  kernel.run();
  const t2 = nowMs();
  if (kernel.steps !== n) throw new Error(`kernel.schedule: ran ${kernel.steps} events, scheduled ${n}`);
  return { ms: t2 - t0, checksum: h, extra: { scheduleMs: round3(t1 - t0), runMs: round3(t2 - t1) } };
}

function traceBench(level: TraceLevel, n: number): KernelMeasurement {
  const trace = new TraceLog({ level, maxEvents: n + 1 });
  const t0 = nowMs();
  for (let i = 0; i < n; i++) {
    trace.emit({ tag: 'record.emitted', timeMs: i, task: 'map#0', attempt: 1, operator: 'map', value: i, timestamp: i });
  }
  const ms = nowMs() - t0;
  const hash = trace.hash();
  // The first 8 hex digits of the trace hash: same level and N, same checksum.
  return { ms, checksum: parseInt(hash.slice(0, 8), 16), extra: { nsPerEvent: round3((ms * 1e6) / Math.max(1, n)), recorded: trace.count, traceHash: hash } };
}

/** Runs one kernel micro-benchmark on `n` events. */
export function runKernelBench(workload: KernelWorkload, n: number): KernelMeasurement {
  switch (workload) {
    case 'kernel.schedule':
      return scheduleBench(n);
    case 'kernel.trace.off':
      return traceBench('off', n);
    case 'kernel.trace.summary':
      return traceBench('summary', n);
    case 'kernel.trace.full':
      return traceBench('full', n);
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
