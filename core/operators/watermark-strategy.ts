/**
 * Watermark strategies, as Flink's `WatermarkStrategy` offers them. A watermark is the
 * source's claim that event time has reached t: no record with timestamp <= t will follow.
 * Bounded out-of-orderness tolerates records up to `maxOutOfOrderness` ms behind the
 * largest timestamp seen, so its watermark is `max - bound - 1` (the -1 because a record at
 * exactly `max - bound` is still allowed). Monotonous is the same with a bound of 0.
 * Ingestion time stamps each record with the processing time at the source. `none` emits
 * no watermarks at all: the job works in processing time only.
 *
 * Generators are asked for their watermark periodically (every `autoWatermarkInterval` of
 * processing time), not on every record, exactly as Flink's periodic generators are.
 */
import { MIN_WATERMARK } from '../model/index.ts';

export type WatermarkStrategySpec =
  | { readonly strategy: 'bounded-out-of-orderness'; readonly maxOutOfOrdernessMs: number; readonly idlenessMs: number | null }
  | { readonly strategy: 'monotonous'; readonly idlenessMs: number | null }
  | { readonly strategy: 'ingestion-time'; readonly idlenessMs: number | null }
  | { readonly strategy: 'none' };

/** The watermark generator of one source split (one topic partition). */
export class WatermarkGenerator {
  #maxTimestamp = MIN_WATERMARK;
  readonly #boundMs: number;

  constructor(readonly spec: WatermarkStrategySpec) {
    this.#boundMs = spec.strategy === 'bounded-out-of-orderness' ? spec.maxOutOfOrdernessMs : 0;
  }

  /** A record with event time `timestamp` was read. */
  onEvent(timestamp: number): void {
    if (timestamp > this.#maxTimestamp) this.#maxTimestamp = timestamp;
  }

  /** The watermark this split would emit now, or MIN_WATERMARK before its first record. */
  currentWatermark(): number {
    if (this.spec.strategy === 'none' || this.#maxTimestamp === MIN_WATERMARK) return MIN_WATERMARK;
    return this.#maxTimestamp - this.#boundMs - 1;
  }

  /** Whether this strategy emits watermarks at all. */
  get emits(): boolean {
    return this.spec.strategy !== 'none';
  }

  get idlenessMs(): number | null {
    return this.spec.strategy === 'none' ? null : this.spec.idlenessMs;
  }
}
