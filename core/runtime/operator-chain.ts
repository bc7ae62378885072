/**
 * A subtask's operator chain (Flink's OperatorChain): the operators of one JobVertex, fused
 * into one task so that a record passes between them as a method call, not through the
 * network. Deploying it instantiates each operator, restores its keyed and operator state,
 * and wires its output: a chained edge becomes a direct call to the next operator, a JobEdge
 * a record writer. Operators are opened after initializeState, as in Flink. At the end of
 * the input every operator ends its input and then finishes; the chain closes after that
 * (or, when a stop-with-savepoint stops the job, without it).
 */
import type { JobVertex, StreamNode } from '../graph/index.ts';
import { cloneJson, type StreamRecord } from '../model/index.ts';
import {
  isUserError,
  userFailureCause,
  type AnyOperator,
  type KeyedContext,
  type Output,
  type SourceOperator,
  type StreamOperator,
  type TwoInputStreamOperator,
} from '../operators/index.ts';
import { restoreKeyGroups, type KeyedStateBackend, type Timer } from '../state/index.ts';
import { FaultInjectedError } from './fault-hooks.ts';
import { operatorContextOf, type ContextOwner } from './operator-context.ts';
import { BroadcastingOutput, ChainedOutput, NO_OUTPUT, TracingOutput, type RecordWriterOutput } from './outputs.ts';
import type { TaskHostOf, TaskRestore } from './task-host.ts';

/** An operator of the chain, with its keyed context (null: not behind a keyBy). */
export interface OperatorSlot {
  readonly node: StreamNode;
  readonly instance: AnyOperator;
  readonly keyed: KeyedContext | null;
}

/** What the chain needs of its task: the operators' contexts, and a source's output. */
export interface ChainOwner extends ContextOwner {
  readonly watermark: number;
  /** Records the task's new watermark in its state and the trace. */
  noteWatermark(watermark: number): void;
}

/** Why initializeState or open of an operator failed: the attempt fails with `cause` (`injected`: a fault of the plan). */
export interface InitializationFailure {
  readonly cause: string;
  readonly injected: boolean;
}

export class OperatorChain {
  #instances = new Map<string, AnyOperator>();
  /** The chain's source, when its head is one. */
  source: SourceOperator | null = null;
  /** The operators that are not sources, in the chain's order. */
  readonly operators: (StreamOperator | TwoInputStreamOperator)[] = [];
  /** Every operator of the chain, in its order, as opened so far. */
  readonly slots: OperatorSlot[] = [];

  constructor(private readonly vertex: JobVertex) {}

  /** Makes the chain's operator instances (a fault plan may wrap them), before anything is opened. */
  instantiate<T>(task: string, host: TaskHostOf<T>): void {
    for (const node of this.vertex.operators) this.#instances.set(node.id, host.wrapOperator(task, node, node.factory.create()));
  }

  /** The first operator of the chain: the one the task's input feeds. */
  get head(): AnyOperator {
    return this.#instances.get(this.vertex.operators[0]!.id)!;
  }

  /** The head when it has two inputs, else null. */
  get twoInputHead(): TwoInputStreamOperator | null {
    return this.vertex.operators[0]!.factory.kind === 'two-input' ? (this.head as TwoInputStreamOperator) : null;
  }

  /**
   * Restores, initializes and opens each operator in order, its output wired to the next
   * operators and to the record writers in `writersByOperator`; stops at the first failure.
   */
  open<T extends ChainOwner>(task: T, host: TaskHostOf<T>, writersByOperator: ReadonlyMap<string, RecordWriterOutput[]>, restore: TaskRestore | null): InitializationFailure | null {
    const instances = this.#instances;
    for (const node of this.vertex.operators) {
      const targets: Output[] = [];
      for (const edge of this.vertex.chainedEdges) {
        if (edge.from === node.id) targets.push(new ChainedOutput(instances.get(edge.to) as StreamOperator));
      }
      for (const writer of writersByOperator.get(node.id) ?? []) targets.push(writer);
      let output: Output = targets.length === 0 ? NO_OUTPUT : targets.length === 1 ? targets[0]! : new BroadcastingOutput(targets);
      if (host.trace.full && !node.isSink) output = new TracingOutput(output, host.trace, task.id, task.attempt, node.id, () => host.kernel.clock.nowMs);
      const instance = instances.get(node.id)!;
      const ctx = operatorContextOf(task, host, node);
      this.slots.push({ node, instance, keyed: ctx.keyed });
      const restored = restore?.operators.get(node.id) ?? null;
      if (ctx.keyed !== null && restored !== null) {
        restoreKeyGroups(
          ctx.keyed.backend,
          ctx.keyed.timers,
          restored.map((s) => s.keyGroups),
        );
      }
      const failure = initializationFailure(() => {
        instance.initializeState?.(restored === null ? null : restored.map((s) => s.operatorState).filter((s) => s !== null).map(cloneJson));
        if (node.factory.kind === 'source') {
          this.source = instance as SourceOperator;
          this.source.open(ctx, new SourceOutput(output, task));
        } else {
          const op = instance as StreamOperator | TwoInputStreamOperator;
          op.open(ctx, output);
          this.operators.push(op);
        }
      });
      // Flink fails the task in INITIALIZING (a sink's recovery commit can throw, or a fault kill it there).
      if (failure !== null) return failure;
    }
    return null;
  }

  /** All input consumed: each operator ends its input, then each finishes (flushes what it holds). */
  endInput(): void {
    for (const op of this.operators) op.endInput();
    for (const { instance } of this.slots) instance.finish?.();
  }

  close(): void {
    for (const { instance } of this.slots) instance.close?.();
  }

  /** The virtual clock reached a time some operator asked for. */
  onProcessingTime(nowMs: number): void {
    this.source?.onProcessingTime?.(nowMs);
    for (const op of this.operators) op.onProcessingTime?.(nowMs);
  }

  notifyCheckpointComplete(checkpointId: number): void {
    for (const { instance } of this.slots) instance.notifyCheckpointComplete?.(checkpointId);
  }

  notifyCheckpointAborted(checkpointId: number): void {
    for (const { instance } of this.slots) instance.notifyCheckpointAborted?.(checkpointId);
  }

  /** For inspection and tests: the keyed state entries of each keyed operator of the chain. */
  keyedState(): { operator: string; entries: ReturnType<KeyedStateBackend['entries']> }[] {
    return this.slots.filter((s) => s.keyed !== null).map((s) => ({ operator: s.node.id, entries: s.keyed!.backend.entries() }));
  }

  /** For inspection: the timers of each keyed operator of the chain, in firing order. */
  keyedTimers(): { operator: string; eventTime: Timer[]; processingTime: Timer[] }[] {
    return this.slots
      .filter((s) => s.keyed !== null)
      .map((s) => ({ operator: s.node.id, eventTime: s.keyed!.timers.listEventTimeTimers(), processingTime: s.keyed!.timers.listProcessingTimeTimers() }));
  }
}

/** A source's output: counts records, and lets only advancing watermarks out (as Flink's source output does). */
class SourceOutput implements Output {
  constructor(
    private readonly inner: Output,
    private readonly task: ChainOwner,
  ) {}
  collect(record: StreamRecord): void {
    this.task.metrics.recordsIn++;
    this.inner.collect(record);
  }
  emitWatermark(watermark: number): void {
    if (watermark <= this.task.watermark) return;
    this.task.noteWatermark(watermark);
    this.inner.emitWatermark(watermark);
  }
}

/** Runs an operator's initializeState and open; a user-function error or an injected fault becomes the attempt's failure cause. */
function initializationFailure(work: () => void): InitializationFailure | null {
  try {
    work();
    return null;
  } catch (error) {
    if (isUserError(error)) return { cause: userFailureCause(error), injected: false };
    if (error instanceof FaultInjectedError) return { cause: error.message, injected: true };
    throw error;
  }
}
