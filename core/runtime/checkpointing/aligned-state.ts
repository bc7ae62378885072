/**
 * The states of the aligned barrier handler: waiting for the first barrier of a new
 * checkpoint, or collecting the barriers of checkpoint `barrier.id` on the channels in
 * `received` (each one blocked since it delivered its barrier).
 */
import type { CheckpointBarrier } from '../elements.ts';

export type AlignedState =
  | { readonly kind: 'waiting'; readonly latest: number }
  | { readonly kind: 'collecting'; readonly barrier: CheckpointBarrier; readonly startedMs: number; readonly received: Set<number> };
