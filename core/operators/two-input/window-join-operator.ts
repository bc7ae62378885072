/**
 * Flink's window join and coGroup (`a.join(b)` / `a.coGroup(b)` `.where(k1).equalTo(k2)
 * .window(assigner)`), built as Flink builds them: each element is tagged with the side it
 * came from (Flink's TaggedUnion: `{"one": element}` from the first input, `{"two": element}`
 * from the second), both sides are keyed by their own key, and one ordinary window operator
 * keeps every element of a (key, window) in a list. When the window fires, the list is
 * split by tag, in arrival order, and handed to the CoGroupFunction; a join is the coGroup
 * that emits one record per pair, every first-side element with every second-side one
 * (Flink's JoinCoGroupFunction), so a window with only one side's elements joins nothing.
 *
 * So everything a window can do, a join can: any assigner (also sessions, which merge),
 * trigger, evictor and allowed lateness (a late firing emits the window's pairs again, as
 * in Flink). What the trigger, the evictor or a dynamic session gap sees is the tagged
 * element, as in Flink. Late elements are dropped and counted: Flink's JoinedStreams has no
 * late side output. Every result carries the window's max timestamp (end - 1).
 *
 * Unlike Flink, which runs the tagging as two map operators and a union in front of the
 * window, Weir tags inside the operator: one vertex with two inputs, whose state is the
 * window operator's own (snapshotted, restored and rescaled per key group).
 */
import type { JsonValue, StreamRecord } from '../../model/index.ts';
import type { OperatorContext, Output } from '../operator.ts';
import { createWindowOperator, type WindowOperator, type WindowOperatorConfig } from '../windows/window-operator.ts';
import type { TimeWindow } from '../windows/time-window.ts';
import type { KeyFunction } from './co-process-operator.ts';
import { AbstractTwoInputOperator } from './two-input-base.ts';

/** Flink's CoGroupFunction: one key's elements of each side in one window (arrival order); returns the records to emit. */
export type CoGroupFunction = (first: JsonValue[], second: JsonValue[], key: JsonValue, window: TimeWindow) => JsonValue[];

/** Flink's JoinFunction: one record per pair. */
export type JoinFunction = (first: JsonValue, second: JsonValue, key: JsonValue, window: TimeWindow) => JsonValue;

/** The windowing of a join: a window operator's config without its aggregate, functions and late side output. */
export type JoinWindowConfig = Omit<WindowOperatorConfig, 'aggregate' | 'aggregateFunction' | 'windowFunction' | 'lateOutputTag'>;

export interface CoGroupWindowConfig {
  readonly window: JoinWindowConfig;
  /** Each input's key; elements of both sides with equal keys meet in one window. */
  readonly keys: readonly [KeyFunction, KeyFunction];
  readonly fn: CoGroupFunction;
}

/** The tag of a first-input element (Flink's TaggedUnion.one). */
export const FIRST_TAG = 'one';
/** The tag of a second-input element (TaggedUnion.two). */
export const SECOND_TAG = 'two';

/**
 * A join as a coGroup (Flink's JoinCoGroupFunction): every first element with every second one.
 * @example joinAsCoGroup((a, b) => ({ a, b }))([1, 2], [3], null, w) // [{a: 1, b: 3}, {a: 2, b: 3}]
 */
export function joinAsCoGroup(fn: JoinFunction): CoGroupFunction {
  return (first, second, key, window) => {
    const out: JsonValue[] = [];
    for (const a of first) for (const b of second) out.push(fn(a, b, key, window));
    return out;
  };
}

/** Splits a window's tagged elements by side, keeping arrival order within each. */
function untag(elements: readonly JsonValue[]): [JsonValue[], JsonValue[]] {
  const first: JsonValue[] = [];
  const second: JsonValue[] = [];
  for (const element of elements) {
    const tagged = element as Record<string, JsonValue>;
    if (Object.hasOwn(tagged, FIRST_TAG)) first.push(tagged[FIRST_TAG]!);
    else second.push(tagged[SECOND_TAG]!);
  }
  return [first, second];
}

/**
 * @example
 * new CoGroupWindowOperator({ window: { assigner: { type: 'tumbling', sizeMs: 1000, offsetMs: 0, time: 'event' }, trigger: null, allowedLatenessMs: 0 },
 *   keys: [k, k], fn: joinAsCoGroup((a, b) => ({ a, b })) })
 */
export class CoGroupWindowOperator extends AbstractTwoInputOperator {
  readonly #keys: readonly [KeyFunction, KeyFunction];
  readonly #window: WindowOperator;
  /** The key of the element being handed to the window operator, which asks for it once. */
  #key: JsonValue = null;

  constructor(config: CoGroupWindowConfig) {
    super();
    this.#keys = config.keys;
    const fn = config.fn;
    this.#window = createWindowOperator({
      ...config.window,
      aggregate: { kind: 'collect', expr: null },
      lateOutputTag: null,
      windowFunction: (key, window, elements) => {
        const [first, second] = untag(elements as JsonValue[]);
        return fn(first, second, key, window);
      },
    });
  }

  override open(ctx: OperatorContext, output: Output): void {
    super.open(ctx, output);
    if (ctx.keyed === null) throw new Error(`operator '${ctx.operatorId}': a window join needs two keyed streams`);
    // The task's key selector is the first input's; the window operator keys each element by its own side's key.
    this.#window.open({ ...ctx, keyed: { ...ctx.keyed, selectKey: () => this.#key } }, output);
  }

  processElement1(record: StreamRecord): void {
    this.#key = this.#keys[0](record);
    this.#window.processElement({ value: { [FIRST_TAG]: record.value }, timestamp: record.timestamp });
  }

  processElement2(record: StreamRecord): void {
    this.#key = this.#keys[1](record);
    this.#window.processElement({ value: { [SECOND_TAG]: record.value }, timestamp: record.timestamp });
  }

  protected override processWatermark(watermark: number): void {
    this.#window.processWatermark(watermark);
  }

  onProcessingTime(nowMs: number): void {
    this.#window.onProcessingTime(nowMs);
  }

  override endInput(): void {
    this.#window.endInput();
  }
}
