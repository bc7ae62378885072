/**
 * The broadcast state pattern's functions, with Flink's names. Input 1 is the ordinary
 * stream (keyed or not), input 2 the broadcast stream: every subtask sees every one of its
 * elements and may write them into broadcast state, which the ordinary side reads.
 */
import type { JsonValue } from '../../model/index.ts';
import type { Collector, OnTimerContext, ProcessContext, StateDescriptors, StateHandle, TimerService } from '../process/index.ts';
import type { BroadcastState, BroadcastStateDescriptor, ReadOnlyBroadcastState } from './broadcast-state.ts';

/** A broadcast state, by its descriptor or its name. */
export type BroadcastStateRef = BroadcastStateDescriptor | string;

/** What processBroadcastElement may use: broadcast state to write, no key, no timers (Flink's BroadcastProcessFunction.Context). @example ctx.getBroadcastState(rules).put(rule.name, rule) */
export interface BroadcastContext {
  timestamp(): number | null;
  getBroadcastState(descriptor: BroadcastStateRef): BroadcastState;
  output(tag: string, value: JsonValue): void;
  currentProcessingTime(): number;
  currentWatermark(): number;
}

/** What processElement of a BroadcastProcessFunction may use: broadcast state, read-only (Flink's ReadOnlyContext). @example ctx.getBroadcastState(rules).get('max') */
export interface ReadOnlyBroadcastContext {
  timestamp(): number | null;
  getBroadcastState(descriptor: BroadcastStateRef): ReadOnlyBroadcastState;
  output(tag: string, value: JsonValue): void;
  currentProcessingTime(): number;
  currentWatermark(): number;
}

/** Flink's BroadcastProcessFunction (the ordinary side not keyed). @example const f: BroadcastProcessFunction = { processElement: (v, ctx, out) => out.collect(v), processBroadcastElement: (r, ctx) => ctx.getBroadcastState('rules').put('r', r) }; */
export interface BroadcastProcessFunction {
  processElement(value: JsonValue, ctx: ReadOnlyBroadcastContext, out: Collector): void;
  processBroadcastElement(value: JsonValue, ctx: BroadcastContext, out: Collector): void;
}

/** processElement's context of a KeyedBroadcastProcessFunction: keyed state and timers, broadcast state read-only. @example ctx.getState('seen').value() */
export interface KeyedReadOnlyContext<S extends StateDescriptors = StateDescriptors> extends ProcessContext<S> {
  getBroadcastState(descriptor: BroadcastStateRef): ReadOnlyBroadcastState;
}

/** onTimer's context of a KeyedBroadcastProcessFunction. @example ctx.timeDomain() */
export interface KeyedBroadcastOnTimerContext<S extends StateDescriptors = StateDescriptors> extends OnTimerContext<S> {
  getBroadcastState(descriptor: BroadcastStateRef): ReadOnlyBroadcastState;
}

/**
 * What processBroadcastElement of a KeyedBroadcastProcessFunction may use besides
 * BroadcastContext: Flink's applyToKeyedState, which visits every key of this subtask that
 * holds the keyed state `name` (in key-group, then key order), with that key current, so a
 * new rule can be applied to the state already kept for each key.
 * @example ctx.applyToKeyedState('count', (key, count) => count.update(0))
 */
export interface KeyedBroadcastContext<S extends StateDescriptors = StateDescriptors> extends BroadcastContext {
  applyToKeyedState<N extends keyof S & string>(name: N, fn: (key: JsonValue, state: StateHandle<S[N]>) => void): void;
}

/** Flink's KeyedBroadcastProcessFunction (the ordinary side keyed). @example const f: KeyedBroadcastProcessFunction = { processElement() {}, processBroadcastElement() {} }; */
export interface KeyedBroadcastProcessFunction<S extends StateDescriptors = StateDescriptors> {
  readonly state?: S;
  processElement(value: JsonValue, ctx: KeyedReadOnlyContext<S>, out: Collector): void;
  processBroadcastElement(value: JsonValue, ctx: KeyedBroadcastContext<S>, out: Collector): void;
  onTimer?(timestamp: number, ctx: KeyedBroadcastOnTimerContext<S>, out: Collector): void;
}

export type { TimerService };
