/**
 * `dedup`: lets through the first record of each key and drops the others. It runs on a
 * stream partitioned by its own key (the scenario loader puts hash partitioning by the key
 * in front of it, as a keyBy would), so all records of one key meet in one subtask, and it
 * remembers the keys it has seen in one of two ways (DedupFilterSpec): a Bloom filter per
 * key group (BloomKeys), small and fixed in size but sometimes wrong, or an exact set in
 * keyed state (ExactKeys). Flink has no built-in dedup; this is the KeyedProcessFunction
 * with a "seen" flag that its documentation sketches, with the Bloom filter as the
 * memory-bounded variant that jobs over huge key spaces use.
 *
 * It publishes what it did to the world's dedup registry (see core/world/dedup-metrics.ts),
 * which the run report reads: the memory taken, keys seen, records dropped and, for a
 * Bloom filter, how many of those drops were false positives.
 *
 * @example {"id": "once", "type": "dedup", "input": "clicks", "key": "clickId", "bloom": {"expectedItems": 100000, "falsePositiveRate": 0.01}}
 */
import { assert } from '../../kernel/index.ts';
import type { JsonValue, StreamRecord } from '../../model/index.ts';
import type { KeyedContext, OperatorContext, Output, StreamOperator } from '../operator.ts';
import type { DedupMetrics } from '../../world/index.ts';
import { BloomKeys } from './bloom-keys.ts';
import type { DedupFilterSpec } from './dedup-spec.ts';
import { ExactKeys } from './exact-keys.ts';

export class DedupOperator implements StreamOperator {
  #keyed!: KeyedContext;
  #out!: Output;
  #ctx!: OperatorContext;
  #metrics!: DedupMetrics;
  #bloom: BloomKeys | null = null;
  #exact: ExactKeys | null = null;
  #restored: readonly JsonValue[] | null = null;

  constructor(readonly spec: DedupFilterSpec) {}

  initializeState(restored: readonly JsonValue[] | null): void {
    this.#restored = restored;
  }

  open(ctx: OperatorContext, output: Output): void {
    assert(ctx.keyed !== null, () => `dedup '${ctx.operatorId}' needs a stream partitioned by its key`);
    this.#keyed = ctx.keyed;
    this.#ctx = ctx;
    this.#out = output;
    const spec = this.spec;
    if (spec.mode === 'bloom') {
      const bloom = (this.#bloom = new BloomKeys(spec.expectedItems, spec.falsePositiveRate, ctx.maxParallelism));
      this.#metrics = ctx.world.dedup.declare(ctx.operatorId, bloom.shape);
      bloom.open(ctx.keyed.backend.keyGroupRange, this.#restored, this.#metrics);
    } else {
      const exact = (this.#exact = new ExactKeys(ctx.maxParallelism));
      this.#metrics = ctx.world.dedup.declare(ctx.operatorId, exact.shape);
      exact.open(ctx.keyed.backend, this.#metrics);
    }
    this.#restored = null;
  }

  processElement(record: StreamRecord): void {
    const backend = this.#keyed.backend;
    backend.setCurrentKey(this.#keyed.selectKey(record));
    const verdict = this.#bloom !== null ? this.#bloom.observe(backend.currentKeyGroup, backend.currentKeyString) : this.#exact!.observe(backend);
    if (verdict === 'new') return this.#out.collect(record);
    this.#metrics.dropped++;
    const falsePositive = verdict === 'false-positive';
    if (falsePositive) this.#metrics.falsePositives++;
    const ctx = this.#ctx;
    if (ctx.trace.records('record.deduplicated')) ctx.trace.emit({ tag: 'record.deduplicated', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, operator: ctx.operatorId, value: record.value, timestamp: record.timestamp, falsePositive });
  }

  processWatermark(watermark: number): void {
    this.#out.emitWatermark(watermark);
  }

  endInput(): void {}

  /** The Bloom filters of this subtask's key groups; nothing for an exact set, which is keyed state. */
  snapshotState(): JsonValue {
    return this.#bloom?.snapshot() ?? null;
  }
}
