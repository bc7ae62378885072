/**
 * Flink's CoProcessOperator and KeyedCoProcessOperator in one: a CoProcessFunction (no
 * key: no state, no timers) or a KeyedCoProcessFunction (both inputs keyed; an element of
 * either side sets the current key, so both sides of a key read and write the same state
 * and timers, and a timer fires with the key that registered it).
 */
import type { JsonValue, StreamRecord } from '../../model/index.ts';
import type { OperatorContext, Output } from '../operator.ts';
import type { OnTimerContext } from '../process/index.ts';
import type { CoProcessFunction, KeyedCoProcessFunction } from './co-functions.ts';
import { FunctionScope } from './function-scope.ts';
import { AbstractTwoInputOperator } from './two-input-base.ts';

/** A side's key selector. */
export type KeyFunction = (record: StreamRecord) => JsonValue;

/**
 * @example
 * new CoProcessOperator(fn, [(r) => (r.value as Ride).rideId, (r) => (r.value as Fare).rideId]) // keyed
 * new CoProcessOperator(fn, null)                                                              // not keyed
 */
export class CoProcessOperator extends AbstractTwoInputOperator {
  readonly #fn: KeyedCoProcessFunction;
  readonly #keys: readonly [KeyFunction, KeyFunction] | null;
  readonly #scope = new FunctionScope();
  readonly #context: OnTimerContext;
  readonly #onTimer: ((timestamp: number) => void) | null;

  constructor(fn: CoProcessFunction | KeyedCoProcessFunction, keys: readonly [KeyFunction, KeyFunction] | null) {
    super();
    this.#fn = fn as KeyedCoProcessFunction;
    this.#keys = keys;
    const scope = this.#scope;
    this.#context = {
      timestamp: () => scope.timestamp,
      getCurrentKey: () => scope.getCurrentKey(),
      timerService: () => scope.timerService,
      getState: (name: string) => scope.getState(name),
      output: (tag: string, value: JsonValue) => scope.output(tag, value),
      timeDomain: () => scope.domain,
    } as OnTimerContext;
    const onTimer = this.#fn.onTimer;
    this.#onTimer = onTimer === undefined ? null : (t) => onTimer.call(this.#fn, t, this.#context, scope.collector);
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    this.#scope.open(ctx, output, this.#keys !== null, this.#fn.state);
  }

  processElement1(record: StreamRecord): void {
    const scope = this.#scope;
    scope.element(record, this.#keys === null ? null : this.#keys[0](record));
    scope.call(() => this.#fn.processElement1(record.value, this.#context, scope.collector));
  }

  processElement2(record: StreamRecord): void {
    const scope = this.#scope;
    scope.element(record, this.#keys === null ? null : this.#keys[1](record));
    scope.call(() => this.#fn.processElement2(record.value, this.#context, scope.collector));
  }

  protected override processWatermark(watermark: number): void {
    this.#scope.advanceWatermark(watermark, this.#onTimer);
  }

  onProcessingTime(nowMs: number): void {
    this.#scope.onProcessingTime(nowMs, this.#onTimer);
  }
}
