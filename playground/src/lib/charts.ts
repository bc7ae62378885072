/**
 * The small charts under the job graph, as pure functions of a finished run's trace
 * events. Virtual time is cut into equal buckets (a round number
 * of ms, at most `MAX_BUCKETS` of them) and each series has one value per bucket:
 *
 * - throughput: records each sink wrote (`sink.wrote`) in the bucket;
 * - watermark lag: per operator, at the end of the bucket, the newest record timestamp the
 *   job had emitted so far (`record.emitted`) minus the operator's watermark (the lowest
 *   of its subtasks' latest `watermark.advanced`, as Flink's low watermark of an
 *   operator), never below 0; none before the operator's first watermark;
 * - backpressure: the largest number of subtasks back-pressured at once in the bucket
 *   (stopped for want of credit: `task.backpressure` flips each on and off, for its
 *   current attempt), so an episode shorter than a bucket still shows.
 *
 * Consumer lag is not in the trace nor in the samples, only in the report (largest and
 * last per partition), so it is shown as those figures and not drawn.
 */
import type { TraceEvent } from '../../../core/index.ts';

export const MAX_BUCKETS = 40;

export interface ChartSeries {
  readonly label: string;
  /** One value per bucket; null where the series has no value (no watermark yet). */
  readonly values: readonly (number | null)[];
}

export interface RunCharts {
  readonly bucketMs: number;
  /** The end of the time axis: the run's last virtual ms (at least one bucket). */
  readonly endMs: number;
  readonly buckets: number;
  readonly throughput: readonly ChartSeries[];
  readonly watermarkLag: readonly ChartSeries[];
  /** Null when the run has no trace events. */
  readonly backpressure: ChartSeries | null;
  /** How many subtasks the run deployed (the most the backpressure series can reach). */
  readonly subtasks: number;
}

/**
 * The smallest of 1, 2, 5 × 10^k ms that cuts `endMs` into at most `MAX_BUCKETS` buckets.
 *
 * @example
 * bucketSize(8004); // 500 (17 buckets)
 */
export function bucketSize(endMs: number): number {
  for (let scale = 1; ; scale *= 10) {
    for (const m of [1, 2, 5]) {
      const size = m * scale;
      if (Math.ceil(Math.max(endMs, 1) / size) <= MAX_BUCKETS) return size;
    }
  }
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function throughputOf(events: readonly TraceEvent[], bucketMs: number, buckets: number): ChartSeries[] {
  const counts = new Map<string, number[]>();
  for (const e of events) {
    if (e.tag !== 'sink.wrote') continue;
    let row = counts.get(e.sink);
    if (row === undefined) counts.set(e.sink, (row = new Array<number>(buckets).fill(0)));
    row[Math.min(buckets - 1, Math.floor(e.timeMs / bucketMs))]!++;
  }
  return [...counts.keys()].sort(byName).map((sink) => ({ label: sink, values: counts.get(sink)! }));
}

interface OperatorWatermarks {
  /** Per subtask, its latest attempt and that attempt's latest watermark. */
  readonly tasks: Map<string, { attempt: number; watermark: number }>;
  readonly values: (number | null)[];
}

function lowWatermark(op: OperatorWatermarks): number {
  let low = Number.POSITIVE_INFINITY;
  for (const t of op.tasks.values()) low = Math.min(low, t.watermark);
  return low;
}

function watermarkLagOf(events: readonly TraceEvent[], bucketMs: number, buckets: number): ChartSeries[] {
  const ops = new Map<string, OperatorWatermarks>();
  let newest = Number.NEGATIVE_INFINITY;
  let i = 0;
  for (let b = 0; b < buckets; b++) {
    // The last bucket takes every remaining event, so that the run's end is in it.
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : (b + 1) * bucketMs;
    for (; i < events.length && events[i]!.timeMs < end; i++) {
      const e = events[i]!;
      if (e.tag === 'record.emitted' && e.timestamp !== null) newest = Math.max(newest, e.timestamp);
      else if (e.tag === 'watermark.advanced') {
        let op = ops.get(e.operator);
        if (op === undefined) ops.set(e.operator, (op = { tasks: new Map(), values: new Array<number | null>(b).fill(null) }));
        const known = op.tasks.get(e.task);
        // A new attempt starts with a watermark of its own; one of an older attempt no longer counts.
        if (known === undefined || e.attempt >= known.attempt) op.tasks.set(e.task, { attempt: e.attempt, watermark: e.watermark });
      }
    }
    for (const op of ops.values()) {
      op.values.push(newest === Number.NEGATIVE_INFINITY ? null : Math.max(0, newest - lowWatermark(op)));
    }
  }
  return [...ops.keys()].sort(byName).map((operator) => ({ label: operator, values: ops.get(operator)!.values }));
}

function backpressureOf(events: readonly TraceEvent[], bucketMs: number, buckets: number): ChartSeries | null {
  if (events.length === 0) return null;
  const values = new Array<number>(buckets).fill(0);
  /** Per subtask, its latest attempt and whether that attempt is back-pressured. */
  const tasks = new Map<string, { attempt: number; on: boolean }>();
  let now = 0;
  let i = 0;
  for (let b = 0; b < buckets; b++) {
    // A bucket starts with the subtasks still back-pressured from the one before.
    values[b] = now;
    const end = b === buckets - 1 ? Number.POSITIVE_INFINITY : (b + 1) * bucketMs;
    for (; i < events.length && events[i]!.timeMs < end; i++) {
      const e = events[i]!;
      if (e.tag !== 'task.backpressure' && e.tag !== 'task.status') continue;
      const t = tasks.get(e.task) ?? { attempt: e.attempt, on: false };
      if (e.attempt < t.attempt) continue;
      if (e.attempt > t.attempt) {
        // A new attempt starts free (the core ends every episode when its attempt stops; this only guards the count).
        if (t.on) now--;
        t.attempt = e.attempt;
        t.on = false;
      }
      if (e.tag === 'task.backpressure' && e.backPressured !== t.on) {
        t.on = e.backPressured;
        now += t.on ? 1 : -1;
        values[b] = Math.max(values[b]!, now);
      }
      tasks.set(e.task, t);
    }
  }
  return { label: 'all subtasks', values };
}

const subtaskCount = (events: readonly TraceEvent[]): number => new Set(events.flatMap((e) => (e.tag === 'task.status' ? [e.task] : []))).size;

/**
 * The charts of a run that ended at `endMs`.
 *
 * @example
 * const charts = runCharts(run.events, run.report.virtualTime);
 * charts.throughput[0]; // { label: 'out', values: [0, 12, 30, ...] }
 */
export function runCharts(events: readonly TraceEvent[], endMs: number): RunCharts {
  const bucketMs = bucketSize(endMs);
  const buckets = Math.max(1, Math.ceil(endMs / bucketMs));
  return {
    bucketMs,
    endMs: Math.max(endMs, bucketMs * buckets),
    buckets,
    throughput: throughputOf(events, bucketMs, buckets),
    watermarkLag: watermarkLagOf(events, bucketMs, buckets),
    backpressure: backpressureOf(events, bucketMs, buckets),
    subtasks: subtaskCount(events),
  };
}

/** The largest value of some series (0 when they have none), for a chart's y axis. */
export function seriesMax(series: readonly ChartSeries[]): number {
  let max = 0;
  for (const s of series) for (const v of s.values) if (v !== null && v > max) max = v;
  return max;
}
