/**
 * Waiting for slots. A deployment (the job's first, or a restart's) that the cluster has
 * no slots for waits, as Flink's scheduler does, for TaskManagers that may still register
 * (a replacement for a lost one, say), and gives up after the slot request timeout
 * (`slot.request.timeout`). A restart that finds others already waiting joins them: one
 * wait, one timeout, one deployment of all of them once the slots are there.
 */
import type { CompletedCheckpoint } from '../checkpoint/index.ts';
import { deploy } from './deployment.ts';
import type { JobContext } from './job-context.ts';
import type { JobManagerEvent } from './job-events.ts';
import { PRIORITY } from './network.ts';

/** Subtasks whose restart found no slots (or the first deployment), waiting for a TaskManager to register. */
interface SlotWait {
  /** Names the wait's slot-request timeout. */
  readonly id: number;
  tasks: string[];
  restore: CompletedCheckpoint | null;
  readonly first: boolean;
}

/** A wait that timed out: the subtasks it was for, and the cause to fail them with. */
export interface SlotTimeout {
  readonly tasks: string[];
  readonly first: boolean;
  readonly cause: string;
}

export class SlotRequests {
  #waiting: SlotWait | null = null;
  #waitCount = 0;

  constructor(private readonly ctx: JobContext) {}

  /**
   * Deploys `ids` once the cluster has slots for them; otherwise waits, failing after the
   * slot request timeout. A restart that finds others already waiting waits with them.
   */
  deployWhenSlots(ids: string[], restore: CompletedCheckpoint | null, first: boolean): void {
    const { graph } = this.ctx;
    const waiting = this.#waiting;
    if (waiting !== null) {
      this.#waiting = null;
      ids = graph.ids.filter((id) => ids.includes(id) || waiting.tasks.includes(id));
      first = first && waiting.first;
    }
    const indexes = [...new Set(ids.map((id) => graph.attempt(id).index))];
    if (!this.ctx.cluster().canPlace(indexes)) {
      this.#waiting = { id: waiting?.id ?? ++this.#waitCount, tasks: ids, restore, first };
      if (waiting !== null) return;
      // Like Flink, wait for resources that may still register; give up after the timeout.
      const event: JobManagerEvent = { type: 'jobmanager.slot-timeout', restart: this.#waitCount };
      this.ctx.kernel.scheduleAfter(this.ctx.clusterConfig.slotRequestTimeoutMs, PRIORITY.jobManager, event);
      return;
    }
    deploy(this.ctx, ids, restore, first);
  }

  /** A TaskManager registered: whoever waits tries again. */
  retry(): void {
    const waiting = this.#waiting;
    if (waiting !== null && !this.ctx.graph.ended) this.deployWhenSlots([], waiting.restore, waiting.first);
  }

  /** The slot request timeout of wait `id` ran out: the wait ends, unsatisfied (null when it ended before). */
  timedOut(id: number): SlotTimeout | null {
    const waiting = this.#waiting;
    const { graph } = this.ctx;
    if (graph.ended || waiting === null || id !== waiting.id) return null;
    const needed = Math.max(...graph.tasks.map((t) => t.vertex.parallelism));
    const have = this.ctx.cluster().slots.length;
    const cause =
      `NoResourceAvailableException: could not acquire the minimum required resources: the job needs ${needed} slots, ` +
      `the cluster offers ${have} (taskManagers x slotsPerTaskManager)`;
    this.#waiting = null;
    return { tasks: waiting.tasks, first: waiting.first, cause };
  }

  /** A newer restart decision restarts `ids`: the wait no longer deploys them. */
  takeOver(ids: readonly string[]): void {
    const waiting = this.#waiting;
    if (waiting === null) return;
    waiting.tasks = waiting.tasks.filter((id) => !ids.includes(id));
    if (waiting.tasks.length === 0) this.#waiting = null;
  }

  /** The job is submitted again: nothing waits. */
  clear(): void {
    this.#waiting = null;
  }
}
