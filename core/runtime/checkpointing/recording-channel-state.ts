/**
 * Unaligned, last state (Flink's CollectingBarriersUnaligned): the snapshot is taken, and
 * each channel in `pending` records what reaches the task from it until its barrier comes.
 * A priority barrier persists at once what it overtook (queued here, on the wire, in the
 * producer's output buffer); a mark in the data ends the records read since the snapshot.
 * An announced barrier is moved to the priority lane at once: there is nothing left to wait for.
 */
import type { CheckpointBarrier } from '../elements.ts';
import { openChannels, waiting, type StateOf, type UnalignedHandlerContext, type UnalignedState } from './unaligned-state.ts';

type Recording = StateOf<'recording'>;

/** The first barrier came unaligned (or on the priority lane): snapshot now, every open channel records. */
export function startUnaligned(ctx: UnalignedHandlerContext, input: number, barrier: CheckpointBarrier, priority: boolean): UnalignedState {
  const pending = openChannels(ctx);
  ctx.checkpointUnaligned(barrier, 0, pending);
  const next = recordingOnBarrier(ctx, { kind: 'recording', id: barrier.id, pending }, input, priority);
  return next.kind === 'recording' && next.pending.size === 0 ? waiting(barrier.id) : next;
}

export function recordingOnBarrier(ctx: UnalignedHandlerContext, s: Recording, input: number, priority: boolean): UnalignedState {
  if (!s.pending.delete(input)) return s;
  if (priority) ctx.captureInFlight(s.id, input);
  else ctx.channelStateComplete(s.id, input);
  return s.pending.size === 0 ? waiting(s.id) : s;
}

export function recordingOnAnnouncement(ctx: UnalignedHandlerContext, s: Recording, input: number): UnalignedState {
  if (s.pending.has(input)) ctx.overtake(input, s.id);
  return s;
}

/** A closed channel has nothing more to record. */
export function recordingOnEndOfPartition(ctx: UnalignedHandlerContext, s: Recording, input: number): UnalignedState {
  return recordingOnBarrier(ctx, s, input, false);
}
