/**
 * What the sinks have committed by a point of a run, folded from the trace alone: the
 * number `weir run --until MS` reports as committed, computed from the events up to MS, so
 * a view can stand at any time of a finished run without running it again. Writes of
 * print, at-least-once, write-ahead-log and idempotent sinks count when they happen. Writes
 * in a transaction count once their transaction (id and producer epoch) has committed, and
 * only up to the partition's last stable offset: a `read_committed` reader reads no record
 * beyond the first one of a transaction still open, committed or not, as Kafka's consumer.
 */
import type { TraceEvent } from '../trace/index.ts';

interface Entry {
  readonly sink: string;
  /** `id/epoch` of the transaction it was written in, or null. */
  readonly transaction: string | null;
}

export class CommittedOutputFold {
  /** Records of sinks without a topic (print, idempotent), per sink. */
  readonly #direct = new Map<string, number>();
  /** Per `topic/partition`, the records in offset order. */
  readonly #partitions = new Map<string, Entry[]>();
  readonly #status = new Map<string, 'OPEN' | 'COMMITTED' | 'ABORTED'>();
  readonly #sinks = new Set<string>();

  apply(event: TraceEvent): void {
    if (event.tag === 'sink.wrote') {
      this.#sinks.add(event.sink);
      if (event.topic === undefined) {
        this.#direct.set(event.sink, (this.#direct.get(event.sink) ?? 0) + 1);
        return;
      }
      const key = `${event.topic}\u0000${event.partition ?? 0}`;
      let list = this.#partitions.get(key);
      if (list === undefined) this.#partitions.set(key, (list = []));
      const transaction = event.transactionalId === undefined ? null : `${event.transactionalId}\u0000${event.epoch ?? 0}`;
      list.push({ sink: event.sink, transaction });
      if (transaction !== null && !this.#status.has(transaction)) this.#status.set(transaction, 'OPEN');
    } else if (event.tag === 'log.transaction') {
      this.#status.set(`${event.transactionalId}\u0000${event.epoch}`, event.status);
    }
  }

  /** Committed records per sink that has written anything, in sink order. */
  counts(): Map<string, number> {
    const out = new Map<string, number>([...this.#sinks].sort().map((s) => [s, this.#direct.get(s) ?? 0]));
    for (const list of this.#partitions.values()) {
      for (const entry of list) {
        const status = entry.transaction === null ? 'COMMITTED' : this.#status.get(entry.transaction)!;
        if (status === 'OPEN') break; // the last stable offset
        if (status === 'COMMITTED') out.set(entry.sink, out.get(entry.sink)! + 1);
      }
    }
    return out;
  }

  /** All sinks together. */
  total(): number {
    let n = 0;
    for (const c of this.counts().values()) n += c;
    return n;
  }
}

/**
 * @example
 * committedBy(sim.trace.events, 2500) // committed records of every sink, all together, by t=2500
 */
export function committedBy(events: readonly TraceEvent[], timeMs: number): number {
  const fold = new CommittedOutputFold();
  for (const e of events) {
    if (e.timeMs > timeMs) break;
    fold.apply(e);
  }
  return fold.total();
}
