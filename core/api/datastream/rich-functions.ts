/**
 * User functions written as objects (Flink's MapFunction, FlatMapFunction, FilterFunction,
 * SinkFunction classes), which is how a function implements CheckpointedFunction and keeps
 * operator state. A plain TypeScript function still works everywhere; an object is only
 * needed for state.
 *
 * Flink gives every parallel subtask its own copy of a function (it is serialized and
 * deserialized per subtask). Weir gives each subtask `Object.create(fn)`: a fresh object
 * whose prototype is yours, so the fields a subtask assigns (in initializeState, as a
 * Flink function would) are its own. Assign fields, do not mutate one the prototype holds.
 */
import type { JsonValue } from '../../model/index.ts';
import { CheckpointedOperator, guarded, isCheckpointedFunction, type CheckpointedFunction, type RecordFunction, type StreamOperator } from '../../operators/index.ts';

/** @example stream.map({ map: (v) => v, initializeState(ctx) {...}, snapshotState() {...} }) */
export interface MapFunction extends Partial<CheckpointedFunction> {
  map(value: JsonValue, timestamp: number | null): JsonValue;
}
/** @example stream.flatMap({ flatMap: (v) => [v, v] }) */
export interface FlatMapFunction extends Partial<CheckpointedFunction> {
  flatMap(value: JsonValue, timestamp: number | null): JsonValue[];
}
/** @example stream.filter({ filter: (v) => v !== null }) */
export interface FilterFunction extends Partial<CheckpointedFunction> {
  filter(value: JsonValue, timestamp: number | null): JsonValue | boolean;
}
/** Flink's SinkFunction as an object: `invoke` per record. @example stream.addSink({ invoke: (v) => seen.push(v) }) */
export interface SinkFunctionObject extends Partial<CheckpointedFunction> {
  invoke(value: JsonValue, timestamp: number | null): void;
}

type Method = 'map' | 'flatMap' | 'filter' | 'invoke';

/**
 * The factory of one subtask's operator for a user function given as a function or an
 * object: `make` builds the plain operator from the per-record call; a CheckpointedFunction
 * object gets its operator state around it. An object without its method is refused here,
 * at the line that declared the operator.
 */
export function operatorFactory<R>(fn: RecordFunction<R> | Partial<Record<Method, unknown>>, method: Method, name: string, make: (call: RecordFunction<R>) => StreamOperator): () => StreamOperator {
  if (typeof fn === 'function') {
    const call = guarded(name, fn);
    return () => make(call);
  }
  if (typeof fn !== 'object' || fn === null || typeof fn[method] !== 'function') throw new TypeError(`${name}: a function object needs a '${method}' method`);
  return () => {
    const own = Object.create(fn) as Record<Method, RecordFunction<R>>;
    const operator = make(guarded(name, (value, timestamp) => own[method](value, timestamp)));
    return isCheckpointedFunction(own) ? new CheckpointedOperator(operator, own) : operator;
  };
}
