/**
 * The output side of a Kafka-like log: topics with partitions and offsets that sinks write
 * to, with Kafka's transactions. A producer with a transactional id calls
 * `initTransactions`, which bumps the id's producer epoch and aborts whatever transaction
 * an older epoch left open: that is how Kafka fences a zombie, the process of a failed
 * attempt that may still hold a transaction. Records written in a transaction are in the
 * partition at once (they take offsets), but a `read_committed` reader sees them only once
 * the transaction commits, and it reads no further than the partition's last stable offset
 * (the first offset of the oldest open transaction), so one transaction left open holds
 * back everything written after it. `read_uncommitted` sees every record, aborted ones too.
 *
 * A transaction open longer than its timeout (Kafka's `transaction.timeout.ms`, counted
 * from the transaction's first write, when the broker learns of it) is aborted by the log;
 * a commit that comes later finds it aborted and its records are lost, as with Kafka.
 *
 * The log belongs to the simulation, not to a job: a failover restarts tasks, never the log.
 */
import type { Kernel, KernelEvent } from '../kernel/index.ts';
import type { JsonValue } from '../model/index.ts';
import type { TraceLog } from '../trace/index.ts';

/** What a sink wrote: a record's value and event time, as the report shows it. */
export interface WrittenRecord {
  readonly value: JsonValue;
  readonly timestamp: number | null;
}

export type TransactionStatus = 'OPEN' | 'COMMITTED' | 'ABORTED';

/** One transaction of one transactional id and epoch. */
export interface Transaction {
  readonly transactionalId: string;
  readonly epoch: number;
  status: TransactionStatus;
  /** Records written in it. */
  records: number;
  /** When its first record was written (the broker's start of the transaction), or null. */
  startedMs: number | null;
  timeoutMs: number;
  /** Why it was aborted, when it was. */
  reason: string | null;
}

interface LogEntry {
  readonly record: WrittenRecord;
  /** The sink that wrote it. */
  readonly writer: string;
  readonly transaction: Transaction | null;
  readonly appendedMs: number;
}

/** The answer to a commit. `lost`: the transaction had been aborted (timed out, fenced), so its records never become visible. */
export type CommitResult = { readonly kind: 'committed' } | { readonly kind: 'already-committed' } | { readonly kind: 'empty' } | { readonly kind: 'lost'; readonly reason: string };

/** A write by a producer whose epoch is no longer the id's current one: Kafka's ProducerFencedException. */
export class ProducerFencedError extends Error {
  constructor(transactionalId: string, epoch: number, current: number, abortedBecause: string | null = null) {
    super(
      abortedBecause !== null
        ? `producer '${transactionalId}' with epoch ${epoch} is fenced: the log aborted its transaction (${abortedBecause})`
        : `producer '${transactionalId}' with epoch ${epoch} is fenced: epoch ${current} has been initialised since`,
    );
    this.name = 'ProducerFencedError';
  }
}

interface TimeoutEvent extends KernelEvent {
  readonly type: 'log.transaction-timeout';
  readonly transactionalId: string;
  readonly epoch: number;
}

/** Before tasks at the same ms: a transaction whose timeout has come is gone for a commit at that ms. */
const PRIORITY_LOG = 8;

/** Kafka's `transaction.max.timeout.ms` default, the contract's default `transactionTimeout`. */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 900_000;

/** What a transactional producer holds: its id and the epoch `initTransactions` gave it. */
export interface ProducerId {
  readonly transactionalId: string;
  readonly epoch: number;
}

export class TransactionalLog {
  readonly #topics = new Map<string, LogEntry[][]>();
  /** The current epoch of each transactional id. */
  readonly #epochs = new Map<string, number>();
  /** The transaction of each id's current epoch (the only one that may be open). */
  readonly #current = new Map<string, Transaction>();
  readonly #all: Transaction[] = [];

  constructor(
    private readonly kernel: Kernel,
    private readonly trace: TraceLog,
  ) {
    kernel.on('log.transaction-timeout', (e) => this.#timedOut(e as TimeoutEvent));
  }

  /** Creates the topic if it does not exist yet; an existing topic keeps its partitions. */
  ensureTopic(name: string, partitions: number): void {
    if (!this.#topics.has(name)) this.#topics.set(name, Array.from({ length: Math.max(1, partitions) }, () => []));
  }

  partitions(topic: string): number {
    return this.#partitionsOf(topic).length;
  }

  /** Kafka's initTransactions: a new epoch for the id; an open transaction of an older epoch is aborted (fenced). */
  initTransactions(transactionalId: string, timeoutMs: number): ProducerId {
    const previous = this.#current.get(transactionalId);
    const epoch = (this.#epochs.get(transactionalId) ?? -1) + 1;
    this.#epochs.set(transactionalId, epoch);
    if (previous !== undefined && previous.status === 'OPEN') this.#abort(previous, `fenced: epoch ${epoch} of '${transactionalId}' was initialised`);
    const txn: Transaction = { transactionalId, epoch, status: 'OPEN', records: 0, startedMs: null, timeoutMs, reason: null };
    this.#current.set(transactionalId, txn);
    this.#all.push(txn);
    return { transactionalId, epoch };
  }

  /** Appends a record; in the producer's transaction when `producer` is given. */
  send(topic: string, partition: number, record: WrittenRecord, writer: string, producer: ProducerId | null): void {
    const partitions = this.#partitionsOf(topic);
    let txn: Transaction | null = null;
    if (producer !== null) {
      txn = this.#live(producer);
      if (txn.startedMs === null) {
        txn.startedMs = this.kernel.clock.nowMs;
        this.#event(txn, 'OPEN', null);
        const timeout: TimeoutEvent = { type: 'log.transaction-timeout', transactionalId: txn.transactionalId, epoch: txn.epoch };
        this.kernel.schedule(txn.startedMs + txn.timeoutMs, PRIORITY_LOG, timeout);
      }
      txn.records++;
    }
    partitions[partition % partitions.length]!.push({ record, writer, transaction: txn, appendedMs: this.kernel.clock.nowMs });
  }

  /**
   * Commits the transaction of `producer` (Flink resumes a pre-committed transaction by its
   * id and epoch, so a recovered subtask commits what its predecessor prepared). A commit
   * of a committed transaction succeeds again: recovery may commit twice.
   */
  commit(producer: ProducerId): CommitResult {
    const txn = this.#find(producer);
    if (txn === undefined || txn.startedMs === null) return { kind: 'empty' };
    if (txn.status === 'COMMITTED') return { kind: 'already-committed' };
    if (txn.status === 'ABORTED') return { kind: 'lost', reason: txn.reason ?? 'aborted' };
    txn.status = 'COMMITTED';
    this.#event(txn, 'COMMITTED', null);
    return { kind: 'committed' };
  }

  /** Aborts the producer's transaction if it is open. */
  abort(producer: ProducerId, reason: string): void {
    const txn = this.#find(producer);
    if (txn !== undefined && txn.status === 'OPEN') this.#abort(txn, reason);
  }

  /** Open transactions (written to) whose id starts with `prefix`, oldest first: what a restored sink aborts as lingering. */
  openTransactions(prefix: string): (ProducerId & { readonly records: number })[] {
    return this.#all
      .filter((t) => t.status === 'OPEN' && t.startedMs !== null && t.transactionalId.startsWith(prefix))
      .map((t) => ({ transactionalId: t.transactionalId, epoch: t.epoch, records: t.records }));
  }

  /**
   * What a `read_committed` consumer of `topic` reads, by (partition, offset): records not
   * in a transaction and records of committed ones, up to each partition's last stable
   * offset. `writer` keeps only one sink's records.
   */
  readCommitted(topic: string, writer: string | null = null): WrittenRecord[] {
    const out: WrittenRecord[] = [];
    for (const partition of this.#topics.get(topic) ?? []) {
      for (const entry of partition) {
        const status = entry.transaction?.status ?? 'COMMITTED';
        if (status === 'OPEN') break; // the last stable offset
        if (status === 'COMMITTED' && (writer === null || entry.writer === writer)) out.push(entry.record);
      }
    }
    return out;
  }

  /** What `read_uncommitted` sees that `read_committed` does not: open and aborted transactions' records, and committed ones beyond the last stable offset. */
  readNotCommitted(topic: string, writer: string | null = null): WrittenRecord[] {
    const out: WrittenRecord[] = [];
    for (const partition of this.#topics.get(topic) ?? []) {
      let stable = true;
      for (const entry of partition) {
        const status = entry.transaction?.status ?? 'COMMITTED';
        if (status === 'OPEN') stable = false;
        if ((status !== 'COMMITTED' || !stable) && (writer === null || entry.writer === writer)) out.push(entry.record);
      }
    }
    return out;
  }

  /** Every transaction that wrote something, in the order they were initialised. */
  transactions(): readonly Readonly<Transaction>[] {
    return this.#all.filter((t) => t.startedMs !== null);
  }

  #partitionsOf(topic: string): LogEntry[][] {
    const partitions = this.#topics.get(topic);
    if (partitions === undefined) throw new RangeError(`the log has no topic '${topic}'`);
    return partitions;
  }

  #find(producer: ProducerId): Transaction | undefined {
    for (let i = this.#all.length - 1; i >= 0; i--) {
      const t = this.#all[i]!;
      if (t.transactionalId === producer.transactionalId && t.epoch === producer.epoch) return t;
    }
    return undefined;
  }

  /** The producer's transaction, if the producer has not been fenced and it is still open. */
  #live(producer: ProducerId): Transaction {
    const current = this.#epochs.get(producer.transactionalId) ?? -1;
    if (producer.epoch !== current) throw new ProducerFencedError(producer.transactionalId, producer.epoch, current);
    const txn = this.#current.get(producer.transactionalId)!;
    // Kafka fences a producer whose transaction the coordinator aborted (a timeout bumps the epoch): the write fails and so does the task.
    if (txn.status !== 'OPEN') throw new ProducerFencedError(producer.transactionalId, producer.epoch, current, txn.reason);
    return txn;
  }

  #abort(txn: Transaction, reason: string): void {
    txn.status = 'ABORTED';
    txn.reason = reason;
    if (txn.startedMs !== null) this.#event(txn, 'ABORTED', reason);
  }

  #timedOut(e: TimeoutEvent): void {
    const txn = this.#find(e);
    if (txn === undefined || txn.status !== 'OPEN') return;
    this.#abort(txn, `transaction timeout: open for ${txn.timeoutMs} ms (transactionTimeout)`);
  }

  #event(txn: Transaction, status: TransactionStatus, reason: string | null): void {
    if (!this.trace.records('log.transaction')) return;
    this.trace.emit({
      tag: 'log.transaction',
      timeMs: this.kernel.clock.nowMs,
      transactionalId: txn.transactionalId,
      epoch: txn.epoch,
      status,
      records: txn.records,
      ...(reason === null ? {} : { reason }),
    });
  }
}
