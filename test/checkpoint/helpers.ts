/**
 * Shared fixtures for the checkpoint conformance tests: a CheckpointCoordinator on a real
 * Kernel behind a recording CoordinatorGateway (Flink's CheckpointCoordinatorTestingUtils
 * plays the same part with its recording TaskManagerGateway), snapshots built from key
 * groups, and a recording BarrierHandlerContext with a small script language for barrier
 * handlers, in the spirit of Flink's BufferOrEvent sequences:
 *
 *   '1@0'     barrier of checkpoint 1 arrives on input 0
 *   'eop@2'   end of partition on input 2 (the channel closes first, as StreamTask does)
 *   'abort:5' the coordinator aborts checkpoint 5 (notifyCheckpointAborted)
 *   '+10'     10 ms of virtual time pass
 */
import { CheckpointCoordinator, snapshotSize, type CoordinatorGateway, type TaskRef, type TaskSnapshot } from '../../core/checkpoint/index.ts';
import { CHECKPOINTING_DEFAULTS, type CheckpointingSpec, type StateBackendKind } from '../../core/graph/index.ts';
import { Kernel } from '../../core/kernel/index.ts';
import { canonicalJsonLength, type JsonValue } from '../../core/model/index.ts';
import type { KeyGroupSnapshot } from '../../core/state/index.ts';
import type { BarrierHandlerContext, CheckpointBarrierHandler } from '../../core/runtime/checkpointing/index.ts';
import { CheckpointBarrier, type BarrierAlignment } from '../../core/runtime/elements.ts';
import { TraceLog, type TraceEvent } from '../../core/trace/index.ts';

// ---- the coordinator ------------------------------------------------------------------

export interface Trigger {
  readonly atMs: number;
  readonly task: string;
  readonly attempt: number;
  readonly checkpoint: number;
  readonly timestampMs: number;
  readonly savepoint: boolean;
}

/** What the JobManager answers checkpointPlan(): who triggers, who acknowledges, and the snapshots of subtasks already finished. */
export type Plan = ReturnType<CoordinatorGateway['checkpointPlan']>;

/** A plan with no subtask finished. */
export const plan = (trigger: TaskRef[], acknowledge: TaskRef[]): Plan => ({ trigger, acknowledge, finished: [] });

/** A CoordinatorGateway that records every call; `plan` says which subtasks are running. */
export class RecordingGateway implements CoordinatorGateway {
  plan: Plan;
  readonly triggers: Trigger[] = [];
  readonly completed: { checkpoint: number; refs: TaskRef[] }[] = [];
  readonly aborted: { checkpoint: number; refs: TaskRef[] }[] = [];
  readonly failJobCalls: { atMs: number; cause: string }[] = [];

  constructor(
    private readonly kernel: Kernel,
    plan: Plan,
  ) {
    this.plan = plan;
  }

  checkpointPlan(): Plan {
    return this.plan;
  }

  triggerTask(ref: TaskRef, checkpointId: number, timestampMs: number, savepoint: boolean): void {
    this.triggers.push({ atMs: this.kernel.clock.nowMs, task: ref.task, attempt: ref.attempt, checkpoint: checkpointId, timestampMs, savepoint });
  }

  notifyComplete(refs: readonly TaskRef[], checkpointId: number): void {
    this.completed.push({ checkpoint: checkpointId, refs: [...refs] });
  }

  notifyAborted(refs: readonly TaskRef[], checkpointId: number): void {
    this.aborted.push({ checkpoint: checkpointId, refs: [...refs] });
  }

  failJob(cause: string): void {
    this.failJobCalls.push({ atMs: this.kernel.clock.nowMs, cause });
  }

  /** The checkpoint ids triggered, once each (a checkpoint is triggered at every source). */
  get triggeredIds(): number[] {
    return [...new Set(this.triggers.map((t) => t.checkpoint))];
  }
}

export const ref = (task: string, attempt = 1): TaskRef => ({ task, attempt });

/** One source `src#0` feeding one sink `sink#0`: the source is triggered, both acknowledge. */
export const SOURCE = ref('src#0');
export const SINK = ref('sink#0');
export const TWO_TASKS: Plan = plan([SOURCE], [SOURCE, SINK]);

export interface Setup {
  readonly kernel: Kernel;
  readonly trace: TraceLog;
  readonly gateway: RecordingGateway;
  readonly coordinator: CheckpointCoordinator;
}

export interface SetupOptions {
  readonly spec?: Partial<CheckpointingSpec>;
  readonly backend?: StateBackendKind;
  readonly plan?: Plan;
  readonly seed?: number;
}

/** Interval 100 ms, timeout 10 s, otherwise Flink's defaults. */
export function setup(options: SetupOptions = {}): Setup {
  const kernel = new Kernel({ seed: options.seed ?? 0 });
  const trace = new TraceLog({ level: 'full' });
  const gateway = new RecordingGateway(kernel, options.plan === undefined ? TWO_TASKS : options.plan);
  const spec: CheckpointingSpec = { ...CHECKPOINTING_DEFAULTS, intervalMs: 100, timeoutMs: 10_000, ...options.spec };
  const coordinator = new CheckpointCoordinator(kernel, trace, spec, options.backend ?? 'hashmap', gateway);
  return { kernel, trace, gateway, coordinator };
}

/** Every subtask of the plan acknowledges `checkpoint` with an empty snapshot. */
export function ackAll(s: Setup, checkpoint: number, plan: Plan = s.gateway.plan): void {
  for (const r of plan!.acknowledge) s.coordinator.receiveAcknowledge(r, checkpoint, snapshot(r.task), 0);
}

/** Triggers a checkpoint now and returns its id (fails the test when none is triggered). */
export function trigger(s: Setup, savepoint = false): number {
  const id = s.coordinator.triggerCheckpoint(savepoint);
  if (id === null) throw new Error('no checkpoint was triggered: the plan is null');
  return id;
}

export function statsOf(s: Setup, id: number) {
  const stats = s.coordinator.stats.find((x) => x.id === id);
  if (stats === undefined) throw new Error(`no statistics for checkpoint ${id}`);
  return stats;
}

type Tagged<T extends TraceEvent['tag']> = Extract<TraceEvent, { tag: T }>;

export function traced<T extends TraceEvent['tag']>(s: { trace: TraceLog }, tag: T): Tagged<T>[] {
  return s.trace.events.filter((e): e is Tagged<T> => e.tag === tag);
}

// ---- snapshots ------------------------------------------------------------------------

/** A key group's value, or its value with the version the backend gave it (default 1). */
export type GroupSpec = JsonValue | { readonly value: JsonValue; readonly version: number };

const isVersioned = (g: GroupSpec): g is { value: JsonValue; version: number } => typeof g === 'object' && g !== null && !Array.isArray(g) && 'version' in g;

/**
 * A subtask's snapshot with one keyed operator `op`: key group -> value of its one entry
 * (version 1), or -> { value, version }. Sizes are computed as the state backend does.
 * @example snapshot('win#0', { 0: 10, 1: { value: 'a', version: 2 } })
 */
export function snapshot(task: string, keyGroups: Record<number, GroupSpec> = {}, operatorState: JsonValue = null): TaskSnapshot {
  const [vertex, index] = task.split('#') as [string, string];
  const groups: KeyGroupSnapshot[] = Object.entries(keyGroups)
    .map(([g, spec]) => {
      const [value, version] = isVersioned(spec) ? [spec.value, spec.version] : [spec, 1];
      const keyGroup = Number(g);
      const entries = [{ state: 'count', namespace: '', key: `k${g}`, value }];
      return { keyGroup, version, size: canonicalJsonLength({ keyGroup, version, size: 0, entries, timers: [] }), entries, timers: [] };
    })
    .sort((a, b) => a.keyGroup - b.keyGroup);
  const operators = [{ operator: 'op', keyGroups: groups, operatorState }];
  return { task, vertex, subtaskIndex: Number(index), operators, channelState: [], finished: false, stateSize: snapshotSize(operators, []) };
}

// ---- barrier handlers -----------------------------------------------------------------

/** A BarrierHandlerContext over `inputs` channels that records what the handler does to its task. */
export class RecordingBarrierContext implements BarrierHandlerContext {
  readonly task = 'map#0';
  readonly attempt = 1;
  readonly trace = new TraceLog({ level: 'full' });
  readonly log: string[] = [];
  readonly blocked = new Set<number>();
  readonly closed = new Set<number>();
  nowMs = 0;

  constructor(readonly inputs: number) {}

  now(): number {
    return this.nowMs;
  }

  clockMs(): number {
    return this.nowMs;
  }

  get inputCount(): number {
    return this.inputs;
  }

  openInputs(): number {
    return this.inputs - this.closed.size;
  }

  isOpen(input: number): boolean {
    return !this.closed.has(input);
  }

  block(input: number): void {
    if (this.closed.has(input)) throw new Error(`blocked input ${input}, which is closed`);
    this.blocked.add(input);
    this.log.push(`block ${input}`);
  }

  resumeAll(): void {
    this.blocked.clear();
    this.log.push('resume');
  }

  checkpoint(barrier: CheckpointBarrier, alignmentMs: number): void {
    this.log.push(`checkpoint ${barrier.id} (${alignmentMs} ms)`);
  }

  decline(checkpointId: number, reason: string): void {
    this.log.push(`decline ${checkpointId} ${reason}`);
  }

  /** The checkpoints the task took, in order. */
  get checkpoints(): number[] {
    return this.log.filter((l) => l.startsWith('checkpoint ')).map((l) => Number(l.split(' ')[1]));
  }

  get declines(): string[] {
    return this.log.filter((l) => l.startsWith('decline '));
  }
}

/**
 * Plays a script (see the file comment) into `handler`; returns what the handler did.
 * A blocked or closed channel delivers nothing, so the script may not send on one.
 */
export function play(handler: CheckpointBarrierHandler, ctx: RecordingBarrierContext, script: string, alignment: BarrierAlignment = 'aligned'): string[] {
  const from = ctx.log.length;
  for (const step of script.trim().split(/\s+/)) {
    let m: RegExpMatchArray | null;
    if ((m = /^\+(\d+)$/.exec(step))) ctx.nowMs += Number(m[1]);
    else if ((m = /^abort:(\d+)$/.exec(step))) handler.abort(Number(m[1]));
    else if ((m = /^eop@(\d+)$/.exec(step))) {
      const input = Number(m[1]);
      if (ctx.closed.has(input) || ctx.blocked.has(input)) throw new Error(`script step '${step}': input ${input} cannot deliver (closed or blocked)`);
      ctx.closed.add(input);
      handler.onEndOfPartition(input);
    } else if ((m = /^(\d+)@(\d+)$/.exec(step))) {
      const [id, input] = [Number(m[1]), Number(m[2])];
      if (input >= ctx.inputs || ctx.closed.has(input) || ctx.blocked.has(input)) throw new Error(`script step '${step}': input ${input} cannot deliver (absent, closed or blocked)`);
      handler.onBarrier(input, new CheckpointBarrier(id, id * 100, alignment, false));
    } else throw new Error(`script step '${step}' is not a barrier (1@0), eop@N, abort:N or +ms`);
  }
  return ctx.log.slice(from);
}
