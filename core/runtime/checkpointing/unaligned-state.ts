/**
 * The states of the unaligned barrier handler, which with an aligned-checkpoint timeout
 * alternates between aligned and unaligned as Flink's alternating handler states do:
 *
 * - `waiting`: no checkpoint in progress (Flink's AlternatingWaitingForFirstBarrier, nothing seen).
 * - `announced`: the announcement of a timeoutable barrier came, no barrier has been read
 *   yet, the timeout is running (AlternatingWaitingForFirstBarrier with seen announcements).
 * - `aligning`: aligned, the channels in `received` blocked (AlternatingCollectingBarriers).
 * - `recording`: the snapshot is taken unaligned; channel state is recorded on the channels
 *   in `pending` until their barrier comes (CollectingBarriersUnaligned).
 *
 * `announced` holds the channels whose barrier is announced but not yet read: at the
 * timeout, those barriers are moved to the priority lane.
 */
import type { BarrierHandlerContext } from './barrier-handler.ts';
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
  /** Moves the announced barrier of `checkpointId`, queued on `input`, to that channel's priority lane (Flink's convertToPriorityEvent). */
  overtake(input: number, checkpointId: number): void;
}

export type UnalignedState =
  | { readonly kind: 'waiting'; readonly latest: number }
  | { readonly kind: 'announced'; readonly barrier: CheckpointBarrier; readonly announced: Set<number> }
  | { readonly kind: 'aligning'; readonly barrier: CheckpointBarrier; readonly startedMs: number; readonly received: Set<number>; readonly announced: Set<number> }
  | { readonly kind: 'recording'; readonly id: number; readonly pending: Set<number> };

export type StateOf<K extends UnalignedState['kind']> = UnalignedState & { kind: K };

export const waiting = (latest: number): StateOf<'waiting'> => ({ kind: 'waiting', latest });

export function openChannels(ctx: BarrierHandlerContext): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < ctx.inputCount; i++) if (ctx.isOpen(i)) out.add(i);
  return out;
}
