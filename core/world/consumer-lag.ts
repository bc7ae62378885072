/**
 * Consumer lag, as Kafka reports it for a consumer group: per partition, how many records
 * have been appended that the source has not read yet. When traffic peaks faster than the
 * job consumes, the log absorbs the peak: lag rises while backpressure slows the source,
 * then falls as the job catches up, and nothing is lost. The sources sample their lag as
 * they read and at each watermark interval; this keeps, per partition, the largest lag
 * seen and when, and the last sample.
 */
export interface PartitionLag {
  readonly partition: number;
  /** The largest lag sampled, in records. */
  readonly max: number;
  /** When it was sampled (virtual ms). */
  readonly maxAt: number;
  /** The last lag sampled. */
  readonly last: number;
}

export class ConsumerLag {
  readonly #topics = new Map<string, Map<number, { max: number; maxAt: number; last: number }>>();

  sample(topic: string, partition: number, lag: number, atMs: number): void {
    let partitions = this.#topics.get(topic);
    if (partitions === undefined) this.#topics.set(topic, (partitions = new Map()));
    const p = partitions.get(partition);
    if (p === undefined) partitions.set(partition, { max: lag, maxAt: atMs, last: lag });
    else {
      if (lag > p.max) {
        p.max = lag;
        p.maxAt = atMs;
      }
      p.last = lag;
    }
  }

  /** Topics in sorted order, each with its partitions in order. */
  entries(): [string, PartitionLag[]][] {
    return [...this.#topics.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([topic, partitions]) => [topic, [...partitions.entries()].sort(([a], [b]) => a - b).map(([partition, p]) => ({ partition, ...p }))]);
  }
}
