/**
 * Flink's IntervalJoinOperator: joins two keyed streams on equal keys where the right
 * element's timestamp lies within [left + lower, left + upper] (each bound inclusive unless
 * made exclusive, which moves it by 1 ms inwards). Event time only.
 *
 * Each side's elements wait in keyed state, a map from timestamp to the elements with that
 * timestamp. An arriving element is added to its side's buffer, then joined with every
 * element of the other side's buffer whose timestamp is in range; the pair goes to the
 * ProcessJoinFunction with the larger of the two timestamps. An element is late, and
 * dropped (or sent to a late side output), when its timestamp is below the operator's
 * watermark. Each buffered element gets a cleanup timer at the time after which nothing of
 * the other side can still join it (a left element at t: t + upper, or t when upper is not
 * positive; a right one at t: t - lower, or t when lower is not negative), and the timer
 * removes it, so the buffers hold no more than the interval needs.
 */
import { canonicalJson, type JsonValue, type StreamRecord } from '../../model/index.ts';
import { DEFAULT_NAMESPACE, MapState, type InternalTimerService, type KeyedStateBackend, type Timer } from '../../state/index.ts';
import type { OperatorContext, Output } from '../operator.ts';
import { writeUserSideOutput } from '../side-output.ts';
import { MIN_WATERMARK } from '../../model/index.ts';
import type { Collector } from '../process/index.ts';
import { isUserError, UserFunctionError } from '../user-function.ts';
import type { ProcessJoinContext, ProcessJoinFunction } from './co-functions.ts';
import type { KeyFunction } from './co-process-operator.ts';
import { AbstractTwoInputOperator } from './two-input-base.ts';

/** Flink's timer namespaces of the two buffers' cleanup timers. */
export const CLEANUP_NAMESPACE_LEFT = 'CLEANUP_LEFT';
export const CLEANUP_NAMESPACE_RIGHT = 'CLEANUP_RIGHT';
const LEFT_BUFFER = 'LEFT_BUFFER';
const RIGHT_BUFFER = 'RIGHT_BUFFER';

/** The join's interval, as `between(lower, upper)` and the exclusive flags give it. */
export interface IntervalJoinBounds {
  readonly lowerMs: number;
  readonly upperMs: number;
  readonly lowerInclusive: boolean;
  readonly upperInclusive: boolean;
}

export interface IntervalJoinConfig {
  readonly bounds: IntervalJoinBounds;
  readonly keys: readonly [KeyFunction, KeyFunction];
  readonly fn: ProcessJoinFunction;
  /** Side outputs for late elements of each side (Flink's sideOutputLeftLateData / sideOutputRightLateData); null: dropped. */
  readonly leftLateTag?: string | null;
  readonly rightLateTag?: string | null;
}

/**
 * Why bounds cannot be used, or null (Flink's check: lower <= upper, before exclusivity).
 * @example intervalBoundsProblem(5, 2) // 'lowerBound <= upperBound must be fulfilled: ...'
 */
export function intervalBoundsProblem(lowerMs: number, upperMs: number): string | null {
  if (!Number.isSafeInteger(lowerMs) || !Number.isSafeInteger(upperMs)) return `the bounds are whole numbers of milliseconds, found ${String(lowerMs)} and ${String(upperMs)}`;
  if (lowerMs > upperMs) return `lowerBound <= upperBound must be fulfilled: the lower bound ${lowerMs} is above the upper bound ${upperMs}`;
  return null;
}

/**
 * @example
 * new IntervalJoinOperator({ bounds: { lowerMs: -2, upperMs: 2, lowerInclusive: true, upperInclusive: true }, keys: [k, k], fn })
 */
export class IntervalJoinOperator extends AbstractTwoInputOperator {
  readonly #lower: number;
  readonly #upper: number;
  readonly #config: IntervalJoinConfig;
  #backend!: KeyedStateBackend;
  #timers!: InternalTimerService;
  #left!: MapState;
  #right!: MapState;
  #leftTimestamp = 0;
  #rightTimestamp = 0;
  #resultTimestamp = 0;
  readonly #context: ProcessJoinContext;
  readonly #collector: Collector;

  constructor(config: IntervalJoinConfig) {
    super();
    const { lowerMs, upperMs, lowerInclusive, upperInclusive } = config.bounds;
    const problem = intervalBoundsProblem(lowerMs, upperMs);
    if (problem !== null) throw new RangeError(`interval join: ${problem}`);
    this.#config = config;
    // Exclusive bounds are inclusive ones moved inwards (Flink does the same).
    this.#lower = lowerInclusive ? lowerMs : lowerMs + 1;
    this.#upper = upperInclusive ? upperMs : upperMs - 1;
    this.#context = {
      getLeftTimestamp: () => this.#leftTimestamp,
      getRightTimestamp: () => this.#rightTimestamp,
      getTimestamp: () => this.#resultTimestamp,
      output: (tag, value) => writeUserSideOutput(this.ctx, tag, value, this.#resultTimestamp),
    };
    this.#collector = {
      collect: (value) => this.out.collect({ value, timestamp: this.#resultTimestamp }),
      collectWithTimestamp: (value, timestamp) => this.out.collect({ value, timestamp }),
    };
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    if (ctx.keyed === null) throw new Error(`operator '${ctx.operatorId}': an interval join needs two keyed streams`);
    this.#backend = ctx.keyed.backend;
    this.#timers = ctx.keyed.timers;
    this.#left = new MapState(this.#backend, LEFT_BUFFER);
    this.#right = new MapState(this.#backend, RIGHT_BUFFER);
  }

  processElement1(record: StreamRecord): void {
    this.#process(record, this.#config.keys[0](record), true);
  }

  processElement2(record: StreamRecord): void {
    this.#process(record, this.#config.keys[1](record), false);
  }

  #process(record: StreamRecord, key: JsonValue, isLeft: boolean): void {
    const ours = record.timestamp;
    const side = isLeft ? 'left' : 'right';
    if (ours === null) {
      throw new UserFunctionError(this.ctx.operatorId, new TypeError(`an element of the ${side} input has no timestamp; the elements of an interval join need meaningful timestamps (give the source a WatermarkStrategy or a timestamp)`));
    }
    const watermark = this.#timers.currentWatermark;
    if (watermark !== MIN_WATERMARK && ours < watermark) {
      const tag = isLeft ? this.#config.leftLateTag : this.#config.rightLateTag;
      const ctx = this.ctx;
      ctx.trace.emit({ tag: 'record.late', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, operator: ctx.operatorId, value: record.value, timestamp: ours, watermark, sideOutput: tag ?? null });
      if (tag != null) {
        this.ctx.metrics.lateRecordsToSideOutput++;
        this.ctx.world.writeSideOutput(tag, { value: record.value, timestamp: ours });
      } else this.ctx.metrics.lateRecordsDropped++;
      return;
    }
    const backend = this.#backend;
    backend.setCurrentKey(key);
    backend.setCurrentNamespace(DEFAULT_NAMESPACE);
    const ourBuffer = isLeft ? this.#left : this.#right;
    const otherBuffer = isLeft ? this.#right : this.#left;
    // The right side looks from the other end: [ours - upper, ours - lower].
    const lower = isLeft ? this.#lower : -this.#upper;
    const upper = isLeft ? this.#upper : -this.#lower;
    const bucket = canonicalJson(ours);
    const list = ourBuffer.get(bucket) as JsonValue[] | null;
    if (list === null) ourBuffer.put(bucket, [record.value]);
    else list.push(record.value);
    // Oldest first: a map's own order would be its hash order in Flink; here it must not depend on insertion.
    for (const other of sortedTimestamps(otherBuffer)) {
      if (other < ours + lower || other > ours + upper) continue;
      for (const element of otherBuffer.get(canonicalJson(other)) as JsonValue[]) {
        if (isLeft) this.#collect(record.value, element, ours, other);
        else this.#collect(element, record.value, other, ours);
      }
    }
    const cleanupTime = upper > 0 ? ours + upper : ours;
    this.#timers.registerEventTimeTimer(this.#timer(cleanupTime, isLeft ? CLEANUP_NAMESPACE_LEFT : CLEANUP_NAMESPACE_RIGHT));
  }

  #collect(left: JsonValue, right: JsonValue, leftTimestamp: number, rightTimestamp: number): void {
    this.#leftTimestamp = leftTimestamp;
    this.#rightTimestamp = rightTimestamp;
    this.#resultTimestamp = Math.max(leftTimestamp, rightTimestamp);
    try {
      this.#config.fn.processElement(left, right, this.#context, this.#collector);
    } catch (e) {
      if (isUserError(e)) throw e;
      throw new UserFunctionError(this.ctx.operatorId, e);
    }
  }

  #timer(timestamp: number, namespace: string): Timer {
    const b = this.#backend;
    return { timestamp, key: b.currentKey, keyId: b.currentKeyId, namespace };
  }

  protected override processWatermark(watermark: number): void {
    this.#timers.advanceWatermark(watermark, (timer) => this.#cleanup(timer));
    this.out.emitWatermark(watermark);
  }

  /** A cleanup timer: the buffered elements with the timestamp it stands for can join nothing any more. */
  #cleanup(timer: Timer): void {
    const backend = this.#backend;
    backend.setCurrentKey(timer.key);
    backend.setCurrentNamespace(DEFAULT_NAMESPACE);
    if (timer.namespace === CLEANUP_NAMESPACE_LEFT) {
      removeBucket(this.#left, this.#upper <= 0 ? timer.timestamp : timer.timestamp - this.#upper);
    } else if (timer.namespace === CLEANUP_NAMESPACE_RIGHT) {
      removeBucket(this.#right, this.#lower <= 0 ? timer.timestamp + this.#lower : timer.timestamp);
    }
  }
}

function sortedTimestamps(buffer: MapState): number[] {
  return buffer
    .keys()
    .map(Number)
    .sort((a, b) => a - b);
}

/** Removes one timestamp's elements; an emptied buffer leaves no state behind. */
function removeBucket(buffer: MapState, timestamp: number): void {
  buffer.remove(canonicalJson(timestamp));
  if (buffer.keys().length === 0) buffer.clear();
}
