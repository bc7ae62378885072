/**
 * The write-ahead-log sink, as Flink's GenericWriteAheadSink (the Cassandra sink's
 * exactly-once mode): records are not written when they arrive but kept in the sink's
 * state, one batch per checkpoint; when a checkpoint completes, the batches up to it are
 * sent to the target with plain writes and a CheckpointCommitter marks each one sent in a
 * store outside the job. After a restore, a batch is sent again exactly when its mark is
 * missing.
 *
 * A send that fails (Flink's sendValues returning false; here a `fail-commit` fault, the
 * target refusing the batch before any of it lands) fails nothing: the batch stays pending,
 * unmarked, in the next snapshot too, and is sent again when the next checkpoint completes,
 * which for a bounded job may be its final checkpoint. After the final checkpoint no
 * notification comes: a send that fails there leaves its batch unsent for good and the job
 * finishes without it, as Flink's sink does. That loss is the sink's second corner.
 *
 * That gives exactly-once for every failure but one: a crash after a batch was sent (or
 * halfway through sending it) and before the committer marked it. The restored subtask
 * finds no mark and sends the batch again, so a target that is not idempotent gets
 * duplicates. Flink documents this corner, and it is why the write-ahead log is "exactly
 * once in most cases": `crash-at wal-send` and `crash-at after-wal-send` reach it.
 *
 * It needs checkpoints: without them nothing is ever sent (validation says so).
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import type { OperatorContext, Output, StreamOperator } from '../operators/index.ts';
import type { WrittenRecord } from '../world/index.ts';
import { traceCommitStep } from './commit-step.ts';

export interface WriteAheadLogSinkConfig {
  readonly sinkId: string;
  readonly topic: string;
  /** The topic's partitions when the scenario declares it; null: one per sink subtask. */
  readonly partitions: number | null;
}

/** The records of one checkpoint, waiting for it to complete and be sent. */
interface Batch {
  /** The subtask that received them: the committer's marks are per subtask. */
  readonly subtask: number;
  readonly checkpoint: number;
  readonly records: WrittenRecord[];
}

export class WriteAheadLogSink implements StreamOperator {
  readonly #config: WriteAheadLogSinkConfig;
  #ctx!: OperatorContext;
  #partition = 0;
  /** Records since the last snapshot. */
  #current: WrittenRecord[] = [];
  #pending: Batch[] = [];
  #restored: readonly Batch[] | null = null;
  /** The first checkpoint after the end of the input: its notification is the last this subtask gets. */
  #finalCheckpoint: number | null = null;
  #finished = false;

  constructor(config: WriteAheadLogSinkConfig) {
    this.#config = config;
  }

  initializeState(restored: readonly JsonValue[] | null): void {
    this.#restored = restored === null ? null : (restored as unknown as { pending: Batch[] }[]).flatMap((s) => s.pending);
  }

  open(ctx: OperatorContext, _output: Output): void {
    this.#ctx = ctx;
    const { sinkId, topic, partitions } = this.#config;
    ctx.world.log.ensureTopic(topic, partitions ?? ctx.parallelism);
    ctx.world.declareSink(sinkId, { kind: 'topic', topic });
    this.#partition = ctx.subtaskIndex % ctx.world.log.partitions(topic);
    // A rescaled job: the batches of old subtask s go to new subtask s mod parallelism.
    this.#pending = (this.#restored ?? []).filter((b) => b.subtask % ctx.parallelism === ctx.subtaskIndex).sort((a, b) => a.checkpoint - b.checkpoint || a.subtask - b.subtask);
  }

  processElement(record: StreamRecord): void {
    this.#current.push({ value: record.value, timestamp: record.timestamp });
  }

  processWatermark(_watermark: number): void {}

  endInput(): void {}

  finish(): void {
    this.#finished = true;
  }

  snapshotState(checkpointId: number): JsonValue {
    if (this.#finished && this.#finalCheckpoint === null) this.#finalCheckpoint = checkpointId;
    if (this.#current.length > 0) {
      this.#pending.push({ subtask: this.#ctx.subtaskIndex, checkpoint: checkpointId, records: this.#current });
      this.#current = [];
    }
    return { pending: this.#pending } as unknown as JsonValue;
  }

  /** A failed send keeps its batch and goes on with the next one, as Flink's sink does (a crash at a point of the protocol kills the subtask instead). */
  notifyCheckpointComplete(checkpointId: number): void {
    const ctx = this.#ctx;
    const committer = ctx.world.committer;
    const { sinkId } = this.#config;
    const last = this.#finalCheckpoint !== null && checkpointId >= this.#finalCheckpoint;
    const kept: Batch[] = [];
    for (const batch of this.#pending) {
      if (batch.checkpoint > checkpointId) {
        kept.push(batch);
      } else if (committer.isCommitted(sinkId, batch.subtask, batch.checkpoint)) {
        this.#step('skipped', batch, 'the committer had marked it sent');
      } else {
        const failure = this.#send(batch, last);
        if (failure) {
          kept.push(batch);
          continue;
        }
        ctx.protocolPoint('after-wal-send', batch.checkpoint);
        committer.commit(sinkId, batch.subtask, batch.checkpoint);
        this.#step('marked', batch, null);
      }
    }
    this.#pending = kept;
  }

  /** Sends a batch; a failed send writes nothing and gives true. */
  #send(batch: Batch, last: boolean): boolean {
    const ctx = this.#ctx;
    const { sinkId, topic } = this.#config;
    try {
      // It throws only when a fail-commit fault says so: that is sendValues returning false.
      ctx.commitPoint(batch.checkpoint);
    } catch {
      this.#step('send-failed', batch, last ? 'no notification follows the final checkpoint: the batch is never sent, and the job finishes without it (as Flink\'s GenericWriteAheadSink)' : 'not marked: the batch stays pending and is sent again when the next checkpoint completes');
      return true;
    }
    const half = Math.floor(batch.records.length / 2);
    const traced = ctx.trace.records('sink.wrote');
    batch.records.forEach((record, i) => {
      if (i === half) ctx.protocolPoint('wal-send', batch.checkpoint);
      ctx.world.log.send(topic, this.#partition, record, sinkId, null);
      if (traced) ctx.trace.emit({ tag: 'sink.wrote', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, sink: sinkId, value: record.value, timestamp: record.timestamp, topic, partition: this.#partition });
    });
    this.#step('sent', batch, null);
    return false;
  }

  #step(step: 'sent' | 'send-failed' | 'marked' | 'skipped', batch: Batch, detail: string | null): void {
    traceCommitStep(this.#ctx, this.#config.sinkId, step, batch.checkpoint, batch.records.length, null, detail);
  }

}
