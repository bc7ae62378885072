/**
 * What a `dedup` operator tells the run report: how it remembers keys (a Bloom filter of
 * so many bits, or an exact set), the memory that takes, how many distinct keys it has
 * seen, how many records it dropped and how many of those were false positives. Like
 * Flink's metric groups, the numbers live outside the operator instances, so they survive
 * a failover and every subtask of the operator adds to the same entry.
 *
 * `dropped` and `falsePositives` are counters over all attempts: records replayed after a
 * restore are counted again, as Flink's numRecordsIn counts them. The distinct keys and
 * the exact set's size are gauges, kept per key group and written by the subtask that owns
 * the group now: a restored or rescaled subtask writes its key groups' restored values, so
 * the gauge always reflects the live state and not the sum of all attempts.
 */
import { assert } from '../kernel/index.ts';

export type DedupMode = 'bloom' | 'exact';

/** How one dedup operator remembers keys, as it declares itself. */
export interface DedupShape {
  readonly mode: DedupMode;
  /** The filter's bits over all key groups; null for an exact set. */
  readonly bits: number | null;
  readonly hashFunctions: number | null;
  /** The filter's memory (its bits, in whole 32-bit words); null for an exact set, whose memory is its estimated size. */
  readonly filterBytes: number | null;
  readonly maxParallelism: number;
}

export class DedupMetrics {
  /** Records dropped as already seen, over all attempts. */
  dropped = 0;
  /** Records a Bloom filter dropped whose key had never been seen, over all attempts. */
  falsePositives = 0;
  readonly #keys: Float64Array;
  readonly #bytes: Float64Array;

  constructor(readonly shape: DedupShape) {
    this.#keys = new Float64Array(shape.maxParallelism);
    this.#bytes = new Float64Array(shape.maxParallelism);
  }

  /** A new key arrived in `keyGroup`; an exact set would hold it in `bytes`. */
  addKey(keyGroup: number, bytes: number): void {
    this.#keys[keyGroup]! += 1;
    this.#bytes[keyGroup]! += bytes;
  }

  /** The owner of `keyGroup` (re)starts it with what its state holds, e.g. after a restore. */
  setKeyGroup(keyGroup: number, keys: number, bytes: number): void {
    this.#keys[keyGroup] = keys;
    this.#bytes[keyGroup] = bytes;
  }

  /** Distinct keys seen, in the live state. */
  get keysSeen(): number {
    return this.#keys.reduce((a, b) => a + b, 0);
  }

  /** What an exact set of the keys seen would take (see docs/dedup.md for the estimate). */
  get exactSetBytes(): number {
    return this.#bytes.reduce((a, b) => a + b, 0);
  }

  /** The memory the operator's way of remembering takes: the filter's, or the exact set's. */
  get memoryBytes(): number {
    return this.shape.filterBytes ?? this.exactSetBytes;
  }
}

/** The dedup operators of a run, by operator id. */
export class DedupRegistry {
  readonly #byOperator = new Map<string, DedupMetrics>();

  /** The metrics of `operatorId`, made on first use; every subtask and attempt gets the same object. */
  declare(operatorId: string, shape: DedupShape): DedupMetrics {
    let metrics = this.#byOperator.get(operatorId);
    if (metrics === undefined) {
      this.#byOperator.set(operatorId, (metrics = new DedupMetrics(shape)));
    } else {
      const s = metrics.shape;
      assert(s.mode === shape.mode && s.bits === shape.bits && s.maxParallelism === shape.maxParallelism, () => `dedup '${operatorId}' declared twice with different shapes`);
    }
    return metrics;
  }

  /** Operator ids in sorted order with their metrics, as the report shows them. */
  entries(): [string, DedupMetrics][] {
    return [...this.#byOperator.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
