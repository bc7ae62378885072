/**
 * Flink's CheckpointedFunction: a user function that keeps operator state of its own. In
 * `initializeState` it asks the OperatorStateStore for its list states (restored from the
 * checkpoint the job recovers from, when `isRestored()`, redistributed if the parallelism
 * changed) and in `snapshotState` it writes what it holds into them, once per checkpoint,
 * before the snapshot is taken. Flink's example is a sink that buffers records and must
 * not lose the buffer in a failure.
 *
 * The host below is the operator's side of it, shared by every operator that runs such a
 * function: it keeps what initializeState restored, builds the store once the subtask is
 * known (open), and turns the store into the operator's snapshot.
 */
import type { JsonValue } from '../model/index.ts';
import { assignOperatorState, OperatorStateStore } from '../state/index.ts';
import type { OperatorContext } from './operator.ts';
import { UserFunctionError, isUserError } from './user-function.ts';

/** What initializeState gets (Flink's FunctionInitializationContext). */
export interface FunctionInitializationContext {
  /** Whether the job is restored from a checkpoint or savepoint (true even when this subtask's share is empty). */
  isRestored(): boolean;
  getOperatorStateStore(): OperatorStateStore;
  /** Which subtask runs the function, of how many (Flink's RuntimeContext task info). */
  getIndexOfThisSubtask(): number;
  getNumberOfParallelSubtasks(): number;
}

/** What snapshotState gets (Flink's FunctionSnapshotContext). */
export interface FunctionSnapshotContext {
  getCheckpointId(): number;
  /** The processing time the snapshot is taken at. */
  getCheckpointTimestamp(): number;
}

/**
 * @example
 * const buffering: CheckpointedFunction & { invoke(v: JsonValue): void } = {
 *   buffer: [] as JsonValue[],
 *   initializeState(ctx) { this.state = ctx.getOperatorStateStore().getListState('buffer'); if (ctx.isRestored()) this.buffer = this.state.get(); },
 *   snapshotState() { this.state.update(this.buffer); },
 *   invoke(v) { this.buffer.push(v); },
 * };
 */
export interface CheckpointedFunction {
  initializeState(context: FunctionInitializationContext): void;
  snapshotState(context: FunctionSnapshotContext): void;
}

/** Whether `fn` implements CheckpointedFunction. */
export function isCheckpointedFunction(fn: unknown): fn is CheckpointedFunction {
  return typeof fn === 'object' && fn !== null && typeof (fn as CheckpointedFunction).initializeState === 'function' && typeof (fn as CheckpointedFunction).snapshotState === 'function';
}

/**
 * What an operator runs for one subtask: `fn` itself, or, when it is a CheckpointedFunction,
 * a copy of its own (as Flink deserializes one function per subtask, so that the state
 * handles it assigns are the subtask's) with the host that runs its two methods.
 * @example const { fn, host } = subtaskCopy(userFunction);
 */
export function subtaskCopy<F extends object>(fn: F): { fn: F; host: CheckpointedFunctionHost | null } {
  if (!isCheckpointedFunction(fn)) return { fn, host: null };
  const own = Object.create(fn) as F & CheckpointedFunction;
  return { fn: own, host: new CheckpointedFunctionHost(own) };
}

/** Runs a CheckpointedFunction's two methods for one operator instance. */
export class CheckpointedFunctionHost {
  #restored: readonly JsonValue[] | null = null;
  #store = new OperatorStateStore();
  #ctx: OperatorContext | null = null;

  constructor(private readonly fn: CheckpointedFunction) {}

  /** The operator's initializeState: keeps what was restored until the subtask is known. */
  initialize(restored: readonly JsonValue[] | null): void {
    this.#restored = restored;
  }

  /** Call from the operator's open, before any record: builds the store and runs fn.initializeState. */
  open(ctx: OperatorContext): void {
    this.#ctx = ctx;
    const restored = this.#restored;
    this.#restored = null;
    this.#store = new OperatorStateStore(restored === null ? null : assignOperatorState(restored, ctx.subtaskIndex, ctx.parallelism));
    const store = this.#store;
    this.#call(ctx, () =>
      this.fn.initializeState({
        isRestored: () => restored !== null,
        getOperatorStateStore: () => store,
        getIndexOfThisSubtask: () => ctx.subtaskIndex,
        getNumberOfParallelSubtasks: () => ctx.parallelism,
      }),
    );
  }

  /** The operator's snapshotState: fn.snapshotState fills the store, whose copy is the snapshot. */
  snapshot(checkpointId: number): JsonValue {
    const ctx = this.#ctx!;
    this.#call(ctx, () => this.fn.snapshotState({ getCheckpointId: () => checkpointId, getCheckpointTimestamp: () => ctx.nowMs() }));
    return this.#store.snapshot(ctx.subtaskIndex, ctx.parallelism);
  }

  #call(ctx: OperatorContext, work: () => void): void {
    try {
      work();
    } catch (e) {
      if (isUserError(e)) throw e;
      throw new UserFunctionError(ctx.operatorId, e);
    }
  }
}
