/**
 * The `source` operator: reads a topic's partitions, like Flink's KafkaSource. Partition
 * p goes to subtask p mod parallelism; a subtask with no partition is idle from the start
 * (so it never holds back the watermark downstream). Within a subtask, records are read in
 * append-time order across its partitions, and only once their append time has come.
 *
 * Watermarks are generated per partition and the subtask emits their minimum, as Flink's
 * Kafka source does, so one slow partition holds event time back for everyone. A partition
 * that has been quiet for the strategy's `idleness` (counted as Flink counts it, see
 * idleness-timer.ts) is left out of that minimum; when all of a subtask's partitions are
 * idle, the subtask emits the highest of their watermarks and declares itself idle
 * downstream.
 *
 * Bounded by default: after its partitions' last records the source emits the final
 * watermark and finishes. Unbounded (`"bounded": false`), it waits for records that never
 * come, until `run.until` stops the run.
 *
 * Its checkpointed state is the next offset of each partition it reads, as Flink's
 * KafkaSource keeps its splits' offsets; a restored source starts reading there, so what
 * was read after the checkpoint is read again (replayed). Watermarks are not part of the
 * state: after a restore the per-partition watermarks start again from nothing, as in
 * Flink, so lateness decisions after recovery can differ from the first run's.
 */
import { isTimeInRange, MAX_WATERMARK, MIN_WATERMARK, TIME_RANGE_TEXT, type JsonValue } from '../model/index.ts';
import {
  WatermarkGenerator,
  type RecordFunction,
  type OperatorContext,
  type Output,
  type SourceOperator,
  type SourceStatus,
  type WatermarkStrategySpec,
  UserFunctionError,
} from '../operators/index.ts';
import { IdlenessTimer } from './idleness-timer.ts';
import type { PartitionLog, Topic } from './topic.ts';

export interface TopicSourceConfig {
  readonly topic: Topic;
  readonly watermarks: WatermarkStrategySpec;
  /** Chooses event time from the record; null: the topic record's own timestamp. */
  readonly timestamp: RecordFunction<JsonValue> | null;
  readonly bounded: boolean;
  readonly autoWatermarkIntervalMs: number;
}

interface SplitState {
  readonly index: number;
  readonly log: PartitionLog;
  offset: number;
  readonly generator: WatermarkGenerator;
  /** Null when the strategy has no idleness. */
  readonly idleness: IdlenessTimer | null;
}

const MORE: SourceStatus = { kind: 'more' };

/**
 * A timestamp assigner must give a whole number of ms in the range of event times; anything
 * else fails the task here, at the source, rather than in the first window downstream.
 */
function eventTime(value: JsonValue, operatorId: string): number {
  if (typeof value === 'number' && isTimeInRange(value)) return value;
  throw new UserFunctionError(operatorId, new TypeError(`its timestamp expression must give a whole number of ms ${TIME_RANGE_TEXT}, got ${JSON.stringify(value)}`));
}

export class TopicSource implements SourceOperator {
  #splits: SplitState[] = [];
  #ctx!: OperatorContext;
  #out!: Output;
  #finished = false;
  #idle = false;
  #restored: ReadonlyMap<number, number> | null = null;

  constructor(private readonly config: TopicSourceConfig) {}

  initializeState(restored: readonly JsonValue[] | null): void {
    if (restored === null) return;
    const offsets = new Map<number, number>();
    for (const state of restored) {
      for (const split of (state as { splits: { partition: number; offset: number }[] }).splits) offsets.set(split.partition, split.offset);
    }
    this.#restored = offsets;
  }

  snapshotState(): JsonValue {
    return { splits: this.#splits.map((s) => ({ partition: s.index, offset: s.offset })) };
  }

  open(ctx: OperatorContext, output: Output): void {
    this.#ctx = ctx;
    this.#out = output;
    const partitions = this.config.topic.partitions;
    for (let p = ctx.subtaskIndex; p < partitions.length; p += ctx.parallelism) {
      const idlenessMs = this.config.watermarks.strategy === 'none' ? null : this.config.watermarks.idlenessMs;
      const idleness = idlenessMs === null ? null : new IdlenessTimer(idlenessMs);
      this.#splits.push({ index: p, log: partitions[p]!, offset: this.#restored?.get(p) ?? 0, generator: new WatermarkGenerator(this.config.watermarks), idleness });
    }
    if (this.#splits.length === 0) this.#setIdle(true);
    const interval = this.config.autoWatermarkIntervalMs;
    if (this.config.watermarks.strategy !== 'none' && interval > 0) ctx.registerProcessingTimeCallback(ctx.nowMs() + interval);
  }

  emitBatch(budget: number): SourceStatus {
    const now = this.#ctx.nowMs();
    const splits = this.#splits;
    const timestampOf = this.config.timestamp;
    const ingestion = this.config.watermarks.strategy === 'ingestion-time';
    for (let emitted = 0; emitted < budget; emitted++) {
      if (this.#ctx.isBackPressured()) return this.#sampleLag(now);
      // The split whose next record was appended first (ties: lower partition).
      let next: SplitState | null = null;
      let nextAt = Number.POSITIVE_INFINITY;
      for (const s of splits) {
        if (s.offset < s.log.length) {
          const at = s.log.appendTime(s.offset);
          if (at < nextAt) {
            nextAt = at;
            next = s;
          }
        }
      }
      if (next === null) return this.#exhausted();
      if (nextAt > now) return { kind: 'wait', untilMs: nextAt };
      const record = next.log.read(next.offset++);
      const timestamp = ingestion ? now : timestampOf !== null ? eventTime(timestampOf(record.value, record.timestamp), this.#ctx.operatorId) : record.timestamp;
      if (timestamp !== null) next.generator.onEvent(timestamp);
      next.idleness?.activity();
      if (this.#idle) this.#setIdle(false);
      this.#out.collect({ value: record.value, timestamp });
    }
    return this.#sampleLag(now);
  }

  /** Records appended by now and not yet read, per partition (Kafka's consumer lag). */
  #sampleLag(nowMs: number): SourceStatus {
    const lag = this.#ctx.world.consumerLag;
    for (const s of this.#splits) lag.sample(this.config.topic.name, s.index, appendedBy(s.log, s.offset, nowMs) - s.offset, nowMs);
    return MORE;
  }

  #exhausted(): SourceStatus {
    if (!this.config.bounded) return { kind: 'idle' };
    this.#finished = true;
    // As Flink's WatermarkToDataOutput: a watermark from an idle output first marks it active, else downstream ignores it.
    if (this.#idle) this.#setIdle(false);
    this.#out.emitWatermark(MAX_WATERMARK);
    return { kind: 'end' };
  }

  /**
   * Periodic watermark emission: the minimum over active, unfinished partitions. When every
   * unfinished partition has become idle, the subtask first emits the maximum of their
   * watermarks and then goes idle, as Flink's combined watermark status does: what the
   * partitions have read counts, even though none of them will hold event time back now.
   */
  onProcessingTime(nowMs: number): void {
    if (this.#finished) return;
    this.#sampleLag(nowMs);
    let min = Number.POSITIVE_INFINITY;
    let maxIdle = MIN_WATERMARK;
    let active = 0;
    let ended = 0;
    for (const s of this.#splits) {
      if (s.offset >= s.log.length && this.config.bounded) {
        ended++;
        continue;
      }
      const wm = s.generator.currentWatermark();
      if (s.idleness !== null) {
        // Records already appended but not read yet (the source is backpressured) are
        // activity: a partition with data waiting is behind, not idle.
        if (s.offset < s.log.length && s.log.appendTime(s.offset) <= nowMs) s.idleness.activity();
        if (s.idleness.checkIfIdle(nowMs)) {
          if (wm > maxIdle) maxIdle = wm;
          continue;
        }
      }
      active++;
      if (wm < min) min = wm;
    }
    // Splits read to their end are not idle: the source is about to finish with the final watermark.
    if (active === 0 && this.#splits.length > ended) {
      if (!this.#idle) {
        if (maxIdle > MIN_WATERMARK) this.#out.emitWatermark(maxIdle);
        this.#setIdle(true);
      }
    } else if (active > 0) {
      if (this.#idle) this.#setIdle(false);
      // The task's source output lets only advancing watermarks through.
      if (min > MIN_WATERMARK) this.#out.emitWatermark(min);
    }
    this.#ctx.registerProcessingTimeCallback(nowMs + this.config.autoWatermarkIntervalMs);
  }

  #setIdle(idle: boolean): void {
    this.#idle = idle;
    this.#ctx.markIdle(idle);
  }
}

/** The number of records of `log` appended by `nowMs` (append times are non-decreasing), searching from `from`. */
function appendedBy(log: PartitionLog, from: number, nowMs: number): number {
  let lo = from;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log.appendTime(mid) <= nowMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
