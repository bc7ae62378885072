/**
 * What a window with an evictor keeps: every element with its timestamp, in arrival order
 * (Flink's EvictingWindowOperator keeps them in a ListState of StreamRecords), because the
 * evictor needs them all when the window fires. Its aggregate is then computed from scratch
 * over the elements the evictor leaves: no incremental aggregation, as in Flink, where an
 * aggregate or reduce on an evicting window is applied to the iterable at firing time.
 *
 * Sessions merge by appending the later session's elements to the earlier one's.
 */
import type { JsonValue } from '../../model/index.ts';
import type { WindowAggregate } from './aggregates.ts';
import type { TimestampedValue } from './evictors.ts';

/**
 * The list "accumulator" of an evicting window: `[value, timestamp]` per element.
 * @example evictingContents().add(undefined, { v: 1 }, 5) // [[{ v: 1 }, 5]]
 */
export function evictingContents(): WindowAggregate {
  return {
    add(acc, value, timestamp) {
      const element: TimestampedValue = [value, timestamp];
      if (acc === undefined) return [element];
      (acc as JsonValue[]).push(element);
      return acc;
    },
    merge(target, source) {
      const list = target as JsonValue[];
      for (const element of source as JsonValue[]) list.push(element);
      return list;
    },
    result: (acc) => acc,
  };
}

/**
 * Folds the elements an evictor left with the window's aggregate. Nothing left: what the
 * aggregate gives for no elements, as Flink's evicting window applies its function to an
 * empty iterable: an AggregateFunction's getResult(createAccumulator()) (count 0, collect
 * the empty list, so a process function is still called), and for a reduce (sum, min, max)
 * undefined, so the window emits nothing.
 * @example aggregateElements(aggregateOf({ kind: 'count' }), [[{}, 1], [{}, 2]]) // 2
 */
export function aggregateElements(aggregate: WindowAggregate, elements: readonly TimestampedValue[]): JsonValue | undefined {
  let acc: JsonValue | undefined;
  for (const [value, timestamp] of elements) acc = aggregate.add(acc, value, timestamp);
  if (acc === undefined) return aggregate.empty?.();
  return aggregate.result(acc);
}
