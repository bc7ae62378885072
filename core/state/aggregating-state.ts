/**
 * Flink's AggregatingState: values are added one at a time into an accumulator kept per
 * key and namespace, and `get()` gives the accumulator's result. It is ReducingState's
 * general form: the accumulator can differ from both the input and the result (a sum and
 * a count, read as an average), which is what an AggregateFunction describes.
 */
import type { JsonValue } from '../model/index.ts';
import type { KeyedStateBackend } from './keyed-state.ts';

/**
 * Flink's AggregateFunction, with a JSON accumulator (all state is JSON). `merge` joins
 * two accumulators; keyed state of a process function never merges, merging windows do.
 * @example
 * const average: AggregateFunction = {
 *   createAccumulator: () => ({ sum: 0, count: 0 }),
 *   add: (v, acc) => ({ sum: acc.sum + v, count: acc.count + 1 }),
 *   getResult: (acc) => acc.sum / acc.count,
 *   merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
 * };
 */
export interface AggregateFunction {
  createAccumulator(): JsonValue;
  add(value: JsonValue, accumulator: JsonValue): JsonValue;
  getResult(accumulator: JsonValue): JsonValue;
  merge(a: JsonValue, b: JsonValue): JsonValue;
}

/** Flink's AggregatingState: `add` folds into the accumulator, `get` reads its result (null before the first add). */
export class AggregatingState {
  constructor(
    protected readonly backend: KeyedStateBackend,
    readonly name: string,
    protected readonly fn: AggregateFunction,
  ) {}
  get(): JsonValue | null {
    const acc = this.backend.get(this.name);
    return acc === undefined ? null : this.fn.getResult(acc);
  }
  add(value: JsonValue): void {
    const acc = this.backend.get(this.name);
    this.backend.put(this.name, this.fn.add(value, acc === undefined ? this.fn.createAccumulator() : acc));
  }
  clear(): void {
    this.backend.remove(this.name);
  }
}
