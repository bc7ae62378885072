/**
 * `WatermarkStrategy`, with Flink's factory names. A strategy says how event time is
 * taken from records (the timestamp assigner) and how watermarks follow it (the
 * generator), and whether a silent input may be declared idle.
 *
 * @example WatermarkStrategy.forBoundedOutOfOrderness(100).withIdleness(1000).withTimestampAssigner((v) => v.ts)
 */
import type { JsonValue } from '../../model/index.ts';
import type { WatermarkStrategySpec } from '../../operators/index.ts';

export type TimestampAssigner = (value: JsonValue, recordTimestamp: number | null) => number;

export class WatermarkStrategy {
  private constructor(
    readonly spec: WatermarkStrategySpec,
    readonly timestampAssigner: TimestampAssigner | null,
  ) {}

  /** Watermark = largest timestamp seen - `maxOutOfOrdernessMs` - 1. */
  static forBoundedOutOfOrderness(maxOutOfOrdernessMs: number): WatermarkStrategy {
    return new WatermarkStrategy({ strategy: 'bounded-out-of-orderness', maxOutOfOrdernessMs, idlenessMs: null }, null);
  }

  /** Timestamps only grow: watermark = largest timestamp seen - 1. */
  static forMonotonousTimestamps(): WatermarkStrategy {
    return new WatermarkStrategy({ strategy: 'monotonous', idlenessMs: null }, null);
  }

  /** Event time = processing time at the source. */
  static forIngestionTime(): WatermarkStrategy {
    return new WatermarkStrategy({ strategy: 'ingestion-time', idlenessMs: null }, null);
  }

  /** No watermarks: processing time only. */
  static noWatermarks(): WatermarkStrategy {
    return new WatermarkStrategy({ strategy: 'none' }, null);
  }

  /** Declares an input idle after `idlenessMs` without records, so it stops holding back event time. */
  withIdleness(idlenessMs: number): WatermarkStrategy {
    if (this.spec.strategy === 'none') return this;
    return new WatermarkStrategy({ ...this.spec, idlenessMs }, this.timestampAssigner);
  }

  withTimestampAssigner(assigner: TimestampAssigner): WatermarkStrategy {
    return new WatermarkStrategy(this.spec, assigner);
  }
}
