/**
 * Unaligned checkpoints (Flink's FLIP-76), and aligned checkpoints that turn unaligned
 * after `alignedCheckpointTimeout`.
 *
 * Unaligned: the barrier does not wait behind the data. A producer sends it on a priority
 * lane that overtakes every buffer queued or in flight on the channel, and leaves a mark at
 * its place in the data. The first barrier to reach a subtask makes it snapshot at once and
 * send the barrier on, again overtaking its own output. What the barrier overtook is data
 * from before the checkpoint that the snapshot does not reflect yet, and it belongs to the
 * checkpoint as channel state: when a channel's barrier arrives, the records it overtook
 * (queued at the subtask, on the wire, in the producer's output buffer) are persisted at
 * once, as Flink persists input and output buffers; records a subtask reads from a channel
 * after its snapshot and before that channel's barrier are persisted too. The checkpoint
 * is acknowledged when every channel's barrier has come, without waiting for the data to
 * be processed, and after a restore those records are processed first.
 * No channel is ever blocked, so backpressure cannot hold a checkpoint back; the price is a
 * larger checkpoint (the in-flight data) and its replay.
 *
 * With an aligned-checkpoint timeout, a checkpoint starts aligned (barriers in the data,
 * channels blocked as they deliver them); a subtask still aligning when the timeout has
 * passed switches: it snapshots, records the channels whose barrier has not come, and
 * unblocks everything.
 */
import { traceBarrier, type BarrierHandlerContext, type CheckpointBarrierHandler } from './barrier-handler.ts';
import type { CheckpointBarrier } from '../elements.ts';

/** What the unaligned handler needs beyond the aligned one. */
export interface UnalignedHandlerContext extends BarrierHandlerContext {
  /** Snapshot now as unaligned, record channel state on `channels` until their marks, send the barrier on with priority. */
  checkpointUnaligned(barrier: CheckpointBarrier, alignmentMs: number, channels: ReadonlySet<number>): void;
  /** Channel `input` delivered its mark: its channel state for the checkpoint is complete. */
  channelStateComplete(checkpointId: number, input: number): void;
  /** Channel `input`'s priority barrier came: persist the records it overtook; the channel's state is complete. */
  captureInFlight(checkpointId: number, input: number): void;
  /** Asks for `onAlignmentTimeout` when the aligned phase of `checkpointId` has lasted `afterMs`. */
  scheduleAlignmentTimeout(checkpointId: number, afterMs: number): void;
}

type State =
  | { readonly kind: 'waiting'; readonly latest: number }
  | { readonly kind: 'aligning'; readonly barrier: CheckpointBarrier; readonly startedMs: number; readonly received: Set<number> }
  | { readonly kind: 'recording'; readonly id: number; readonly pending: Set<number> };

export class UnalignedBarrierHandler implements CheckpointBarrierHandler {
  #state: State = { kind: 'waiting', latest: 0 };

  constructor(
    private readonly ctx: UnalignedHandlerContext,
    /** 0: every checkpoint is unaligned from the start. */
    private readonly alignedTimeoutMs: number,
  ) {}

  get pending(): number | null {
    const s = this.#state;
    return s.kind === 'aligning' ? s.barrier.id : s.kind === 'recording' ? s.id : null;
  }

  /** `priority`: it came on the priority lane (an unaligned barrier), not in the data (a mark, or an aligned barrier). */
  onBarrier(input: number, barrier: CheckpointBarrier, priority = false): void {
    const s = this.#state;
    const current = this.pending ?? (s.kind === 'waiting' ? s.latest : 0);
    if (barrier.id < current || (s.kind === 'waiting' && barrier.id <= s.latest)) return;
    if (barrier.id > current && s.kind !== 'waiting') {
      this.ctx.resumeAll();
      this.ctx.decline(current, 'CHECKPOINT_DECLINED_SUBSUMED');
      this.#state = { kind: 'waiting', latest: current };
    }
    traceBarrier(this.ctx, input, barrier);
    const st = this.#state;
    if (st.kind === 'waiting') return this.#start(input, barrier, priority);
    if (st.kind === 'aligning') {
      // An upstream subtask already went unaligned: this one follows at once.
      if (priority || barrier.alignment === 'unaligned') return this.#switchToUnaligned(st, priority ? null : input);
      st.received.add(input);
      this.ctx.block(input);
      this.#completeAlignmentIfReady(st);
      return;
    }
    // Recording: the channel's barrier closes its state (a priority one after persisting what it overtook).
    if (priority) this.#captured(st, input);
    else this.#markArrived(st, input);
  }

  #completeAlignmentIfReady(st: State & { kind: 'aligning' }): void {
    if (st.received.size < this.ctx.openInputs()) return;
    this.ctx.checkpoint(st.barrier, this.ctx.now() - st.startedMs);
    this.ctx.resumeAll();
    this.#state = { kind: 'waiting', latest: st.barrier.id };
  }

  #start(input: number, barrier: CheckpointBarrier, priority: boolean): void {
    const ctx = this.ctx;
    if (barrier.alignment === 'aligned' && !priority) {
      if (ctx.openInputs() <= 1) {
        ctx.checkpoint(barrier, 0);
        this.#state = { kind: 'waiting', latest: barrier.id };
        return;
      }
      ctx.block(input);
      ctx.trace.emit({ tag: 'alignment.started', timeMs: ctx.clockMs(), task: ctx.task, attempt: ctx.attempt, checkpoint: barrier.id });
      const aligning: State & { kind: 'aligning' } = { kind: 'aligning', barrier, startedMs: ctx.now(), received: new Set([input]) };
      this.#state = aligning;
      // A savepoint never turns unaligned (Flink has no unaligned savepoints). As in Flink, the
      // timeout counts from the checkpoint's start, so time the barrier spent queued counts too.
      if (this.alignedTimeoutMs > 0 && !barrier.savepoint) {
        const left = barrier.timestamp + this.alignedTimeoutMs - ctx.now();
        if (left <= 0) this.#switchToUnaligned(aligning, input);
        else ctx.scheduleAlignmentTimeout(barrier.id, left);
      }
      return;
    }
    const pending = this.#openChannels();
    ctx.checkpointUnaligned(barrier, 0, pending);
    const st: State & { kind: 'recording' } = { kind: 'recording', id: barrier.id, pending };
    this.#state = st;
    if (priority) this.#captured(st, input);
    else this.#markArrived(st, input);
    if (pending.size === 0) this.#finishRecording(barrier.id);
  }

  #captured(s: State & { kind: 'recording' }, input: number): void {
    if (!s.pending.delete(input)) return;
    this.ctx.captureInFlight(s.id, input);
    if (s.pending.size === 0) this.#finishRecording(s.id);
  }

  /** The aligned phase lasted too long: switch to unaligned for the channels still missing their barrier. */
  onAlignmentTimeout(checkpointId: number): void {
    const s = this.#state;
    if (s.kind !== 'aligning' || s.barrier.id !== checkpointId) return;
    this.#switchToUnaligned(s, null);
  }

  /** `markedInput`: a channel whose mark has just come in the data (so it records nothing). */
  #switchToUnaligned(s: State & { kind: 'aligning' }, markedInput: number | null): void {
    const checkpointId = s.barrier.id;
    const pending = this.#openChannels();
    for (const i of s.received) pending.delete(i);
    if (markedInput !== null) pending.delete(markedInput);
    this.ctx.resumeAll();
    this.ctx.checkpointUnaligned(s.barrier, this.ctx.now() - s.startedMs, pending);
    this.#state = { kind: 'recording', id: checkpointId, pending };
    if (pending.size === 0) this.#finishRecording(checkpointId);
  }

  #openChannels(): Set<number> {
    const out = new Set<number>();
    for (let i = 0; i < this.ctx.inputCount; i++) if (this.ctx.isOpen(i)) out.add(i);
    return out;
  }

  #markArrived(s: State & { kind: 'recording' }, input: number): void {
    if (!s.pending.delete(input)) return;
    this.ctx.channelStateComplete(s.id, input);
    if (s.pending.size === 0) this.#finishRecording(s.id);
  }

  #finishRecording(id: number): void {
    this.#state = { kind: 'waiting', latest: id };
  }

  onEndOfPartition(input: number): void {
    const s = this.#state;
    if (s.kind === 'recording') this.#markArrived(s, input);
    else if (s.kind === 'aligning') {
      // A closed channel counts as aligned (FLIP-147), as in the aligned handler.
      s.received.delete(input);
      this.#completeAlignmentIfReady(s);
    }
  }

  abort(checkpointId: number): void {
    const s = this.#state;
    const id = this.pending;
    if (id !== null && id <= checkpointId) {
      if (s.kind === 'aligning') this.ctx.resumeAll();
      this.#state = { kind: 'waiting', latest: checkpointId };
    } else if (s.kind === 'waiting' && checkpointId > s.latest) this.#state = { kind: 'waiting', latest: checkpointId };
  }
}
