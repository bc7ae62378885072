/**
 * The baseline a competent TypeScript programmer writes without any framework: a `for`
 * loop over the input's columns, a `Map` of windows, and a watermark kept by hand. It is
 * the practical upper bound for a single JavaScript thread; every other implementation is
 * reported as a fraction of it.
 *
 * W2's watermark follows Flink's periodic bounded-out-of-orderness generator, emitted
 * after every 1,000th record (WORKLOADS.md allows 1,000 records or 200 ms of virtual time;
 * the baselines count records). W3 routes records by `key % 4` to four independent window
 * operators and broadcasts each watermark to all four, as a Flink source broadcasts
 * watermarks to every downstream channel.
 */
import type { BenchInput } from '../input.ts';
import type { BenchSink } from '../sink.ts';
import {
  W3_PARALLELISM,
  WATERMARK_EVERY_RECORDS,
  WATERMARK_LAG_MS,
  WINDOW_SIZE_MS,
  windowStartOf,
  type Workload,
} from '../workloads.ts';
import type { Implementation } from './types.ts';

function w1(input: BenchInput, sink: BenchSink): void {
  const { n, value } = input;
  for (let i = 0; i < n; i++) {
    const v = value[i]! * 3 + 1;
    if (v % 4 !== 0) sink.value(v);
  }
}

interface Accumulator {
  count: number;
  sum: number;
}

/** One keyed tumbling event-time window operator (count and sum per key and window). */
class TumblingWindowOperator {
  readonly #sink: BenchSink;
  /** Window start -> key -> accumulator. At most a few windows are open at once. */
  readonly #windows = new Map<number, Map<number, Accumulator>>();
  #watermark = -Infinity;

  constructor(sink: BenchSink) {
    this.#sink = sink;
  }

  processRecord(key: number, value: number, ts: number): void {
    const start = windowStartOf(ts, WINDOW_SIZE_MS);
    if (start + WINDOW_SIZE_MS - 1 <= this.#watermark) {
      this.#sink.late();
      return;
    }
    let byKey = this.#windows.get(start);
    if (byKey === undefined) {
      byKey = new Map();
      this.#windows.set(start, byKey);
    }
    const acc = byKey.get(key);
    if (acc === undefined) byKey.set(key, { count: 1, sum: value });
    else {
      acc.count++;
      acc.sum += value;
    }
  }

  /** Fires every window whose end - 1 the watermark has reached. */
  processWatermark(watermark: number): void {
    if (watermark <= this.#watermark) return;
    this.#watermark = watermark;
    for (const [start, byKey] of this.#windows) {
      const end = start + WINDOW_SIZE_MS;
      if (end - 1 > watermark) continue;
      for (const [key, acc] of byKey) this.#sink.window(key, start, end, acc.count, acc.sum);
      this.#windows.delete(start);
    }
  }
}

/**
 * W2 with `parallelism` window operators (1 for W2, 4 for W3). The watermark generator
 * sits before the partitioning, so every operator sees the same watermarks.
 */
function windowed(input: BenchInput, sink: BenchSink, parallelism: number): void {
  const { n, key, value, ts } = input;
  const operators: TumblingWindowOperator[] = [];
  for (let p = 0; p < parallelism; p++) operators.push(new TumblingWindowOperator(sink));
  const single = operators[0]!;
  let maxTs = -Infinity;
  let sinceWatermark = 0;
  for (let i = 0; i < n; i++) {
    const k = key[i]!;
    const t = ts[i]!;
    if (t > maxTs) maxTs = t;
    const operator = parallelism === 1 ? single : operators[((k % parallelism) + parallelism) % parallelism]!;
    operator.processRecord(k, value[i]!, t);
    if (++sinceWatermark === WATERMARK_EVERY_RECORDS) {
      sinceWatermark = 0;
      for (const op of operators) op.processWatermark(maxTs - WATERMARK_LAG_MS);
    }
  }
  // End of input: Flink's final watermark (Long.MAX_VALUE) fires every remaining window.
  for (const op of operators) op.processWatermark(Infinity);
}

export const plain: Implementation = {
  name: 'plain',
  description: 'a plain TypeScript loop over the input columns (the practical limit)',
  run(workload: Workload, input: BenchInput, sink: BenchSink): void {
    switch (workload) {
      case 'W1':
        return w1(input, sink);
      case 'W2':
        return windowed(input, sink, 1);
      case 'W3':
        return windowed(input, sink, W3_PARALLELISM);
    }
  },
};
