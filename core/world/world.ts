/**
 * The outside world of a run: everything a job writes to that is not the job. The log
 * (topics with transactions), the tables of idempotent sinks, the store of a write-ahead
 * log's committer, the lines a print sink wrote, and side outputs. It belongs to the
 * simulation and outlives every attempt of every task, as Kafka and a database outlive a
 * Flink job's failover; the run report reads each sink's output from here.
 */
import type { Kernel } from '../kernel/index.ts';
import type { TraceLog } from '../trace/index.ts';
import { CommitterStore } from './committer-store.ts';
import { ConsumerLag } from './consumer-lag.ts';
import { DedupRegistry } from './dedup-metrics.ts';
import { TransactionalLog, type WrittenRecord } from './log.ts';
import { Tables } from './tables.ts';

/** Where a sink writes, which decides what its report shows. */
export type SinkTarget =
  | { readonly kind: 'print' }
  | { readonly kind: 'topic'; readonly topic: string }
  | { readonly kind: 'table'; readonly table: string };

/** A sink's output as a reader of the outside world sees it. */
export interface SinkOutput {
  /** What a `read_committed` reader sees, in (partition, offset) order; every write, in order, for a print or table sink. */
  readonly committed: WrittenRecord[];
  /** Written but not visible to `read_committed`: in open or aborted transactions, or beyond the last stable offset. */
  readonly uncommitted: WrittenRecord[];
}

export class World {
  readonly log: TransactionalLog;
  readonly tables = new Tables();
  readonly committer = new CommitterStore();
  /** How far each source is behind the topics it reads. */
  readonly consumerLag = new ConsumerLag();
  /** What each dedup operator reports (its memory, drops and false positives), across attempts. */
  readonly dedup = new DedupRegistry();
  readonly #sinks = new Map<string, SinkTarget>();
  /** Every record a print or table sink wrote, in order. */
  readonly #written = new Map<string, WrittenRecord[]>();
  readonly #sideOutputs = new Map<string, WrittenRecord[]>();

  constructor(kernel: Kernel, trace: TraceLog) {
    this.log = new TransactionalLog(kernel, trace);
  }

  /** Makes sure a sink shows up in the report even if it writes nothing. */
  declareSink(sinkId: string, target: SinkTarget): void {
    if (this.#sinks.has(sinkId)) return;
    this.#sinks.set(sinkId, target);
    if (target.kind !== 'topic') this.#written.set(sinkId, []);
    if (target.kind === 'table') this.tables.declare(target.table);
  }

  /** A line of a print sink (or any sink without a target of its own). */
  print(sinkId: string, record: WrittenRecord): void {
    this.declareSink(sinkId, { kind: 'print' });
    this.#written.get(sinkId)!.push(record);
  }

  /** An idempotent sink's upsert: the row `key` of its table becomes the record's value. */
  upsert(sinkId: string, table: string, key: Parameters<Tables['upsert']>[1], record: WrittenRecord): void {
    this.declareSink(sinkId, { kind: 'table', table });
    this.#written.get(sinkId)!.push(record);
    this.tables.upsert(table, key, record.value);
  }

  /** Records sent to a side output (e.g. late data), by tag. */
  writeSideOutput(tag: string, record: WrittenRecord): void {
    let list = this.#sideOutputs.get(tag);
    if (list === undefined) this.#sideOutputs.set(tag, (list = []));
    list.push(record);
  }

  sideOutputs(): [string, readonly WrittenRecord[]][] {
    return [...this.#sideOutputs.entries()].sort(([a], [b]) => compare(a, b));
  }

  /** Sink ids in sorted order with what each has written, as the report shows it. */
  sinkOutputs(): [string, SinkOutput][] {
    return [...this.#sinks.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([id, target]): [string, SinkOutput] => {
        switch (target.kind) {
          case 'print':
          case 'table':
            return [id, { committed: this.#written.get(id)!, uncommitted: [] }];
          case 'topic':
            return [id, { committed: this.log.readCommitted(target.topic, id), uncommitted: this.log.readNotCommitted(target.topic, id) }];
        }
      });
  }

  /** Each sink's target, for views and checkers. */
  sinkTarget(sinkId: string): SinkTarget | undefined {
    return this.#sinks.get(sinkId);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
