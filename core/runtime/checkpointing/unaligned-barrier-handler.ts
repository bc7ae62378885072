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
 * channels blocked as they deliver them). A barrier that reaches an input channel is
 * announced on the priority lane, so the subtask knows of the checkpoint before it has read
 * the data in front of the barrier, and times it from the checkpoint's start. A subtask
 * still aligning, or still waiting for an announced barrier, when the timeout has passed
 * switches: it snapshots, unblocks everything, records the channels whose barrier it has
 * not read, and has the announced barriers overtake their queues. (A barrier still in a
 * producer's output buffer is sent on with priority by the producer at the same timeout:
 * outputs.ts.) One state per file: unaligned-waiting.ts, barrier-announced.ts,
 * collecting-barriers-alternating.ts, recording-channel-state.ts.
 */
import { traceBarrier, type CheckpointBarrierHandler } from './barrier-handler.ts';
import { isTimeoutable, type CheckpointBarrier } from '../elements.ts';
import { announcedOnAnnouncement, announcedOnBarrier, announcedOnEndOfPartition } from './barrier-announced.ts';
import { aligningOnAnnouncement, aligningOnBarrier, aligningOnEndOfPartition } from './collecting-barriers-alternating.ts';
import { recordingOnAnnouncement, recordingOnBarrier, recordingOnEndOfPartition } from './recording-channel-state.ts';
import { switchToUnaligned } from './switch-to-unaligned.ts';
import { waitingOnAnnouncement, waitingOnBarrier } from './unaligned-waiting.ts';
import { waiting, type UnalignedHandlerContext, type UnalignedState } from './unaligned-state.ts';

export type { UnalignedHandlerContext } from './unaligned-state.ts';

export class UnalignedBarrierHandler implements CheckpointBarrierHandler {
  #state: UnalignedState = waiting(0);

  constructor(
    private readonly ctx: UnalignedHandlerContext,
    /** 0: every checkpoint is unaligned from the start. */
    private readonly alignedTimeoutMs: number,
  ) {}

  get pending(): number | null {
    const s = this.#state;
    return s.kind === 'announced' || s.kind === 'aligning' ? s.barrier.id : s.kind === 'recording' ? s.id : null;
  }

  /** `priority`: it came on the priority lane (an unaligned barrier), not in the data (a mark, or an aligned barrier). */
  onBarrier(input: number, barrier: CheckpointBarrier, priority = false): void {
    if (!this.#current(barrier)) return;
    traceBarrier(this.ctx, input, barrier);
    const ctx = this.ctx;
    const s = this.#state;
    switch (s.kind) {
      case 'waiting':
        this.#state = waitingOnBarrier(ctx, input, barrier, priority, this.alignedTimeoutMs);
        return;
      case 'announced':
        this.#state = announcedOnBarrier(ctx, s, input, barrier, priority, this.alignedTimeoutMs);
        return;
      case 'aligning':
        this.#state = aligningOnBarrier(ctx, s, input, barrier, priority);
        return;
      case 'recording':
        this.#state = recordingOnBarrier(ctx, s, input, priority);
        return;
    }
  }

  /** A timeoutable barrier reached input channel `input` and waits there behind what is queued (Flink's processBarrierAnnouncement). */
  onAnnouncement(input: number, barrier: CheckpointBarrier): void {
    if (this.alignedTimeoutMs === 0 || !isTimeoutable(barrier) || !this.#current(barrier)) return;
    const s = this.#state;
    switch (s.kind) {
      case 'waiting':
        this.#state = waitingOnAnnouncement(this.ctx, input, barrier, this.alignedTimeoutMs);
        return;
      case 'announced':
        this.#state = announcedOnAnnouncement(s, input);
        return;
      case 'aligning':
        this.#state = aligningOnAnnouncement(s, input);
        return;
      case 'recording':
        this.#state = recordingOnAnnouncement(this.ctx, s, input);
        return;
    }
  }

  /**
   * Whether `barrier` (or its announcement) belongs to the checkpoint in progress or starts a
   * newer one; a newer one gives up the one in progress, which can never complete here.
   */
  #current(barrier: CheckpointBarrier): boolean {
    const s = this.#state;
    const current = this.pending ?? (s.kind === 'waiting' ? s.latest : 0);
    if (barrier.id < current || (s.kind === 'waiting' && barrier.id <= s.latest)) return false;
    if (barrier.id > current && s.kind !== 'waiting') {
      this.ctx.resumeAll();
      this.ctx.decline(current, 'CHECKPOINT_DECLINED_SUBSUMED');
      this.#state = waiting(current);
    }
    return true;
  }

  /** The checkpoint's aligned phase lasted `alignedCheckpointTimeout`: switch to unaligned. */
  onAlignmentTimeout(checkpointId: number): void {
    const s = this.#state;
    if ((s.kind === 'announced' || s.kind === 'aligning') && s.barrier.id === checkpointId) this.#state = switchToUnaligned(this.ctx, s, null);
  }

  onEndOfPartition(input: number): void {
    const s = this.#state;
    if (s.kind === 'recording') this.#state = recordingOnEndOfPartition(this.ctx, s, input);
    else if (s.kind === 'aligning') this.#state = aligningOnEndOfPartition(this.ctx, s, input);
    else if (s.kind === 'announced') this.#state = announcedOnEndOfPartition(s, input);
  }

  abort(checkpointId: number): void {
    const s = this.#state;
    const id = this.pending;
    if (id !== null && id <= checkpointId) {
      if (s.kind === 'aligning') this.ctx.resumeAll();
      this.#state = waiting(checkpointId);
    } else if (s.kind === 'waiting' && checkpointId > s.latest) this.#state = waiting(checkpointId);
  }
}
