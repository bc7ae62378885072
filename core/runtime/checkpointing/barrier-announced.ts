/**
 * Unaligned handler, a timeoutable checkpoint announced (Flink's AlternatingWaitingForFirstBarrier
 * once an announcement is seen): the timeout runs, no barrier has been read yet, nothing is
 * blocked. The first aligned barrier starts the alignment (or, on a single open input,
 * completes it); an unaligned one makes the subtask follow at once. If the timeout passes
 * first, the announced barriers overtake their queues (switch-to-unaligned.ts).
 */
import type { CheckpointBarrier } from '../elements.ts';
import { followUnaligned, switchToUnaligned, timedOut } from './switch-to-unaligned.ts';
import { waiting, type StateOf, type UnalignedHandlerContext, type UnalignedState } from './unaligned-state.ts';

type Announced = StateOf<'announced'>;

export function announcedOnBarrier(ctx: UnalignedHandlerContext, s: Announced, input: number, barrier: CheckpointBarrier, priority: boolean, timeoutMs: number): UnalignedState {
  if (priority || barrier.alignment === 'unaligned') return followUnaligned(ctx, s, input, priority);
  s.announced.delete(input);
  if (ctx.openInputs() <= 1) {
    ctx.checkpoint(barrier, 0);
    return waiting(barrier.id);
  }
  ctx.block(input);
  ctx.trace.emit({ tag: 'alignment.started', timeMs: ctx.clockMs(), task: ctx.task, attempt: ctx.attempt, checkpoint: barrier.id });
  const aligning: StateOf<'aligning'> = { kind: 'aligning', barrier: s.barrier, startedMs: ctx.now(), received: new Set([input]), announced: s.announced };
  return timedOut(ctx, barrier, timeoutMs) ? switchToUnaligned(ctx, aligning, input) : aligning;
}

export function announcedOnAnnouncement(s: Announced, input: number): UnalignedState {
  s.announced.add(input);
  return s;
}

/** The channel closed after its barrier was read: nothing of it is left to overtake. */
export function announcedOnEndOfPartition(s: Announced, input: number): UnalignedState {
  s.announced.delete(input);
  return s;
}
