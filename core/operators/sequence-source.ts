/**
 * The `sequence` test source: it emits its items in order from one subtask. Records and
 * watermarks go out as they come; `advanceProcessingTime` pauses the source until the
 * virtual clock has moved on by that many ms, so a scenario can spread its input over
 * time. At the end it emits the final watermark (+inf), as a bounded Flink source does,
 * which fires every event-time timer still pending downstream.
 *
 *
 * Its checkpointed state is the position of the next item, so a restored sequence goes on
 * from there (and replays what it emitted after the checkpoint).
 *
 * @example {"id": "numbers", "type": "sequence", "items": [{"value": 1, "timestamp": 10}, {"advanceProcessingTime": 100}, {"watermark": 10}]}
 */
import { MAX_WATERMARK, type JsonValue } from '../model/index.ts';
import type { SequenceItemSpec } from './source-items.ts';
import type { OperatorContext, Output, SourceOperator, SourceStatus } from './operator.ts';

const MORE: SourceStatus = { kind: 'more' };
const END: SourceStatus = { kind: 'end' };

export class SequenceSource implements SourceOperator {
  readonly #items: readonly SequenceItemSpec[];
  #next = 0;
  #ctx!: OperatorContext;
  #out!: Output;

  constructor(items: readonly SequenceItemSpec[]) {
    this.#items = items;
  }

  initializeState(restored: readonly JsonValue[] | null): void {
    if (restored !== null && restored.length > 0) this.#next = Math.min((restored[0] as { next: number }).next, this.#items.length);
  }

  snapshotState(): JsonValue {
    return { next: this.#next };
  }

  open(ctx: OperatorContext, output: Output): void {
    this.#ctx = ctx;
    this.#out = output;
  }

  emitBatch(budget: number): SourceStatus {
    const items = this.#items;
    let emitted = 0;
    while (this.#next < items.length) {
      if (emitted >= budget || this.#ctx.isBackPressured()) return MORE;
      const item = items[this.#next++]!;
      emitted++;
      switch (item.kind) {
        case 'record':
          this.#out.collect({ value: item.value, timestamp: item.timestamp });
          break;
        case 'watermark':
          this.#out.emitWatermark(item.timestamp);
          break;
        case 'advance':
          if (item.ms > 0) return { kind: 'wait', untilMs: this.#ctx.nowMs() + item.ms };
          break;
      }
    }
    if (this.#next === items.length) {
      this.#next++;
      this.#out.emitWatermark(MAX_WATERMARK);
    }
    return END;
  }
}
