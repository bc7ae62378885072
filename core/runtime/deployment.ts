/**
 * Deployment: the JobManager hands subtasks to their slots as execution attempts. Each
 * attempt goes SCHEDULED, DEPLOYING, INITIALIZING, RUNNING; the network wires the channels
 * among the deployed subtasks; and each restores its operators' state from the checkpoint
 * the deployment starts from (keyed state by key group, so also at a new parallelism), or
 * starts empty. A source starts reading at once; the others wait for their inputs.
 *
 * A slot on a TaskManager that died but whose heartbeat has not timed out is still
 * offered, and the attempt sent there fails at DEPLOYING (Flink's submitTask RPC failing
 * in Execution.deploy): one more failure for the restart strategy, as any other.
 */
import type { JobEdge, JobVertex } from '../graph/index.ts';
import { assert } from '../kernel/index.ts';
import type { CompletedCheckpoint } from '../checkpoint/index.ts';
import type { OperatorSnapshot } from '../state/index.ts';
import { deploymentPlanOf } from './deployment-plan.ts';
import type { JobContext } from './job-context.ts';
import type { JobManagerEvent } from './job-events.ts';
import { PRIORITY } from './network.ts';
import { StreamTask, type TaskRestore } from './task.ts';

/**
 * Deploys `ids` (the cluster has the slots): the first attempts as they are (`first`), or
 * a new attempt of each, restored from `restore` when it is not null.
 */
export function deploy(ctx: JobContext, ids: string[], restore: CompletedCheckpoint | null, first: boolean): void {
  const { graph, trace, kernel } = ctx;
  const jobGraph = graph.jobGraph;
  const cluster = ctx.cluster();
  const tasks = new Map<string, StreamTask>();
  for (const id of ids) {
    const old = graph.attempt(id);
    const task = first ? old : new StreamTask(old.vertex, old.index, old.attempt + 1, ctx.host, graph.metricsOf(id));
    graph.replace(task);
    tasks.set(id, task);
    const slot = cluster.slotFor(task.index);
    assert(slot !== null, () => `no slot for ${id} although the cluster said it had one`);
    task.slot = slot;
  }
  const inSet = (e: JobEdge) => ids.some((id) => id.startsWith(`${e.source}#`)) && ids.some((id) => id.startsWith(`${e.target}#`));
  const writers = ctx.network.connect(jobGraph.edges.filter(inSet), tasks, deploymentPlanOf(jobGraph).vertexById);
  const restores = new Map<string, TaskRestore | null>();
  for (const task of tasks.values()) restores.set(task.id, restore === null ? null : restoreFor(task.vertex, task.index, restore));
  if (restore !== null || !first) {
    trace.emit({ tag: 'job.restored', timeMs: kernel.clock.nowMs, checkpoint: restore?.id ?? null, savepoint: restore?.savepoint ?? false, tasks: [...tasks.keys()] });
  }
  for (const task of tasks.values()) {
    if (!first) graph.setTaskStatus(task, { kind: 'created' }, 'SCHEDULED', null);
    graph.setTaskStatus(task, { kind: 'deploying' }, 'DEPLOYING', null);
    const tm = task.slot!.taskManager;
    if (!cluster.taskManager(tm)!.alive) {
      deploymentFailed(ctx, task, tm);
      continue;
    }
    task.deploy(writers.get(task)!, restores.get(task.id)!);
    graph.setTaskStatus(task, { kind: 'initializing' }, 'INITIALIZING', null);
    const failure = task.initializationFailure;
    if (failure !== null) ctx.host.taskFailed(task, failure.cause, failure.injected);
  }
  for (const task of tasks.values()) {
    if (task.initializationFailure !== null || task.lifecycle.kind === 'failed') continue;
    graph.setTaskStatus(task, { kind: 'running' }, 'RUNNING', null);
    const r = restores.get(task.id);
    if (r?.finished) task.startFinishedOnRestore();
    else if (task.vertex.isSource) ctx.host.scheduleRun(task);
  }
  if (graph.status === 'RESTARTING') graph.setJobStatus('RUNNING', null);
  const coordinator = ctx.coordinator;
  if (coordinator !== null && (first || ctx.failoverStrategy === 'full' || ids.length === graph.ids.length)) coordinator.startScheduler();
}

/** The attempt never reached TaskManager `tm`: it fails, and the JobManager handles that as any failure. */
function deploymentFailed(ctx: JobContext, task: StreamTask, tm: string): void {
  const cause = `deployment to ${tm} failed: TaskManager lost`;
  ctx.graph.setTaskStatus(task, { kind: 'failed', cause }, 'FAILED', cause);
  const event: JobManagerEvent = { type: 'jobmanager.failure', task: task.id, attempt: task.attempt, cause: `deployment of ${task.id} to ${tm} failed: TaskManager lost` };
  ctx.kernel.schedule(ctx.kernel.clock.nowMs, PRIORITY.jobManager, event);
}

/** What one subtask of `vertex` gets from a completed checkpoint: every old subtask's snapshot of each of its operators. */
function restoreFor(vertex: JobVertex, index: number, checkpoint: CompletedCheckpoint): TaskRestore {
  const old = [...checkpoint.tasks.values()].filter((s) => s.vertex === vertex.id);
  const operators = new Map<string, OperatorSnapshot[]>();
  for (const node of vertex.operators) operators.set(node.id, old.flatMap((s) => s.operators.filter((o) => o.operator === node.id)));
  // Channel state goes back to the same subtask (unaligned checkpoints are restored at the parallelism they were taken with).
  const own = old.filter((s) => s.subtaskIndex === index && old.length === vertex.parallelism);
  const channelState = own.flatMap((s) => s.channelState.flatMap((c) => c.records));
  const channelStateChannels = own.flatMap((s) => s.channelState.flatMap((c) => c.records.map(() => c.input)));
  return { operators, finished: old.length > 0 && old.every((s) => s.finished), channelState, channelStateChannels };
}
