/**
 * The test-only entry: what tests and benchmarks may use beyond the public API.
 *
 * Its centre is the operator test harness, after Flink's
 * KeyedOneInputStreamOperatorTestHarness: one operator, no cluster, no network. A test
 * pushes records, watermarks and processing time into the operator by hand and reads what
 * came out, so that a test states one behaviour exactly ("a watermark equal to the
 * window's max timestamp fires it") instead of hoping a whole job happens to show it. The
 * operator gets a real OperatorContext: a trace at level full, a sink registry for side
 * outputs, keyed state owning every key group, and a timer service; watermarks reach it
 * only when they advance and processing-time callbacks only when the clock reaches them,
 * as in a running task.
 */
import { keyGroupOf, keyGroupRange } from './graph/index.ts';
import { assert, Kernel } from './kernel/index.ts';
import { compileExpression } from './expr/index.ts';
import { cloneJson, MIN_WATERMARK, type JsonValue, type StreamRecord } from './model/index.ts';
import { type OperatorContext, type OperatorMetrics, type Output, type StreamOperator, type TwoInputStreamOperator } from './operators/index.ts';
import { InternalTimerService, KeyedStateBackend, restoreKeyGroups, snapshotKeyGroups, type OperatorSnapshot } from './state/index.ts';
import { TraceLog } from './trace/index.ts';
import { World, type WrittenRecord } from './world/index.ts';

// The oracles and the fault plans' arbitraries, for property tests of the engine.
export { checkExactlyOnce, checkReference, createExactlyOnceOracle, type ExactlyOnceVerdict, type OracleRun } from './check/index.ts';
export { Campaign, faultArbitrary, faultSpaceOf, planArbitrary, runCampaign, runSeed, type FaultJson, type FaultSpace } from './campaign/index.ts';
// Engine parts that conformance tests and the kernel benchmarks drive on their own
// (bench/ reaches core only through the two entries; tests may import any layer's module).
export { IdlenessTimer } from './connectors/index.ts';
export { Kernel, type KernelEvent } from './kernel/index.ts';
export { TraceLog } from './trace/index.ts';

/** One element the operator emitted, in order. */
export type HarnessElement =
  | { readonly kind: 'record'; readonly value: JsonValue; readonly timestamp: number | null }
  | { readonly kind: 'watermark'; readonly timestamp: number };

export interface OperatorHarnessOptions {
  /**
   * Makes the operator keyed: an expression over the record (`"key"`) or a function. Absent,
   * the operator runs unkeyed (its context's `keyed` is null).
   */
  readonly keySelector?: string | ((record: StreamRecord) => JsonValue);
  /** Key groups (default 128, Flink's smallest default); the harness owns all of them. */
  readonly maxParallelism?: number;
  /** The operator id in the context and the trace (default `op`). */
  readonly operatorId?: string;
  /** The processing time the clock starts at (default 0). */
  readonly startProcessingTimeMs?: number;
  /** Which subtask of how many the harness plays (default 0 of 1): keyed state covers that subtask's key groups only. */
  readonly subtaskIndex?: number;
  readonly parallelism?: number;
  /**
   * Snapshots (from `snapshot()`) of the old subtasks to restore from, as a restored or
   * rescaled task gets them: its key groups, and every old subtask's operator state for
   * the operator to redistribute.
   */
  readonly restore?: readonly OperatorSnapshot[];
}

/** A key selector as a harness takes it: an expression over the record, or a function. */
function keySelectorOf(selector: string | ((record: StreamRecord) => JsonValue)): (record: StreamRecord) => JsonValue {
  if (typeof selector !== 'string') return selector;
  const expr = compileExpression(selector);
  return (record) => expr.evaluate(record.value, record.timestamp);
}

/** The OperatorContext both harnesses give their operator: a real trace and world, the harness's clock, nothing of a cluster. */
function harnessContext(
  harness: { readonly trace: TraceLog; readonly world: World; readonly metrics: OperatorMetrics; readonly kernel: Kernel },
  at: {
    readonly operatorId: string;
    readonly subtaskIndex: number;
    readonly parallelism: number;
    readonly maxParallelism: number;
    readonly keyed: OperatorContext['keyed'];
    readonly nowMs: () => number;
    readonly addCallback: (atMs: number) => void;
  },
): OperatorContext {
  return {
    task: `${at.operatorId}#${at.subtaskIndex}`,
    attempt: 1,
    operatorId: at.operatorId,
    subtaskIndex: at.subtaskIndex,
    parallelism: at.parallelism,
    maxParallelism: at.maxParallelism,
    trace: harness.trace,
    nowMs: at.nowMs,
    random: (name) => harness.kernel.random.stream(`operator/${at.operatorId}#${at.subtaskIndex}/${name}`),
    world: harness.world,
    checkpointing: false,
    protocolPoint: () => {},
    commitPoint: () => {},
    keyed: at.keyed,
    registerProcessingTimeCallback: at.addCallback,
    metrics: harness.metrics,
    markIdle: () => {},
    isBackPressured: () => false,
  };
}

/**
 * Drives one operator by hand.
 * @example
 * const h = createOperatorHarness(createWindowOperator(config), { keySelector: 'key' });
 * h.open();
 * h.processElement({ key: 'a', v: 1 }, 10);
 * h.processWatermark(999);
 * h.output(); // [{ kind: 'record', value: { key: 'a', window: {...}, value: 1 }, timestamp: 999 }, { kind: 'watermark', timestamp: 999 }]
 */
export class OperatorTestHarness {
  readonly trace = new TraceLog({ level: 'full' });
  /** The harness's own kernel: the log's transaction timeouts run on its clock. */
  readonly kernel = new Kernel({ seed: 0 });
  readonly world = new World(this.kernel, this.trace);
  readonly metrics: OperatorMetrics = { lateRecordsDropped: 0, lateRecordsToSideOutput: 0 };
  readonly backend: KeyedStateBackend | null;
  readonly timerService: InternalTimerService | null;
  readonly #operator: StreamOperator;
  readonly #output: HarnessElement[] = [];
  readonly #callbacks: number[] = [];
  readonly #context: OperatorContext;
  readonly #restore: readonly OperatorSnapshot[] | null;
  #watermark = MIN_WATERMARK;
  #nowMs: number;
  #opened = false;

  constructor(operator: StreamOperator, options: OperatorHarnessOptions = {}) {
    this.#operator = operator;
    this.#nowMs = options.startProcessingTimeMs ?? 0;
    const maxParallelism = options.maxParallelism ?? 128;
    assert(Number.isSafeInteger(maxParallelism) && maxParallelism >= 1, `maxParallelism must be a positive whole number, found ${maxParallelism}`);
    const parallelism = options.parallelism ?? 1;
    const subtaskIndex = options.subtaskIndex ?? 0;
    assert(subtaskIndex >= 0 && subtaskIndex < parallelism && parallelism <= maxParallelism, `subtask ${subtaskIndex} of ${parallelism} does not exist (max parallelism ${maxParallelism})`);
    const selectKey = options.keySelector === undefined ? null : keySelectorOf(options.keySelector);
    this.backend = selectKey === null ? null : new KeyedStateBackend(keyGroupRange(maxParallelism, parallelism, subtaskIndex), (key) => keyGroupOf(key, maxParallelism));
    this.timerService = selectKey === null ? null : new InternalTimerService();
    this.#restore = options.restore ?? null;
    this.#context = harnessContext(this, {
      operatorId: options.operatorId ?? 'op',
      subtaskIndex,
      parallelism,
      maxParallelism,
      keyed: selectKey === null ? null : { backend: this.backend!, timers: this.timerService!, selectKey },
      nowMs: () => this.#nowMs,
      addCallback: (atMs) => this.#addCallback(atMs),
    });
  }

  /** Restores (when given snapshots: Flink's harness.initializeState), then opens the operator (Flink's harness.open()). */
  open(): this {
    assert(!this.#opened, 'the harness is already open');
    this.#opened = true;
    // Only with `restore`: a test may have called the operator's initializeState itself.
    const restore = this.#restore;
    if (restore !== null) {
      if (this.backend !== null) restoreKeyGroups(this.backend, this.timerService!, restore.map((s) => s.keyGroups));
      this.#operator.initializeState?.(restore.map((s) => s.operatorState).filter((s) => s !== null).map(cloneJson));
    }
    const out = this.#output;
    const output: Output = {
      collect: (record) => void out.push({ kind: 'record', value: record.value, timestamp: record.timestamp }),
      emitWatermark: (timestamp) => void out.push({ kind: 'watermark', timestamp }),
    };
    this.#operator.open(this.#context, output);
    return this;
  }

  processElement(value: JsonValue, timestamp: number | null = null): this {
    this.#checkOpen();
    this.#operator.processElement({ value, timestamp });
    return this;
  }

  /** Hands the operator a watermark if it advances the operator's event time; an older one is ignored, as a task does. */
  processWatermark(watermark: number): this {
    this.#checkOpen();
    if (watermark <= this.#watermark) return this;
    this.#watermark = watermark;
    this.#operator.processWatermark(watermark);
    return this;
  }

  /**
   * Moves the processing-time clock to `ms`, stopping at each time the operator asked to be
   * woken at on the way (the clock reads that time while the operator runs), as the kernel
   * would.
   */
  setProcessingTime(ms: number): this {
    this.#checkOpen();
    assert(ms >= this.#nowMs, `processing time cannot go back from ${this.#nowMs} to ${ms}`);
    for (let steps = 0; this.#callbacks.length > 0 && this.#callbacks[0]! <= ms; steps++) {
      assert(steps < 1_000_000, 'more than a million processing-time callbacks in one setProcessingTime');
      const at = this.#callbacks.shift()!;
      if (at > this.#nowMs) this.#nowMs = at;
      this.#operator.onProcessingTime?.(this.#nowMs);
    }
    this.#nowMs = ms;
    return this;
  }

  /** Tells the operator that its input has ended (no watermark is implied: send MAX_WATERMARK first, as a task does). */
  endInput(): this {
    this.#checkOpen();
    this.#operator.endInput();
    return this;
  }

  /**
   * Feeds a marble string, left to right, separated by spaces:
   * `a@5` a record `{key: "a", v: 1}` at timestamp 5; `a:3@5` the same with `v: 3`; `a` or
   * `a:3` a record without a timestamp; `W999` a watermark; `P1000` processing time 1000;
   * `|` is only for the eye.
   * @example harness.feed('a@1 b:5@2 | W999 | P1000')
   */
  feed(marbles: string): this {
    for (const token of marbles.split(/\s+/)) {
      if (token === '' || token === '|') continue;
      const wm = /^\|?W(-?\d+)$/.exec(token);
      if (wm) {
        this.processWatermark(Number(wm[1]));
        continue;
      }
      const pt = /^P(\d+)$/.exec(token);
      if (pt) {
        this.setProcessingTime(Number(pt[1]));
        continue;
      }
      const rec = /^([A-Za-z_][\w-]*)(?::(-?\d+(?:\.\d+)?))?(?:@(-?\d+))?$/.exec(token);
      if (!rec) throw new Error(`feed: cannot read '${token}' (expected key@t, key:v@t, key, W<t> or P<t>)`);
      this.processElement({ key: rec[1]!, v: rec[2] === undefined ? 1 : Number(rec[2]) }, rec[3] === undefined ? null : Number(rec[3]));
    }
    return this;
  }

  /**
   * The operator's snapshot for checkpoint `checkpointId`, as a task takes it (Flink's
   * harness.snapshot): keyed state and timers per key group, and the operator's own state.
   * Hand snapshots of every subtask to new harnesses' `restore` to restore, also at another
   * parallelism.
   */
  snapshot(checkpointId = 1): OperatorSnapshot {
    this.#checkOpen();
    this.#operator.prepareSnapshotPreBarrier?.(checkpointId);
    const keyGroups = this.backend === null ? [] : snapshotKeyGroups(this.backend, this.timerService!, this.backend.keyGroupOf);
    return { operator: this.#context.operatorId, keyGroups, operatorState: cloneJson((this.#operator.snapshotState?.(checkpointId) ?? null) as JsonValue) };
  }

  /** Everything emitted so far, records and watermarks, in order. */
  output(): readonly HarnessElement[] {
    return this.#output.slice();
  }

  /** The emitted records only, in order. */
  records(): { value: JsonValue; timestamp: number | null }[] {
    return this.#output.flatMap((e) => (e.kind === 'record' ? [{ value: e.value, timestamp: e.timestamp }] : []));
  }

  /** Forgets what was emitted so far (Flink's harness.getOutput().clear()). */
  clearOutput(): this {
    this.#output.length = 0;
    return this;
  }

  /** What the operator wrote to side output `tag`. */
  sideOutput(tag: string): readonly WrittenRecord[] {
    return this.world.sideOutputs().find(([t]) => t === tag)?.[1] ?? [];
  }

  get lateRecordsDropped(): number {
    return this.metrics.lateRecordsDropped;
  }

  /** Keyed state entries held: (state, key, namespace) triples. 0 for an unkeyed operator. */
  stateSize(): number {
    return this.backend?.size ?? 0;
  }

  /** Live timers. */
  timers(): { eventTime: number; processingTime: number } {
    return { eventTime: this.timerService?.eventTimeTimers ?? 0, processingTime: this.timerService?.processingTimeTimers ?? 0 };
  }

  /** The last watermark handed to the operator. */
  get watermark(): number {
    return this.#watermark;
  }

  get processingTime(): number {
    return this.#nowMs;
  }

  #checkOpen(): void {
    assert(this.#opened, 'open() the harness first');
  }

  #addCallback(atMs: number): void {
    const list = this.#callbacks;
    let i = list.length;
    while (i > 0 && list[i - 1]! > atMs) i--;
    if (list[i - 1] !== atMs) list.splice(i, 0, atMs);
  }
}

/**
 * Makes a harness around one operator instance.
 * @example const h = createOperatorHarness(new MapOperator((v) => v), {}).open();
 */
export function createOperatorHarness(operator: StreamOperator, options?: OperatorHarnessOptions): OperatorTestHarness {
  return new OperatorTestHarness(operator, options);
}

export interface TwoInputHarnessOptions {
  /**
   * Makes the operator keyed (Flink's KeyedTwoInputStreamOperatorTestHarness): the key of
   * each input, an expression or a function. The operator selects keys itself; the harness
   * gives it keyed state and timers over its key groups.
   */
  readonly keySelectors?: readonly [string | ((record: StreamRecord) => JsonValue), string | ((record: StreamRecord) => JsonValue)];
  readonly maxParallelism?: number;
  readonly operatorId?: string;
  /** Which subtask of how many the harness plays (default 0 of 1): a restore keeps only that subtask's key groups. */
  readonly subtaskIndex?: number;
  readonly parallelism?: number;
  /** Snapshots (from `snapshot()`) of the old subtasks to restore from, as a rescaled task gets them. */
  readonly restore?: readonly OperatorSnapshot[];
  readonly startProcessingTimeMs?: number;
}

/**
 * Drives one two-input operator by hand, after Flink's TwoInputStreamOperatorTestHarness
 * and KeyedTwoInputStreamOperatorTestHarness: elements and watermarks go to input 1 or 2,
 * each input's watermark reaches the operator only when it advances (as a task's valve
 * lets it), and `snapshot()` / the `restore` option checkpoint and restore it, also at
 * another parallelism.
 * @example
 * const h = createTwoInputHarness(new CoProcessOperator(fn, [k, k]), { keySelectors: ['key', 'key'] }).open();
 * h.processElement1({ key: 'a' }, 5).processWatermark1(10).processWatermark2(10);
 */
export class TwoInputOperatorTestHarness {
  readonly trace = new TraceLog({ level: 'full' });
  readonly kernel = new Kernel({ seed: 0 });
  readonly world = new World(this.kernel, this.trace);
  readonly metrics: OperatorMetrics = { lateRecordsDropped: 0, lateRecordsToSideOutput: 0 };
  readonly backend: KeyedStateBackend | null;
  readonly timerService: InternalTimerService | null;
  readonly #operator: TwoInputStreamOperator;
  readonly #output: HarnessElement[] = [];
  readonly #callbacks: number[] = [];
  readonly #context: OperatorContext;
  readonly #restore: readonly OperatorSnapshot[] | null;
  readonly #watermarks = [MIN_WATERMARK, MIN_WATERMARK];
  #nowMs: number;
  #opened = false;

  constructor(operator: TwoInputStreamOperator, options: TwoInputHarnessOptions = {}) {
    this.#operator = operator;
    this.#nowMs = options.startProcessingTimeMs ?? 0;
    const maxParallelism = options.maxParallelism ?? 128;
    const parallelism = options.parallelism ?? 1;
    const subtaskIndex = options.subtaskIndex ?? 0;
    assert(subtaskIndex >= 0 && subtaskIndex < parallelism, `subtask ${subtaskIndex} of ${parallelism} does not exist`);
    const selectors = options.keySelectors?.map(keySelectorOf);
    const keyed = selectors !== undefined;
    this.backend = keyed ? new KeyedStateBackend(keyGroupRange(maxParallelism, parallelism, subtaskIndex), (key) => keyGroupOf(key, maxParallelism)) : null;
    this.timerService = keyed ? new InternalTimerService() : null;
    this.#restore = options.restore ?? null;
    this.#context = harnessContext(this, {
      operatorId: options.operatorId ?? 'op',
      subtaskIndex,
      parallelism,
      maxParallelism,
      keyed: keyed ? { backend: this.backend!, timers: this.timerService!, selectKey: selectors![0]! } : null,
      nowMs: () => this.#nowMs,
      addCallback: (atMs) => this.#addCallback(atMs),
    });
  }

  /** Restores (when given snapshots), then opens the operator, as a task deploys one. */
  open(): this {
    assert(!this.#opened, 'the harness is already open');
    this.#opened = true;
    const restore = this.#restore;
    if (restore !== null && this.backend !== null) restoreKeyGroups(this.backend, this.timerService!, restore.map((s) => s.keyGroups));
    this.#operator.initializeState?.(restore === null ? null : restore.map((s) => s.operatorState).filter((s) => s !== null).map(cloneJson));
    const out = this.#output;
    this.#operator.open(this.#context, {
      collect: (record) => void out.push({ kind: 'record', value: record.value, timestamp: record.timestamp }),
      emitWatermark: (timestamp) => void out.push({ kind: 'watermark', timestamp }),
    });
    return this;
  }

  processElement1(value: JsonValue, timestamp: number | null = null): this {
    this.#checkOpen();
    this.#operator.processElement1({ value, timestamp });
    return this;
  }

  processElement2(value: JsonValue, timestamp: number | null = null): this {
    this.#checkOpen();
    this.#operator.processElement2({ value, timestamp });
    return this;
  }

  /** Input 1's watermark; an older one is ignored, as the input's valve ignores it. */
  processWatermark1(watermark: number): this {
    return this.#watermark(0, watermark);
  }

  processWatermark2(watermark: number): this {
    return this.#watermark(1, watermark);
  }

  /** Both inputs' watermark at once. */
  processBothWatermarks(watermark: number): this {
    return this.processWatermark1(watermark).processWatermark2(watermark);
  }

  processWatermarkStatus1(idle: boolean): this {
    this.#checkOpen();
    this.#operator.processWatermarkStatus1(idle);
    return this;
  }

  processWatermarkStatus2(idle: boolean): this {
    this.#checkOpen();
    this.#operator.processWatermarkStatus2(idle);
    return this;
  }

  /** Moves processing time to `ms`, stopping at each time the operator asked to be woken at. */
  setProcessingTime(ms: number): this {
    this.#checkOpen();
    assert(ms >= this.#nowMs, `processing time cannot go back from ${this.#nowMs} to ${ms}`);
    for (let steps = 0; this.#callbacks.length > 0 && this.#callbacks[0]! <= ms; steps++) {
      assert(steps < 1_000_000, 'more than a million processing-time callbacks in one setProcessingTime');
      const at = this.#callbacks.shift()!;
      if (at > this.#nowMs) this.#nowMs = at;
      this.#operator.onProcessingTime?.(this.#nowMs);
    }
    this.#nowMs = ms;
    return this;
  }

  endInput(): this {
    this.#checkOpen();
    this.#operator.endInput();
    return this;
  }

  /**
   * The operator's snapshot for checkpoint `checkpointId`, as a task takes it: keyed state
   * and timers per key group, and the operator's own state, as plain data.
   */
  snapshot(checkpointId = 1): OperatorSnapshot {
    this.#checkOpen();
    this.#operator.prepareSnapshotPreBarrier?.(checkpointId);
    const keyGroups = this.backend === null ? [] : snapshotKeyGroups(this.backend, this.timerService!, this.backend.keyGroupOf);
    return { operator: this.#context.operatorId, keyGroups, operatorState: cloneJson((this.#operator.snapshotState?.(checkpointId) ?? null) as JsonValue) };
  }

  output(): readonly HarnessElement[] {
    return this.#output.slice();
  }

  records(): { value: JsonValue; timestamp: number | null }[] {
    return this.#output.flatMap((e) => (e.kind === 'record' ? [{ value: e.value, timestamp: e.timestamp }] : []));
  }

  /** The emitted watermarks only, in order. */
  watermarks(): number[] {
    return this.#output.flatMap((e) => (e.kind === 'watermark' ? [e.timestamp] : []));
  }

  clearOutput(): this {
    this.#output.length = 0;
    return this;
  }

  sideOutput(tag: string): readonly WrittenRecord[] {
    return this.world.sideOutputs().find(([t]) => t === tag)?.[1] ?? [];
  }

  /** Keyed state entries held. */
  stateSize(): number {
    return this.backend?.size ?? 0;
  }

  timers(): { eventTime: number; processingTime: number } {
    return { eventTime: this.timerService?.eventTimeTimers ?? 0, processingTime: this.timerService?.processingTimeTimers ?? 0 };
  }

  get processingTime(): number {
    return this.#nowMs;
  }

  #watermark(input: 0 | 1, watermark: number): this {
    this.#checkOpen();
    if (watermark <= this.#watermarks[input]!) return this;
    this.#watermarks[input] = watermark;
    if (input === 0) this.#operator.processWatermark1(watermark);
    else this.#operator.processWatermark2(watermark);
    return this;
  }

  #checkOpen(): void {
    assert(this.#opened, 'open() the harness first');
  }

  #addCallback(atMs: number): void {
    const list = this.#callbacks;
    let i = list.length;
    while (i > 0 && list[i - 1]! > atMs) i--;
    if (list[i - 1] !== atMs) list.splice(i, 0, atMs);
  }
}

/**
 * Makes a harness around one two-input operator instance.
 * @example const h = createTwoInputHarness(new CoStreamMap(fn)).open();
 */
export function createTwoInputHarness(operator: TwoInputStreamOperator, options?: TwoInputHarnessOptions): TwoInputOperatorTestHarness {
  return new TwoInputOperatorTestHarness(operator, options);
}
