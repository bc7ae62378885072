/**
 * The two-phase-commit sink, as Flink's TwoPhaseCommitSinkFunction and KafkaSink with
 * exactly-once delivery do it. Each subtask writes into one transaction of the log at a
 * time, named `<sink>-<subtask>-<n>` (Flink's prefix-subtask-checkpoint ids). When a
 * checkpoint's snapshot is taken the transaction is pre-committed (flushed, kept open,
 * remembered in the sink's state) and a new one begins; when the checkpoint completes
 * (notifyCheckpointComplete) every pending transaction up to it is committed. So a
 * `read_committed` reader sees a checkpoint's records only once the checkpoint is part of
 * the job's consistent history, and records replayed after a restore land in a new
 * transaction while the old attempt's open one is aborted: nothing twice, nothing lost.
 *
 * On restore (recoverAndCommit) the pending transactions of the restored checkpoint are
 * committed, because that checkpoint completed even if its notification never arrived; a
 * transaction that is already committed commits again as a no-op. Then every transaction
 * the subtask's predecessors left open is aborted (recoverAndAbort, Flink's abort of
 * lingering transactions), and the new transaction's `initTransactions` fences the id the
 * dead attempt was writing under. An aborted checkpoint aborts nothing: its pending
 * transaction is committed with the next checkpoint that completes, as in Flink.
 *
 * Without periodic checkpoints the transaction is committed at the end of the input, as
 * Flink's sink committer does for a bounded job. A transaction open longer than the log's
 * timeout is aborted by the log; its later commit finds it gone and its records are lost.
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import { UserFunctionError, type OperatorContext, type Output, type StreamOperator } from '../operators/index.ts';
import { ProducerFencedError, type ProducerId } from '../world/index.ts';
import { traceCommitStep } from './commit-step.ts';

export interface TwoPhaseCommitSinkConfig {
  readonly sinkId: string;
  readonly topic: string;
  /** The topic's partitions when the scenario declares it; null: one per sink subtask. */
  readonly partitions: number | null;
  readonly transactionTimeoutMs: number;
}

/** A pre-committed transaction waiting for its checkpoint to complete: Flink's committable. */
interface Committable {
  readonly transactionalId: string;
  readonly epoch: number;
  /** The checkpoint whose snapshot pre-committed it. */
  readonly checkpoint: number;
  readonly records: number;
}

/** What a subtask's snapshot holds. */
interface SinkState {
  readonly subtask: number;
  readonly checkpoint: number;
  readonly pending: readonly Committable[];
}

interface OpenTransaction {
  readonly producer: ProducerId;
  records: number;
}

export class TwoPhaseCommitSink implements StreamOperator {
  readonly #config: TwoPhaseCommitSinkConfig;
  #ctx!: OperatorContext;
  #partition = 0;
  #current: OpenTransaction | null = null;
  #pending: Committable[] = [];
  #restored: readonly SinkState[] | null = null;
  #traced = false;

  constructor(config: TwoPhaseCommitSinkConfig) {
    this.#config = config;
  }

  initializeState(restored: readonly JsonValue[] | null): void {
    this.#restored = restored as readonly SinkState[] | null;
  }

  open(ctx: OperatorContext, _output: Output): void {
    this.#ctx = ctx;
    this.#traced = ctx.trace.records('sink.wrote');
    const { sinkId, topic, partitions } = this.#config;
    const log = ctx.world.log;
    log.ensureTopic(topic, partitions ?? ctx.parallelism);
    ctx.world.declareSink(sinkId, { kind: 'topic', topic });
    this.#partition = ctx.subtaskIndex % log.partitions(topic);
    // The old subtasks whose state this one takes over (all of them map to it after a rescale).
    const mine = (this.#restored ?? []).filter((s) => s.subtask % ctx.parallelism === ctx.subtaskIndex);
    for (const state of mine) {
      for (const c of state.pending) this.#commit(c, 'recover-commit');
    }
    const predecessors = new Set([ctx.subtaskIndex, ...mine.map((s) => s.subtask)]);
    // The id the dead attempt was writing under is fenced by #begin below; the others it left open are aborted here.
    const restoredCheckpoint = mine.reduce((n, s) => Math.max(n, s.checkpoint), 0);
    const next = `${sinkId}-${ctx.subtaskIndex}-${restoredCheckpoint + 1}`;
    for (const txn of log.openTransactions(`${sinkId}-`)) {
      const owner = subtaskOf(sinkId, txn.transactionalId);
      if (owner === null || !predecessors.has(owner) || txn.transactionalId === next) continue;
      log.abort(txn, `aborted as lingering by ${ctx.task} (attempt ${ctx.attempt}) on recovery`);
      this.#step('recover-abort', checkpointOf(txn.transactionalId), txn.records, txn.transactionalId, null);
    }
    this.#begin(restoredCheckpoint + 1);
  }

  processElement(record: StreamRecord): void {
    const ctx = this.#ctx;
    const txn = this.#current!;
    const written = { value: record.value, timestamp: record.timestamp };
    try {
      ctx.world.log.send(this.#config.topic, this.#partition, written, this.#config.sinkId, txn.producer);
    } catch (e) {
      // The log aborted the transaction (it outlived transactionTimeout) or a newer producer
      // fenced this one: Kafka's producer throws, and Flink fails the task, as here.
      if (e instanceof ProducerFencedError) throw new UserFunctionError(this.#config.sinkId, e);
      throw e;
    }
    txn.records++;
    if (this.#traced) {
      ctx.trace.emit({
        tag: 'sink.wrote',
        timeMs: ctx.nowMs(),
        task: ctx.task,
        attempt: ctx.attempt,
        sink: this.#config.sinkId,
        value: record.value,
        timestamp: record.timestamp,
        topic: this.#config.topic,
        partition: this.#partition,
        transactionalId: txn.producer.transactionalId,
        epoch: txn.producer.epoch,
      });
    }
  }

  processWatermark(_watermark: number): void {}

  endInput(): void {}

  /** preCommit: the open transaction joins the pending ones of this checkpoint, and the next one begins. */
  snapshotState(checkpointId: number): JsonValue {
    this.#ctx.protocolPoint('pre-commit', checkpointId);
    const txn = this.#current;
    // null: finished and committed at the end of its input (no periodic checkpoints); a later savepoint has nothing to add.
    if (txn !== null) {
      // An empty transaction is not a committable (the broker never heard of it); the next id begins either way, as Flink's KafkaWriter does.
      if (txn.records > 0) {
        this.#pending.push({ transactionalId: txn.producer.transactionalId, epoch: txn.producer.epoch, checkpoint: checkpointId, records: txn.records });
        this.#step('pre-commit', checkpointId, txn.records, txn.producer.transactionalId, null);
      }
      this.#begin(checkpointId + 1);
    }
    const state: SinkState = { subtask: this.#ctx.subtaskIndex, checkpoint: checkpointId, pending: this.#pending };
    return state as unknown as JsonValue;
  }

  notifyCheckpointComplete(checkpointId: number): void {
    while (this.#pending.length > 0 && this.#pending[0]!.checkpoint <= checkpointId) {
      this.#commit(this.#pending[0]!, 'commit');
      this.#pending.shift();
    }
  }

  /** Without checkpoints, the end of the input is the commit (a bounded job's last committable). */
  finish(): void {
    if (this.#ctx.checkpointing) return;
    const txn = this.#current!;
    this.#current = null;
    // Pre-committed at a savepoint and never notified (savepoints are not): committed with the end of the input too.
    this.notifyCheckpointComplete(Number.MAX_SAFE_INTEGER);
    if (txn.records > 0) this.#commit({ transactionalId: txn.producer.transactionalId, epoch: txn.producer.epoch, checkpoint: 0, records: txn.records }, 'commit', 'at the end of the input (no periodic checkpoints)');
  }

  #begin(checkpoint: number): void {
    const transactionalId = `${this.#config.sinkId}-${this.#ctx.subtaskIndex}-${checkpoint}`;
    const producer = this.#ctx.world.log.initTransactions(transactionalId, this.#config.transactionTimeoutMs);
    this.#current = { producer, records: 0 };
    this.#step('begin', checkpoint, 0, transactionalId, producer.epoch > 0 ? `epoch ${producer.epoch} fences the earlier producers of this id` : null);
  }

  /** Checkpoint 0 is the end of the input, for a job without periodic checkpoints. */
  #commit(c: Committable, step: 'commit' | 'recover-commit', note: string | null = null): void {
    const ctx = this.#ctx;
    ctx.protocolPoint('commit', c.checkpoint);
    ctx.commitPoint(c.checkpoint);
    const result = ctx.world.log.commit({ transactionalId: c.transactionalId, epoch: c.epoch });
    ctx.protocolPoint('after-commit', c.checkpoint);
    if (result.kind === 'lost') this.#step('lost', c.checkpoint, c.records, c.transactionalId, `the log had aborted it (${result.reason}): its records are lost`);
    else this.#step(step, c.checkpoint, c.records, c.transactionalId, result.kind === 'already-committed' ? 'already committed: a no-op' : note);
  }

  #step(step: 'begin' | 'pre-commit' | 'commit' | 'recover-commit' | 'recover-abort' | 'lost', checkpoint: number, records: number, transactionalId: string, detail: string | null): void {
    traceCommitStep(this.#ctx, this.#config.sinkId, step, checkpoint, records, transactionalId, detail);
  }

}

/** The subtask in a transactional id `<sink>-<subtask>-<n>` of this sink, or null when the id is another sink's. */
function subtaskOf(sinkId: string, transactionalId: string): number | null {
  const m = /^(\d+)-(\d+)$/.exec(transactionalId.slice(sinkId.length + 1));
  return m === null ? null : Number(m[1]);
}

function checkpointOf(transactionalId: string): number {
  return Number(transactionalId.slice(transactionalId.lastIndexOf('-') + 1));
}
