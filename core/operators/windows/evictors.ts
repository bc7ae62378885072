/**
 * An evictor removes elements from a window when it fires, before the window function runs
 * (evictBefore, the default) or after it (evictAfter), as Flink's Evictor does. The elements
 * it removes are gone from the window's state for good: a later firing of the same window
 * does not see them again.
 *
 * That is why a window with an evictor cannot aggregate incrementally: to drop "all but the
 * last 3" or "everything older than 10 s before the newest", the window must keep every
 * element (Flink's EvictingWindowOperator holds them in list state), and the aggregate is
 * computed over what is left each time the window fires.
 *
 * - CountEvictor keeps the last `maxCount` elements (in arrival order), dropping the oldest.
 * - TimeEvictor keeps the elements within `windowSize` ms of the newest timestamp in the
 *   window: it drops those with timestamp <= max - windowSize. Elements without timestamps
 *   (processing time) are never dropped by it.
 * - DeltaEvictor drops the elements whose delta to the last element is >= `threshold`.
 */
import type { JsonValue } from '../../model/index.ts';
import { deltaFunctionOf, describeDelta, type DeltaFunctionSpec } from './delta-function.ts';

/** An element of an evicting window: its value and timestamp (Flink's TimestampedValue). */
export type TimestampedValue = [value: JsonValue, timestamp: number | null];

/** An evictor as a scenario writes it; `evictAfter`: after the window function (Flink's doEvictAfter). */
export type WindowEvictorSpec =
  | { readonly type: 'count'; readonly maxCount: number; readonly evictAfter: boolean }
  | { readonly type: 'time'; readonly windowSizeMs: number; readonly evictAfter: boolean }
  | { readonly type: 'delta'; readonly threshold: number; readonly delta: DeltaFunctionSpec; readonly evictAfter: boolean };

/** The evictor types a scenario may name. */
export const EVICTOR_TYPES = ['count', 'time', 'delta'] as const;

/**
 * Flink's Evictor: each returns the elements that stay, in their order.
 * @example evictorOf({ type: 'count', maxCount: 2, evictAfter: false }).evictBefore([[1, 0], [2, 1], [3, 2]]) // [[2, 1], [3, 2]]
 */
export interface Evictor {
  readonly description: string;
  evictBefore(elements: TimestampedValue[]): TimestampedValue[];
  evictAfter(elements: TimestampedValue[]): TimestampedValue[];
}

function countEvict(maxCount: number): (elements: TimestampedValue[]) => TimestampedValue[] {
  return (elements) => (elements.length <= maxCount ? elements : elements.slice(elements.length - maxCount));
}

function timeEvict(windowSizeMs: number): (elements: TimestampedValue[]) => TimestampedValue[] {
  return (elements) => {
    // Flink looks at the first element only: without a timestamp, nothing is evicted.
    if (elements.length === 0 || elements[0]![1] === null) return elements;
    let newest = -Infinity;
    for (const [, t] of elements) if (t !== null && t > newest) newest = t;
    const cutoff = newest - windowSizeMs;
    return elements.filter(([, t]) => t === null || t > cutoff);
  };
}

function deltaEvict(threshold: number, delta: DeltaFunctionSpec): (elements: TimestampedValue[]) => TimestampedValue[] {
  const getDelta = deltaFunctionOf(delta);
  return (elements) => {
    if (elements.length === 0) return elements;
    const last = elements[elements.length - 1]![0];
    return elements.filter(([value]) => !(getDelta(value, last) >= threshold));
  };
}

/**
 * The evictor a spec describes.
 * @example evictorOf({ type: 'time', windowSizeMs: 1000, evictAfter: false })
 */
export function evictorOf(spec: WindowEvictorSpec): Evictor {
  const keep = (elements: TimestampedValue[]): TimestampedValue[] => elements;
  let evict: (elements: TimestampedValue[]) => TimestampedValue[];
  let description: string;
  switch (spec.type) {
    case 'count':
      evict = countEvict(spec.maxCount);
      description = `count-evictor(${spec.maxCount})`;
      break;
    case 'time':
      evict = timeEvict(spec.windowSizeMs);
      description = `time-evictor(${spec.windowSizeMs})`;
      break;
    case 'delta':
      evict = deltaEvict(spec.threshold, spec.delta);
      description = `delta-evictor(${describeDelta(spec.delta)}, ${spec.threshold})`;
      break;
  }
  return spec.evictAfter ? { description, evictBefore: keep, evictAfter: evict } : { description, evictBefore: evict, evictAfter: keep };
}
