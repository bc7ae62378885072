/**
 * Flink's window join and coGroup, with its names: `a.join(b)` / `a.coGroup(b)`, then
 * `.where(key1).equalTo(key2).window(assigner)`, optionally `.trigger(..)`, `.evictor(..)`,
 * `.allowedLateness(ms)`, and `.apply(fn)`. Both sides are keyed by their own key; the
 * operator is the window join of core/operators/two-input/window-join-operator.ts.
 *
 * @example
 * orders.join(payments).where((o) => o.orderId).equalTo((p) => p.orderId)
 *   .window(TumblingEventTimeWindows.of(1000))
 *   .apply((order, payment) => ({ order, payment }))
 *   .print();
 */
import type { KeySelector } from '../../graph/index.ts';
import type { JsonValue, StreamRecord } from '../../model/index.ts';
import {
  CoGroupWindowOperator,
  guarded,
  joinAsCoGroup,
  type CoGroupFunction,
  type JoinFunction,
  type JoinWindowConfig,
  type WindowAssignerSpec,
  type WindowEvictorSpec,
  type WindowTriggerSpec,
} from '../../operators/index.ts';
import type { MakeStream, StreamLike } from './connected-streams.ts';
import type { Transformation, TransformationSink } from './transformation.ts';
import { checkedLateness, checkedTrigger } from './windowed-stream-base.ts';

type KeyFn = (value: JsonValue) => JsonValue;
type Kind = 'join' | 'coGroup';
/** The function a join (JoinFunction) or a coGroup (CoGroupFunction) applies. */
type FunctionOf<K extends Kind> = K extends 'join' ? JoinFunction : CoGroupFunction;

/** What every step of a join carries from `a.join(b)` to `apply`. */
interface JoinInputs<R, K extends Kind> {
  readonly env: TransformationSink;
  readonly first: StreamLike;
  readonly second: StreamLike;
  readonly make: MakeStream<R>;
  readonly kind: K;
}

/** `a.join(b)` or `a.coGroup(b)`: waiting for the first key (Flink's JoinedStreams / CoGroupedStreams). */
export class JoinedStreams<R, K extends Kind> {
  readonly #inputs: JoinInputs<R, K>;

  constructor(env: TransformationSink, first: StreamLike, second: StreamLike, make: MakeStream<R>, kind: K) {
    this.#inputs = { env, first, second, make, kind };
  }

  /** The first stream's key. */
  where(key: KeyFn): { equalTo(key: KeyFn): WindowJoinKeys<R, K> } {
    return { equalTo: (key2) => new WindowJoinKeys(this.#inputs, [key, key2]) };
  }
}

/** Both keys given: waiting for the window. */
export class WindowJoinKeys<R, K extends Kind> {
  constructor(
    private readonly inputs: JoinInputs<R, K>,
    private readonly keys: readonly [KeyFn, KeyFn],
  ) {}

  window(assigner: WindowAssignerSpec): WithWindow<R, K> {
    return new WithWindow(this.inputs, this.keys, assigner);
  }
}

function keySelector(fn: KeyFn, description: string): KeySelector {
  const select = guarded<JsonValue>(description, (v) => fn(v));
  return { description, select: (record: StreamRecord) => select(record.value, record.timestamp) };
}

/** A window join or coGroup with its window (Flink's JoinedStreams.WithWindow / CoGroupedStreams.WithWindow). */
export class WithWindow<R, K extends Kind> {
  #trigger: WindowTriggerSpec | null = null;
  #evictor: WindowEvictorSpec | null = null;
  #allowedLatenessMs = 0;

  constructor(
    private readonly inputs: JoinInputs<R, K>,
    private readonly keys: readonly [KeyFn, KeyFn],
    private readonly assigner: WindowAssignerSpec,
  ) {}

  /** Replaces the assigner's default trigger; it sees the tagged elements (`{one: e}` / `{two: e}`), as Flink's sees TaggedUnion. */
  trigger(trigger: WindowTriggerSpec): this {
    this.#trigger = checkedTrigger(this.assigner, trigger);
    return this;
  }

  /** Evicts tagged elements of both sides when the window fires. */
  evictor(evictor: WindowEvictorSpec): this {
    this.#evictor = evictor;
    return this;
  }

  /** How long after its end a window still accepts elements (a late one fires it again, with every pair). */
  allowedLateness(ms: number): this {
    this.#allowedLatenessMs = checkedLateness(ms);
    return this;
  }

  /**
   * A join: `fn(first, second)` for every pair of one key in one window (Flink's
   * JoinFunction). A coGroup: `fn(firstElements, secondElements)` once per key and window
   * that holds any element, returning the records to emit (Flink's CoGroupFunction). Both
   * also get the key and the window. Every result has the timestamp window.end - 1.
   */
  apply(fn: FunctionOf<K>, name = this.inputs.kind === 'join' ? 'Window Join' : 'Window CoGroup'): R {
    const { env, first, second, make, kind } = this.inputs;
    const coGroup = kind === 'join' ? joinAsCoGroup(fn as JoinFunction) : (fn as CoGroupFunction);
    const [one, two] = [keySelector(this.keys[0], 'where'), keySelector(this.keys[1], 'equalTo')];
    const window: JoinWindowConfig = {
      assigner: this.assigner,
      trigger: this.#trigger,
      allowedLatenessMs: this.#allowedLatenessMs,
      ...(this.#evictor === null ? {} : { evictor: this.#evictor }),
    };
    const config = { window, keys: [(r: StreamRecord) => one.select(r), (r: StreamRecord) => two.select(r)] as const, fn: coGroup };
    const inputs: Transformation['inputs'] = [
      ...first.inputs.map((i) => ({ from: i.from, partitioner: { type: 'hash', key: one } as const, logicalInput: 1 as const })),
      ...second.inputs.map((i) => ({ from: i.from, partitioner: { type: 'hash', key: two } as const, logicalInput: 2 as const })),
    ];
    const t = env.add(kind === 'join' ? 'windowjoin' : 'cogroup', name, { kind: 'two-input', create: () => new CoGroupWindowOperator(config) }, inputs);
    t.keySelector = one;
    return make(t);
  }
}
