/**
 * Barrier handling inside a task: aligned (exactly-once) and the at-least-once tracker.
 */
export type { BarrierHandlerContext, CheckpointBarrierHandler } from './barrier-handler.ts';
export { AlignedBarrierHandler } from './aligned-barrier-handler.ts';
export { BarrierTracker } from './barrier-tracker.ts';
export { UnalignedBarrierHandler, type UnalignedHandlerContext } from './unaligned-barrier-handler.ts';
