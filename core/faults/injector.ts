/**
 * The fault injector: it turns a scenario's fault plan (plain data) into events of the
 * run. A fault at a time becomes an agenda event; a fault after n records counts the
 * records of its target operator (across attempts) and fires at the n-th; a fault at a
 * named point of the checkpoint protocol answers the task's question at that point.
 * Every fault fires once: a restarted attempt does not meet it again. Every firing is a
 * `fault.injected` trace event, so a view or a checker sees what broke and when.
 *
 * As FoundationDB composes a workload with fault workloads, a Weir scenario composes a
 * job with a fault plan: neither knows about the other.
 */
import type { CrashPoint, FaultSpec } from '../api/index.ts';
import { JobGraphError, type JobGraph, type StreamNode } from '../graph/index.ts';
import type { Kernel, KernelEvent } from '../kernel/index.ts';
import { UserFunctionError, type AnyOperator, type SourceOperator, type StreamOperator, type TwoInputStreamOperator } from '../operators/index.ts';
import { FaultInjectedError, type FaultHooks, type JobManager, type TaskCrashPoint } from '../runtime/index.ts';
import type { TraceLog } from '../trace/index.ts';
import { CountingOperator, CountingSource, CountingTwoInputOperator } from './counting-operator.ts';

/** How fast a chain with no throughput limit runs, for a `slow-task` fault to slow it from: 1,000 records per virtual ms. */
export const UNLIMITED_THROUGHPUT = 1000;

const FAULT_PRIORITY = 5;

interface FaultEvent extends KernelEvent {
  readonly type: 'fault.fire' | 'fault.end';
  readonly fault: number;
}

/** What became of one fault of the plan, for the run report: whether (and when) it fired. */
export interface FaultOutcome {
  readonly type: FaultSpec['type'];
  /** The fault's JSON path in the scenario file (`$.faults[0]`). */
  readonly path: string;
  readonly fired: boolean;
  /** The virtual ms it fired at, or null when its time, record count or point never came. */
  readonly firedAt: number | null;
  /** A crash-at fault's point. */
  readonly point?: CrashPoint;
}

interface Armed {
  readonly spec: FaultSpec;
  readonly index: number;
  fired: boolean;
  firedAtMs: number | null;
  /** Records seen so far, for an `afterRecords` fault. */
  records: number;
  /** A throw-in-operator armed by its time: the next record of its target throws; a fail-commit armed by its record count: the next commit throws. */
  throwNext: boolean;
}

export class FaultInjector implements FaultHooks {
  readonly #faults: Armed[];
  /** Each operator's vertex in the job graph of the run under way: a resume may chain operators differently. */
  #vertices: { graph: JobGraph; vertexOf: Map<string, string> } | null = null;
  /** The subtask count no fault may reach: the max parallelism when a resume can rescale, else the parallelism. */
  readonly #maxParallelism = new Map<string, number>();
  readonly #rescalable: boolean;
  readonly #isSource = new Set<string>();
  /**
   * Per subtask attempt that a slow-task fault slowed: its own rate and the factors of the
   * faults under way, so overlapping faults multiply and each one's end takes only its own
   * factor back. A new attempt (a restart, a resume) starts at its own rate again.
   */
  readonly #slowed = new Map<string, { attempt: number; base: number; factors: Map<number, number> }>();

  constructor(
    private readonly kernel: Kernel,
    private readonly trace: TraceLog,
    private readonly jobManager: JobManager,
    jobGraph: JobGraph,
    plan: readonly FaultSpec[],
    /** Whether a `resume` with a parallelism can rescale the job: without one, this run's parallelism is every run's (a resume without one submits at the same). */
    resumes: boolean,
  ) {
    for (const v of jobGraph.vertices) {
      for (const op of v.operators) {
        this.#maxParallelism.set(op.id, resumes ? v.maxParallelism : v.parallelism);
        if (op.factory.kind === 'source') this.#isSource.add(op.id);
      }
    }
    this.#rescalable = resumes;
    this.#faults = plan.map((spec, index) => ({ spec, index, fired: false, firedAtMs: null, records: 0, throwNext: false }));
    for (const f of this.#faults) this.#check(f.spec);
    kernel.on('fault.fire', (e) => this.#fire(this.#faults[(e as FaultEvent).fault]!));
    kernel.on('fault.end', (e) => this.#end((e as FaultEvent).fault));
    for (const f of this.#faults) {
      if (f.spec.atMs !== null && f.spec.type !== 'crash-at' && f.spec.type !== 'fail-checkpoint') {
        const event: FaultEvent = { type: 'fault.fire', fault: f.index };
        // Before anything else at that ms (deliveries are at 10): a fault at t hits what happens at t.
        kernel.schedule(f.spec.atMs, FAULT_PRIORITY, event);
      }
    }
    jobManager.setFaultHooks(this);
  }

  /**
   * What validation could not know: a subtask beyond the client's parallelism. When a resume
   * can rescale, such a subtask may exist later, so only one beyond the max parallelism, which
   * no rescale passes, is an error; one that does not exist when its fault comes does not
   * fire, and the report says the fault never fired.
   */
  #check(spec: FaultSpec): void {
    if (!('operator' in spec) || spec.operator === null) return;
    const max = this.#maxParallelism.get(spec.operator);
    if (max === undefined) throw new JobGraphError(`there is no operator '${spec.operator}' in the job`, `${spec.path}.operator`);
    const subtask = 'subtask' in spec ? spec.subtask : null;
    if (subtask !== null && subtask >= max) {
      const why = this.#rescalable ? `at most ${max} subtasks (its maxParallelism, which no rescale goes beyond)` : `${max} subtask(s) (0..${max - 1})`;
      throw new JobGraphError(`operator '${spec.operator}' has ${why}, found subtask ${subtask}`, `${spec.path}.subtask`);
    }
  }

  #vertexOf(operator: string): string {
    const graph = this.jobManager.jobGraph;
    if (this.#vertices?.graph !== graph) {
      const vertexOf = new Map(graph.vertices.flatMap((v) => v.operators.map((op) => [op.id, v.id] as const)));
      this.#vertices = { graph, vertexOf };
    }
    return this.#vertices.vertexOf.get(operator)!;
  }

  #taskOf(operator: string, subtask: number): string {
    return `${this.#vertexOf(operator)}#${subtask}`;
  }

  #target(spec: FaultSpec): string {
    switch (spec.type) {
      case 'kill-taskmanager':
        return spec.taskManager;
      case 'network-delay':
        return `${spec.from} -> ${spec.to}`;
      case 'fail-commit':
        return spec.operator;
      case 'throw-in-operator':
        return spec.subtask === null ? spec.operator : this.#taskOf(spec.operator, spec.subtask);
      case 'fail-checkpoint':
        return spec.operator === null ? 'a source' : this.#taskOf(spec.operator, spec.subtask);
      default:
        return this.#taskOf(spec.operator, spec.subtask);
    }
  }

  /** Every fault of the plan, in plan order, with whether and when it fired. */
  get outcomes(): FaultOutcome[] {
    return this.#faults.map((f) => {
      const out = { type: f.spec.type, path: f.spec.path, fired: f.fired, firedAt: f.firedAtMs };
      return f.spec.type === 'crash-at' ? { ...out, point: f.spec.point } : out;
    });
  }

  #note(f: Armed, description: string): void {
    f.fired = true;
    f.firedAtMs = this.kernel.clock.nowMs;
    this.trace.emit({ tag: 'fault.injected', timeMs: this.kernel.clock.nowMs, fault: f.spec.type, target: this.#target(f.spec), description });
  }

  /** A fault's time came (or its record count was reached). */
  #fire(f: Armed): void {
    if (f.fired) return;
    const spec = f.spec;
    const jm = this.jobManager;
    switch (spec.type) {
      case 'kill-task': {
        const task = this.#taskOf(spec.operator, spec.subtask);
        const attempt = jm.task(task);
        // A subtask of another parallelism (a resume not yet run, or skipped): the fault stays unfired.
        if (attempt === undefined) return;
        const running = attempt.active;
        // Said in the trace either way, so that a planned fault is never a silent no-op.
        this.#note(f, running ? `the attempt of ${task} is killed` : `no effect: ${task} is not running (${attempt.lifecycle.kind})`);
        if (running) jm.killTask(task, `kill-task ${task}`);
        return;
      }
      case 'kill-taskmanager': {
        const alive = jm.cluster?.taskManager(spec.taskManager)?.alive ?? false;
        this.#note(f, alive ? `TaskManager ${spec.taskManager} dies with the subtasks in its slots` : `no effect: TaskManager ${spec.taskManager} is already gone`);
        if (alive) jm.loseTaskManager(spec.taskManager);
        return;
      }
      case 'throw-in-operator':
        // The user function throws on the next record it processes.
        f.throwNext = true;
        return;
      case 'slow-task': {
        const id = this.#taskOf(spec.operator, spec.subtask);
        const task = jm.task(id);
        if (task === undefined) return;
        let slowed = this.#slowed.get(id);
        if (slowed === undefined || slowed.attempt !== task.attempt) {
          slowed = { attempt: task.attempt, base: task.throughput, factors: new Map() };
          this.#slowed.set(id, slowed);
        }
        this.#note(f, `${id} runs ${spec.factor} times slower for ${spec.forMs} ms`);
        slowed.factors.set(f.index, spec.factor);
        task.setThroughput(slowedRate(slowed.base, slowed.factors));
        const end: FaultEvent = { type: 'fault.end', fault: f.index };
        this.kernel.scheduleAfter(spec.forMs, FAULT_PRIORITY, end);
        return;
      }
      case 'network-delay': {
        this.#note(f, `channels ${spec.from} -> ${spec.to} take ${spec.extraMs} ms longer for ${spec.forMs} ms`);
        jm.network.addDelay(this.#vertexOf(spec.from), this.#vertexOf(spec.to), spec.extraMs, this.kernel.clock.nowMs + spec.forMs);
        return;
      }
      case 'fail-commit':
      case 'fail-checkpoint':
      case 'crash-at':
        return; // answered at their protocol points
    }
  }

  #end(index: number): void {
    for (const [id, slowed] of this.#slowed) {
      if (!slowed.factors.delete(index)) continue;
      const task = this.jobManager.task(id);
      // The attempt it slowed is gone: the new one runs at its own rate already.
      if (task !== undefined && task.attempt === slowed.attempt) task.setThroughput(slowedRate(slowed.base, slowed.factors));
      if (slowed.factors.size === 0) this.#slowed.delete(id);
      return;
    }
  }

  // ---- FaultHooks ---------------------------------------------------------------------

  wrapOperator(task: string, node: StreamNode, instance: AnyOperator): AnyOperator {
    const aimed = this.#faults.filter((f) => !f.fired && this.#aimsAtRecords(f.spec, task, node.id));
    if (aimed.length === 0) return instance;
    const hook = (): void => {
      for (const f of aimed) this.#onRecord(f, task, node.id);
    };
    if (node.factory.kind === 'source') return new CountingSource(instance as SourceOperator, hook);
    if (node.factory.kind === 'two-input') return new CountingTwoInputOperator(instance as TwoInputStreamOperator, hook);
    return new CountingOperator(instance as StreamOperator, hook);
  }

  #aimsAtRecords(spec: FaultSpec, task: string, operator: string): boolean {
    if (spec.type === 'throw-in-operator') return spec.operator === operator && (spec.subtask === null || this.#taskOf(operator, spec.subtask) === task);
    if (spec.afterRecords === null) return false;
    if (spec.type === 'kill-task' || spec.type === 'slow-task') return spec.operator === operator && this.#taskOf(operator, spec.subtask) === task;
    if (spec.type === 'fail-commit') return spec.operator === operator;
    // A TaskManager or a network link has no records of its own: count the records the sources read.
    if (spec.type === 'kill-taskmanager' || spec.type === 'network-delay') return this.#isSource.has(operator);
    return false;
  }

  #onRecord(f: Armed, task: string, operator: string): void {
    if (f.fired) return;
    const spec = f.spec;
    if (spec.type === 'throw-in-operator' && spec.afterRecords === null) {
      if (!f.throwNext) return;
    } else if (++f.records < spec.afterRecords!) return;
    if (spec.type === 'throw-in-operator') {
      this.#note(f, `the user function of ${operator} in ${task} throws`);
      throw new UserFunctionError(operator, new Error(`injected by a throw-in-operator fault (${spec.path})`));
    }
    if (spec.type === 'fail-commit') {
      f.throwNext = true; // the sink's next commit throws
      return;
    }
    if (spec.type === 'kill-task') {
      this.#note(f, `the attempt of ${task} is killed after ${f.records} records`);
      throw new FaultInjectedError(`kill-task ${task}`);
    }
    this.#fire(f);
  }

  crashesAt(task: string, point: TaskCrashPoint, checkpointId: number): boolean {
    for (const f of this.#faults) {
      const spec = f.spec;
      if (f.fired || spec.type !== 'crash-at' || spec.point !== point) continue;
      if (this.#taskOf(spec.operator, spec.subtask) !== task) continue;
      if (spec.checkpoint !== null && spec.checkpoint !== checkpointId) continue;
      this.#note(f, `${task} dies at ${point} of ${commitOf(checkpointId)}`);
      return true;
    }
    return false;
  }

  commitFails(task: string, operator: string, checkpointId: number): boolean {
    for (const f of this.#faults) {
      const spec = f.spec;
      if (f.fired || spec.type !== 'fail-commit' || spec.operator !== operator) continue;
      // Armed by its time, or by its sink's record count (see #onRecord).
      if (spec.atMs !== null ? this.kernel.clock.nowMs < spec.atMs : !f.throwNext) continue;
      this.#note(f, `the commit of ${commitOf(checkpointId)} in ${task} fails`);
      return true;
    }
    return false;
  }

  snapshotFails(task: string, checkpointId: number): boolean {
    for (const f of this.#faults) {
      const spec = f.spec;
      if (f.fired || spec.type !== 'fail-checkpoint' || spec.checkpoint !== checkpointId) continue;
      const target = this.#taskOf(spec.operator ?? [...this.#isSource][0]!, spec.subtask);
      if (target !== task) continue;
      this.#note(f, `the asynchronous part of ${task}'s snapshot of checkpoint ${checkpointId} fails`);
      return true;
    }
    return false;
  }
}

/** Checkpoint 0 is a sink's commit at the end of its input, in a job without periodic checkpoints. */
function commitOf(checkpointId: number): string {
  return checkpointId === 0 ? 'the end of its input' : `checkpoint ${checkpointId}`;
}

/** A chain's rate under the factors of the slow-task faults under way (none: its own rate, unlimited included). */
function slowedRate(base: number, factors: ReadonlyMap<number, number>): number {
  if (factors.size === 0) return base;
  let rate = base === Number.POSITIVE_INFINITY ? UNLIMITED_THROUGHPUT : base;
  for (const factor of factors.values()) rate /= factor;
  return rate;
}
