/**
 * Stop-with-savepoint (Flink's `flink stop`): sources stop after the savepoint's barrier;
 * when the savepoint completes every task ends FINISHED without draining, and the job is
 * FINISHED, to be resumed from that savepoint. As Flink's SchedulerBase, periodic
 * checkpoints stop first (pending ones are aborted), so that only the savepoint commits
 * side effects. As its StopWithSavepointTerminationHandler: a savepoint that fails lets
 * the job go on; a task that fails to finish after it completed leaves the job
 * inconsistent, so a global failover follows and the job runs on.
 */
import { assert } from '../kernel/index.ts';
import type { Failover } from './failover.ts';
import type { JobContext } from './job-context.ts';

export class StopWithSavepoint {
  /** The stop-with-savepoint in progress: its savepoint id. */
  #stopping: number | null = null;
  /** The savepoint the job was stopped with, which a `resume` starts from; null when it was not stopped that way. */
  stoppedWith: number | null = null;

  constructor(
    private readonly ctx: JobContext,
    private readonly failover: Failover,
  ) {}

  /** Whether a stop-with-savepoint is under way (its savepoint pending). */
  get stopping(): boolean {
    return this.#stopping !== null;
  }

  /** Stops the periodic checkpoints and triggers the stop's savepoint. Returns its id. */
  stop(): number {
    const coordinator = this.ctx.coordinator;
    assert(coordinator !== null, 'a savepoint needs the coordinator: the JobManager was created without savepoints');
    coordinator.stopScheduler();
    coordinator.abortPending('ABORTED', 'CHECKPOINT_COORDINATOR_SUSPEND', 'stop-with-savepoint');
    const id = coordinator.triggerSavepoint(true);
    if (coordinator.isPending(id)) this.#stopping = id;
    else this.#failed();
    return id;
  }

  /** Checkpoint `checkpointId` completed: whether it was the stop's savepoint, which ends the job. */
  completed(checkpointId: number): boolean {
    if (checkpointId !== this.#stopping) return false;
    this.#finish(checkpointId);
    return true;
  }

  /** Checkpoint `checkpointId` was aborted: if it was the stop's savepoint, the job goes on. */
  aborted(checkpointId: number): void {
    if (checkpointId === this.#stopping) this.#failed();
  }

  /**
   * The stop's savepoint failed: the job goes on, its sources resume and periodic
   * checkpoints start again. A savepoint's failure is not counted against tolerableFailures.
   */
  #failed(): void {
    const { graph } = this.ctx;
    this.#stopping = null;
    for (const t of graph.tasks) t.resumeSource();
    if (graph.status === 'RUNNING' && graph.tasks.some((t) => t.active)) this.ctx.coordinator!.startScheduler();
  }

  /** The stop's savepoint completed: every task finishes, or the first that cannot fails the job over. */
  #finish(savepointId: number): void {
    const { graph, coordinator } = this.ctx;
    this.#stopping = null;
    coordinator!.stopScheduler();
    coordinator!.abortPending('ABORTED', 'JOB_ENDED', `stopped with savepoint ${savepointId}`);
    for (const task of graph.tasks) {
      if (!task.active) continue;
      // As in Flink, the tasks hear that the stop's savepoint completed (a sink commits) before they finish.
      task.notifyCheckpointComplete(savepointId);
      if (!task.active) {
        const cause = task.lifecycle.kind === 'failed' ? `: ${task.lifecycle.cause}` : '';
        return this.failover.handleFailure(null, `stop-with-savepoint: savepoint ${savepointId} completed, but ${task.id} did not finish${cause}`, true);
      }
      task.closeAfterStop();
      graph.setTaskStatus(task, { kind: 'finished' }, 'FINISHED', null);
      task.stop();
    }
    this.stoppedWith = savepointId;
    this.ctx.network.release(new Set(graph.tasks));
    graph.setJobStatus('FINISHED', `stopped with savepoint ${savepointId}`);
  }
}
