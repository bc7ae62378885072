/**
 * The process operator: Flink's KeyedProcessFunction with keyed state and timers, written
 * either as a TypeScript object (process-function.ts) or as the scenario DSL
 * (process-spec.ts), both run by one KeyedProcessOperator.
 */
export { createKeyedProcessOperator, KeyedProcessOperator } from './process-operator.ts';
export { ProcessOperator } from './process-function-operator.ts';
export { descriptorsOf, processFunctionFromSpec, ttlConfigOf } from './from-spec.ts';
export { createStateHandle, createStateHandles, type StateHandleInstance } from './state-handles.ts';
export { compileHandler, type CompiledHandler } from './actions.ts';
export {
  aggregatingState,
  enableTimeToLive,
  listState,
  mapState,
  reducingState,
  valueState,
  type AggregatingStateDescriptor,
  type Collector,
  type DescriptorOptions,
  type KeyedProcessFunction,
  type ListStateDescriptor,
  type MapStateDescriptor,
  type OnTimerContext,
  type ProcessContext,
  type ProcessFunction,
  type ReducingStateDescriptor,
  type StateDescriptor,
  type StateDescriptors,
  type StateHandle,
  type TimerService,
  type ValueStateDescriptor,
} from './process-function.ts';
export {
  AGGREGATE_BINDINGS,
  aggregateProblem,
  ACTION_FIELDS,
  ACTION_KINDS,
  DEFAULT_ITEM_NAME,
  expressionProblem,
  HANDLER_BINDINGS,
  isPlainName,
  itemNameProblem,
  PROCESS_LIMITS,
  reduceProblem,
  REDUCE_BINDINGS,
  STATE_ACTIONS,
  STATE_KINDS,
  stateUseProblem,
  needsKey,
  TIME_DOMAINS,
  type ActionKind,
  type ActionSpec,
  type OperatorStateSpec,
  type ProcessHandler,
  type ProcessSpec,
  type StateKind,
  type StateSpec,
  type StateTtlSpec,
  type TimeDomain,
} from './process-spec.ts';
