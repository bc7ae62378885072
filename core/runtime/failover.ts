/**
 * Failover, as Flink's DefaultScheduler does it (ExecutionFailureHandler, then
 * restartTasksWithDelay): every failure is told to the restart strategy, which decides
 * whether and after what backoff. If the job may restart, the failover strategy picks what
 * restarts: the failed subtask's pipelined region (`region`, Flink's default; the job stays
 * RUNNING) or every subtask (`full`; the job goes RESTARTING). Those subtasks are canceled,
 * their channels torn down, and after that failure's own backoff, whatever other regions
 * are waiting for, they are deployed again as new attempts, restored from the latest
 * completed checkpoint. If it may not, the job FAILS.
 *
 * Exponential-delay answers a failure that comes during a pending backoff with the time
 * left until that restart, so both redeploy at one instant, without a new attempt.
 */
import { regionOf, type RestartBackoffTimeStrategy } from '../recovery/index.ts';
import type { JobContext } from './job-context.ts';
import type { JobManagerEvent } from './job-events.ts';
import { PRIORITY } from './network.ts';
import type { SlotRequests, SlotTimeout } from './slot-requests.ts';
import type { StreamTask } from './task.ts';

/**
 * A restart decision waiting for its backoff. As Flink's ExecutionVertexVersioner, a later
 * failure that restarts some of its subtasks takes them over: they leave `tasks`.
 */
interface PendingRestart {
  readonly id: number;
  tasks: string[];
}

export class Failover {
  #strategy: RestartBackoffTimeStrategy;
  #regions: readonly (readonly string[])[] = [];
  /** Incremented per restart decision: it names the decision's `jobmanager.restart`. */
  #restartCount = 0;
  /** Every decision still in its backoff: each region restarts after its own failure's delay. */
  readonly #pending: PendingRestart[] = [];

  constructor(
    private readonly ctx: JobContext,
    private readonly slots: SlotRequests,
    strategy: RestartBackoffTimeStrategy,
  ) {
    this.#strategy = strategy;
  }

  /** A job's start: what restarts together. */
  start(regions: readonly (readonly string[])[]): void {
    this.#regions = regions;
  }

  /** A new job (a `resume`): no decisions, and a restart strategy of its own. */
  reset(strategy: RestartBackoffTimeStrategy): void {
    this.#restartCount = 0;
    this.#pending.length = 0;
    this.#strategy = strategy;
  }

  /** Whether subtask `id` is already being restarted (its region failed over a moment ago). */
  isRestarting(id: string): boolean {
    return this.#pending.some((p) => p.tasks.includes(id));
  }

  /** A failure of `failed` (with `alsoFailed`), or of the whole job (`global`, or no subtask to blame). */
  handleFailure(failed: StreamTask | null, cause: string, global: boolean, alsoFailed: readonly StreamTask[] = []): void {
    const { graph, coordinator } = this.ctx;
    if (graph.ended) return;
    const strategy = this.#strategy;
    strategy.notifyFailure(this.ctx.kernel.clock.nowMs);
    if (!strategy.canRestart()) return this.#failForGood(cause, strategy);
    const ids = this.#affected(failed, global, alsoFailed);
    const delay = strategy.getBackoffTime();
    this.#takeOver(ids);
    const fullRestart = ids.length === graph.ids.length;
    coordinator?.abortPending('FAILED', 'TASK_FAILURE', cause);
    if (fullRestart) coordinator?.stopScheduler();
    this.#cancel(ids);
    if ((fullRestart && this.ctx.failoverStrategy === 'full') || global) graph.setJobStatus('RESTARTING', cause);
    this.#scheduleRestart(ids, cause, delay);
  }

  /** Decision `restartId`'s backoff ended: its subtasks are deployed again, from the latest completed checkpoint. */
  onRestart(restartId: number): void {
    const at = this.#pending.findIndex((p) => p.id === restartId);
    if (at === -1 || this.ctx.graph.ended) return;
    const pending = this.#pending.splice(at, 1)[0]!;
    // A later failure took every subtask of this one over: it restarts them itself.
    if (pending.tasks.length === 0) return;
    const restore = this.ctx.coordinator?.latestCompleted() ?? null;
    this.slots.deployWhenSlots(pending.tasks, restore, false);
  }

  /** A deployment found no slots in time: the job's first fails it; a restart's is one more failure for the restart strategy. */
  onNoSlots(timeout: SlotTimeout): void {
    if (timeout.first) return this.#failForGood(timeout.cause, null);
    const strategy = this.#strategy;
    strategy.notifyFailure(this.ctx.kernel.clock.nowMs);
    if (!strategy.canRestart()) return this.#failForGood(timeout.cause, strategy);
    this.#scheduleRestart(timeout.tasks, timeout.cause, strategy.getBackoffTime());
  }

  /** Fails the whole job at once, bypassing the restart strategy (an unrecoverable error). */
  failNow(cause: string): void {
    if (!this.ctx.graph.ended) this.#failForGood(cause, null);
  }

  /** One restart decision: traced, and the redeployment put on the agenda after `delayMs`. */
  #scheduleRestart(ids: string[], cause: string, delayMs: number): void {
    const { kernel, trace } = this.ctx;
    this.#restartCount++;
    this.#pending.push({ id: this.#restartCount, tasks: [...ids] });
    trace.emit({ tag: 'job.restarting', timeMs: kernel.clock.nowMs, attempt: this.#restartCount, delayMs, cause, tasks: ids });
    const event: JobManagerEvent = { type: 'jobmanager.restart', restart: this.#restartCount };
    kernel.scheduleAfter(delayMs, PRIORITY.jobManager, event);
  }

  /** The newest decision restarts `ids`: earlier ones, pending or waiting for slots, no longer do. */
  #takeOver(ids: readonly string[]): void {
    for (const p of this.#pending) p.tasks = p.tasks.filter((id) => !ids.includes(id));
    this.slots.takeOver(ids);
  }

  /** The subtasks a failure restarts: its pipelined region (or all, for a global failure). */
  #affected(failed: StreamTask | null, global: boolean, alsoFailed: readonly StreamTask[]): string[] {
    const order = this.ctx.graph.ids;
    if (global || failed === null) return [...order];
    const ids = new Set<string>();
    for (const t of [failed, ...alsoFailed]) for (const id of regionOf(this.#regions, t.id)) ids.add(id);
    return order.filter((id) => ids.has(id));
  }

  #failForGood(cause: string, strategy: RestartBackoffTimeStrategy | null): void {
    const { graph, coordinator } = this.ctx;
    const full = strategy === null ? cause : `${cause} (recovery is suppressed by ${strategy.describe()})`;
    graph.failureCause = full;
    this.#pending.length = 0;
    graph.setJobStatus('FAILING', full);
    coordinator?.stopScheduler();
    coordinator?.abortPending('FAILED', 'JOB_FAILED', full);
    this.#cancel(graph.ids.filter((id) => {
      const t = graph.attempt(id);
      return t.active || t.lifecycle.kind === 'lost' || t.lifecycle.kind === 'created';
    }));
    graph.setJobStatus('FAILED', full);
  }

  /** Cancels the live attempts among `ids` and tears down their channels. */
  #cancel(ids: readonly string[]): void {
    const { graph } = this.ctx;
    const gone = new Set<StreamTask>();
    for (const id of ids) {
      const task = graph.attempt(id);
      gone.add(task);
      if (task.lifecycle.kind === 'created') graph.setTaskStatus(task, { kind: 'canceled' }, 'CANCELED', null);
      else if (task.active || task.lifecycle.kind === 'lost') {
        graph.setTaskStatus(task, { kind: 'canceling' }, 'CANCELING', null);
        graph.setTaskStatus(task, { kind: 'canceled' }, 'CANCELED', null);
        task.stop();
      }
    }
    this.ctx.network.release(gone);
  }
}
