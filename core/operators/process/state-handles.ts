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
import { cloneJson, type JsonValue } from '../../model/index.ts';
import type { OperatorContext } from '../operator.ts';
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
  const survives = ttlSnapshotTransform(d.kind === 'list' ? 'list' : d.kind === 'map' ? 'map' : 'value', policy);
  if (d.ttl!.cleanupFullSnapshot) backend.setSnapshotTransform(name, survives);
  const incremental = d.ttl!.incrementalCleanup;
  if (incremental !== null && backend.backgroundCleanup) {
    backend.setIncrementalCleanup(name, incremental.cleanupSize, incremental.runCleanupForEveryRecord, survives);
    // Flink's TTL states run a step of the incremental cleanup at every access, before the access
    // (AbstractTtlState's accessCallback), so an expired entry the step reaches is gone for the read too.
    return eachCall(ttlHandleOfKind(backend, name, d, policy), { before: () => backend.cleanupStep(name) });
  }
  return ttlHandleOfKind(backend, name, d, policy);
}

/**
 * The handle with `before()` run before each of its methods and `after(method, target, args)`
 * after each returns. The handles keep private fields, so their members run on the handle
 * itself, never on the proxy.
 */
function eachCall(handle: StateHandleInstance, hooks: { before?: () => void; after?: (method: string, target: StateHandleInstance, args: JsonValue[]) => void }): StateHandleInstance {
  const { before, after } = hooks;
  return new Proxy(handle, {
    get(target, property) {
      const member = Reflect.get(target, property) as unknown;
      if (typeof member !== 'function' || typeof property !== 'string') return member;
      return (...args: JsonValue[]) => {
        before?.();
        const result = (member as (...a: JsonValue[]) => unknown).apply(target, args);
        after?.(property, target, args);
        return result;
      };
    },
  });
}

function ttlHandleOfKind(backend: KeyedStateBackend, name: string, d: StateDescriptor, policy: TtlPolicy): StateHandleInstance {
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

/** What a state.updated trace event says of one change; see core/trace/events.ts. */
export type StateChangeListener = (state: string, change: 'update' | 'add' | 'put' | 'remove' | 'clear', entry: string | null, value: JsonValue | null) => void;

/**
 * The handle with every change told to `listen` after it is made (the trace at level
 * full): a ValueState's update, a list's add or update, a map's put and remove, a folding
 * state's add (with its new result), any clear. Reads go straight to the handle.
 * @example traceStateHandle(handle, 'count', 'value', (state, change, entry, value) => trace.emit(...))
 */
function traceStateHandle(handle: StateHandleInstance, name: string, kind: StateDescriptor['kind'], listen: StateChangeListener): StateHandleInstance {
  const folding = kind === 'reducing' || kind === 'aggregating';
  const wrap: Record<string, (target: StateHandleInstance, args: JsonValue[]) => void> = {
    clear: () => listen(name, 'clear', null, null),
    update: (_t, [value]) => listen(name, 'update', null, cloneJson(value ?? null)),
    add: (target, [value]) => listen(name, 'add', null, folding ? cloneJson((target as ReducingState).get()) : cloneJson(value ?? null)),
    put: (_t, [entry, value]) => listen(name, 'put', entry as string, cloneJson(value ?? null)),
    remove: (_t, [entry]) => listen(name, 'remove', entry as string, null),
  };
  return eachCall(handle, {
    after: (method, target, args) => {
      if (Object.hasOwn(wrap, method)) wrap[method]!(target, args);
    },
  });
}

/**
 * The listener that traces a keyed operator's state changes as state.updated events, or
 * null when the trace does not keep them (below level full).
 */
function stateTracer(ctx: OperatorContext, backend: KeyedStateBackend): StateChangeListener | null {
  if (!ctx.trace.records('state.updated')) return null;
  return (state, change, entry, value) =>
    ctx.trace.emit({ tag: 'state.updated', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, operator: ctx.operatorId, key: backend.currentKey, state, change, entry, value });
}

/**
 * The handles of a keyed function's declared states, each traced (state.updated) when the
 * trace is at level full: what a process function and a keyed connect both build on open.
 */
export function createStateHandles(ctx: OperatorContext, backend: KeyedStateBackend, states: Readonly<Record<string, StateDescriptor>>): Map<string, StateHandleInstance> {
  const listen = stateTracer(ctx, backend);
  const handles = new Map<string, StateHandleInstance>();
  for (const [name, d] of Object.entries(states)) {
    const handle = createStateHandle(backend, name, d, () => ctx.nowMs());
    handles.set(name, listen === null ? handle : traceStateHandle(handle, name, d.kind, listen));
  }
  return handles;
}
