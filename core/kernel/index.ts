/**
 * The kernel layer: virtual time, the ordered agenda, seeded randomness, assertions and
 * limits. It imports nothing from the rest of Weir; everything else stands on it.
 */
export { assert, SimulationAssertionError, type AssertionContext } from './assert.ts';
export { VirtualClock } from './clock.ts';
export { EventQueue, QueueFullError, type QueueEntry, type EventQueueSnapshot } from './event-queue.ts';
export { Kernel, type KernelEvent, type KernelHandler, type KernelOptions, type KernelSnapshot } from './kernel.ts';
export { DEFAULT_LIMITS, isFixedBound, LimitExceededError, resolveLimits, type FixedBound, type Limits } from './limits.ts';
export {
  RandomStream,
  RandomStreams,
  deriveState,
  type RandomState,
  type RandomStreamSnapshot,
  type RandomStreamsSnapshot,
} from './random.ts';
export { KernelScheduler, RX_PRIORITY } from './rx-scheduler.ts';
