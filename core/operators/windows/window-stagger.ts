/**
 * Flink's WindowStagger, for tumbling windows (event or processing time). Aligned windows of every
 * key and every subtask end at the same instant, so a job with many keys fires all of its
 * windows at once, a load spike every `size` ms. A stagger shifts each subtask's windows by
 * an offset chosen when its first element arrives:
 *
 * - ALIGNED: no shift (the default);
 * - RANDOM: a uniform offset in [0, size), drawn once per subtask (and again after a
 *   restart, as Flink draws it per assigner instance). Weir draws it from the subtask's own
 *   seeded random stream, never from Math.random, so a run is the same under the same seed;
 * - NATURAL: the position of the first element's arrival time (processing time, also for
 *   event-time windows, as Flink's assigners ask their context) within its aligned window,
 *   so the subtask's first window starts when its first element arrived.
 *
 * The stagger is added to the assigner's offset, modulo the size, as in Flink.
 */
import type { RandomStream } from '../../kernel/index.ts';
import { windowStartWithOffset } from './time-window.ts';

/** Flink's WindowStagger values, as a scenario writes them. */
export type WindowStagger = 'aligned' | 'random' | 'natural';

/** The staggers a scenario may name. */
export const WINDOW_STAGGERS = ['aligned', 'random', 'natural'] as const;

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;

/** A uniform double in [0, 1) from 53 random bits, as Java's Random.nextDouble builds one. */
function nextDouble(random: RandomStream): number {
  const high = random.nextUint32() >>> 5;
  const low = random.nextUint32() >>> 6;
  return (high * TWO_POW_26 + low) / TWO_POW_53;
}

/**
 * Flink's getStaggerOffset: the shift of a subtask's windows, in [0, size).
 * @example staggerOffset('natural', 1234, 1000, () => stream) // 234
 */
export function staggerOffset(stagger: WindowStagger, nowMs: number, sizeMs: number, random: () => RandomStream): number {
  switch (stagger) {
    case 'aligned':
      return 0;
    case 'random':
      return Math.floor(nextDouble(random()) * sizeMs);
    case 'natural':
      return Math.max(0, nowMs - windowStartWithOffset(nowMs, 0, sizeMs));
  }
}
