/**
 * Flink's ProcessOperator: a process function on a stream that is not keyed. It has no
 * current key, so no keyed state and no timers ("Setting timers is only supported on a
 * keyed streams."), but it sees the watermark and the clock, writes side outputs, and may
 * keep operator state of its own (a CheckpointedFunction, as the scenario DSL's
 * `operatorState` is): state per subtask, not per key.
 */
import { LimitExceededError, SimulationAssertionError } from '../../kernel/index.ts';
import { MIN_WATERMARK, type StreamRecord } from '../../model/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { subtaskCopy, type CheckpointedFunctionHost } from '../checkpointed-function.ts';
import type { OperatorContext, Output, StreamOperator } from '../operator.ts';
import { writeUserSideOutput } from '../side-output.ts';
import { isUserError, UserFunctionError } from '../user-function.ts';
import { timestampedCollector, type Collector, type KeyedProcessFunction, type ProcessContext, type TimerService } from './process-function.ts';

const NO_TIMERS = 'Setting timers is only supported on a keyed streams. (a process function on a stream that is not keyed has no key to scope a timer to: put a keyBy before it)';
const NO_KEYED_STATE = 'keyed state needs a keyed stream (keyBy before process); a process function on a stream that is not keyed keeps operator state';

/**
 * @example
 * const op = new ProcessOperator(processFunctionFromSpec({ state: [], onElement: [{ kind: 'emit', value: '$', timestamp: null }], onTimer: [], operatorState: [{ name: 'seen', mode: 'split' }] }));
 */
export class ProcessOperator implements StreamOperator {
  readonly #fn: KeyedProcessFunction;
  readonly #checkpointed: CheckpointedFunctionHost | null;
  #ctx!: OperatorContext;
  #out!: Output;
  #timestamp: number | null = null;
  #watermark = MIN_WATERMARK;
  readonly #context: ProcessContext;
  readonly #collector: Collector;

  constructor(fn: KeyedProcessFunction) {
    if (fn.state !== undefined && Object.keys(fn.state).length > 0) throw new TypeError(NO_KEYED_STATE);
    const { fn: own, host } = subtaskCopy(fn);
    this.#fn = own;
    this.#checkpointed = host;
    if (host !== null) {
      this.initializeState = (restored) => host.initialize(restored);
      this.snapshotState = (checkpointId) => host.snapshot(checkpointId);
    }
    const refuse = (): never => {
      throw new TypeError(NO_TIMERS);
    };
    const timers: TimerService = {
      currentWatermark: () => this.#watermark,
      currentProcessingTime: () => this.#ctx.nowMs(),
      registerEventTimeTimer: refuse,
      registerProcessingTimeTimer: refuse,
      deleteEventTimeTimer: refuse,
      deleteProcessingTimeTimer: refuse,
    };
    this.#context = {
      timestamp: () => this.#timestamp,
      getCurrentKey: () => null,
      timerService: () => timers,
      getState: () => {
        throw new TypeError(NO_KEYED_STATE);
      },
      output: (tag: string, value: JsonValue) => writeUserSideOutput(this.#ctx, tag, value, this.#timestamp),
    } as ProcessContext;
    this.#collector = timestampedCollector(() => this.#out, () => this.#timestamp);
  }

  initializeState?: (restored: readonly JsonValue[] | null) => void;
  snapshotState?: (checkpointId: number) => JsonValue;

  open(ctx: OperatorContext, output: Output): void {
    this.#ctx = ctx;
    this.#out = output;
    this.#checkpointed?.open(ctx);
  }

  processElement(record: StreamRecord): void {
    this.#timestamp = record.timestamp;
    try {
      this.#fn.processElement(record.value, this.#context, this.#collector);
    } catch (e) {
      if (isUserError(e) || e instanceof SimulationAssertionError || e instanceof LimitExceededError) throw e;
      throw new UserFunctionError(this.#ctx.operatorId, e);
    }
  }

  processWatermark(watermark: number): void {
    this.#watermark = watermark;
    this.#out.emitWatermark(watermark);
  }

  endInput(): void {}
}
