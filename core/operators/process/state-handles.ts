/**
 * From a state descriptor to the handle a function uses (Flink's state backend creating a
 * state from its descriptor). A descriptor with a TTL gets the TTL class of its kind,
 * chosen here once, so a state without TTL runs the plain handle with no check per access;
 * with cleanupFullSnapshot it also tells the backend to leave expired values out of
 * snapshots.
 */
import {
  AggregatingState,
  ListState,
  MapState,
  ReducingState,
  TtlAggregatingState,
  TtlListState,
  TtlMapState,
  TtlPolicy,
  TtlReducingState,
  ttlSnapshotTransform,
  TtlValueState,
  ValueState,
  type KeyedStateBackend,
} from '../../state/index.ts';
import type { StateDescriptor } from './process-function.ts';

/** Any keyed state handle. */
export type StateHandleInstance = ValueState | ListState | MapState | ReducingState | AggregatingState;

/**
 * @example createStateHandle(backend, 'count', valueState(0), () => ctx.nowMs())
 * @param nowMs the TTL clock: the kernel's virtual processing time
 */
export function createStateHandle(backend: KeyedStateBackend, name: string, d: StateDescriptor, nowMs: () => number): StateHandleInstance {
  if (d.ttl !== undefined) return ttlHandle(backend, name, d, new TtlPolicy(d.ttl, nowMs));
  switch (d.kind) {
    case 'value':
      return new ValueState(backend, name, d.defaultValue);
    case 'list':
      return new ListState(backend, name);
    case 'map':
      return new MapState(backend, name);
    case 'reducing':
      return new ReducingState(backend, name, d.reduce);
    case 'aggregating':
      return new AggregatingState(backend, name, d.aggregate);
  }
}

function ttlHandle(backend: KeyedStateBackend, name: string, d: StateDescriptor, policy: TtlPolicy): StateHandleInstance {
  if (d.ttl!.cleanupFullSnapshot) backend.setSnapshotTransform(name, ttlSnapshotTransform(d.kind === 'list' ? 'list' : d.kind === 'map' ? 'map' : 'value', policy));
  switch (d.kind) {
    case 'value':
      return new TtlValueState(backend, name, d.defaultValue, policy);
    case 'list':
      return new TtlListState(backend, name, policy);
    case 'map':
      return new TtlMapState(backend, name, policy);
    case 'reducing':
      return new TtlReducingState(backend, name, d.reduce, policy);
    case 'aggregating':
      return new TtlAggregatingState(backend, name, d.aggregate, policy);
  }
}
