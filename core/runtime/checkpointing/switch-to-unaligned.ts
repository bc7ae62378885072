/**
 * The aligned phase of a checkpoint lasted `alignedCheckpointTimeout` (counted, as in Flink,
 * from the checkpoint's start, so time the barrier spent queued upstream counts): the
 * subtask snapshots now, stops blocking, records channel state on the channels whose
 * barrier it has not read, and moves the announced barriers to the priority lane, so that
 * they overtake the data queued in front of them (Flink's prioritizeAllAnnouncements).
 */
import type { CheckpointBarrier } from '../elements.ts';
import { openChannels, waiting, type StateOf, type UnalignedHandlerContext, type UnalignedState } from './unaligned-state.ts';
import { recordingOnBarrier } from './recording-channel-state.ts';

type Timeoutable = StateOf<'announced'> | StateOf<'aligning'>;

/** `markedInput`: a channel whose mark has just come in the data (so it records nothing). */
export function switchToUnaligned(ctx: UnalignedHandlerContext, s: Timeoutable, markedInput: number | null): UnalignedState {
  const id = s.barrier.id;
  const pending = openChannels(ctx);
  if (s.kind === 'aligning') for (const i of s.received) pending.delete(i);
  if (markedInput !== null) pending.delete(markedInput);
  ctx.resumeAll();
  ctx.checkpointUnaligned(s.barrier, s.kind === 'aligning' ? ctx.now() - s.startedMs : 0, pending);
  for (const i of s.announced) if (pending.has(i)) ctx.overtake(i, id);
  return pending.size === 0 ? waiting(id) : { kind: 'recording', id, pending };
}

/** An unaligned barrier reached a subtask still aligned: an upstream subtask went unaligned, this one follows at once. */
export function followUnaligned(ctx: UnalignedHandlerContext, s: Timeoutable, input: number, priority: boolean): UnalignedState {
  const next = switchToUnaligned(ctx, s, priority ? null : input);
  return priority && next.kind === 'recording' ? recordingOnBarrier(ctx, next, input, true) : next;
}

/** Whether the checkpoint's timeout has passed on the task's own time. */
export function timedOut(ctx: UnalignedHandlerContext, barrier: CheckpointBarrier, timeoutMs: number): boolean {
  return barrier.timestamp + timeoutMs - ctx.now() <= 0;
}

/** Starts the timeout of a checkpoint just seen, or switches at once if it has already passed. */
export function startTimeout(ctx: UnalignedHandlerContext, s: Timeoutable, timeoutMs: number, markedInput: number | null): UnalignedState {
  const left = s.barrier.timestamp + timeoutMs - ctx.now();
  if (left <= 0) return switchToUnaligned(ctx, s, markedInput);
  ctx.scheduleAlignmentTimeout(s.barrier.id, left);
  return s;
}
