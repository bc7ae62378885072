/**
 * What the JobManager derives from a JobGraph alone: its subtasks, the channels a
 * deployment wires between them, the pipelined regions those channels make, and each
 * subtask's upstream subtasks. None of it depends on an attempt, a restore or the cluster,
 * so it is worked out once per JobGraph and shared by every submission, every redeployment
 * and every run that reuses the graph (a `weir check` campaign deploys one JobGraph
 * thousands of times). A JobGraph is immutable, so the cache can never go stale.
 */
import type { JobEdge, JobGraph, JobVertex } from '../graph/index.ts';
import { computePipelinedRegions } from '../recovery/index.ts';
import { targetIndexes } from './network.ts';

/** A network channel a deployment will have, as a (from, to) pair of subtask ids. */
export interface PlannedChannel {
  readonly from: string;
  readonly to: string;
}

export interface DeploymentPlan {
  /** Every subtask id (`vertex#index`), vertices in topological order: the JobManager's deployment order. */
  readonly subtasks: readonly string[];
  readonly vertexById: ReadonlyMap<string, JobVertex>;
  /** The slots a full deployment needs on one TaskManager: the largest parallelism. */
  readonly maxParallelism: number;
  readonly channels: readonly PlannedChannel[];
  /** Pipelined regions (Flink's `region` failover strategy), as computePipelinedRegions gives them. */
  readonly regions: readonly (readonly string[])[];
  /** Per subtask, the subtasks that send to it, in channel order (absent: a subtask with no inputs). */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
}

const plans = new WeakMap<JobGraph, DeploymentPlan>();

/**
 * The plan of `jobGraph`, computed at its first deployment and then reused.
 * @example
 * deploymentPlanOf(jobGraph).regions; // [['src#0', 'src#1', 'sink#0', 'sink#1']] behind a hash edge
 */
export function deploymentPlanOf(jobGraph: JobGraph): DeploymentPlan {
  let plan = plans.get(jobGraph);
  if (plan === undefined) plans.set(jobGraph, (plan = computePlan(jobGraph)));
  return plan;
}

function computePlan(jobGraph: JobGraph): DeploymentPlan {
  const subtasks: string[] = [];
  for (const vertex of jobGraph.vertices) for (let i = 0; i < vertex.parallelism; i++) subtasks.push(`${vertex.id}#${i}`);
  const vertexById = new Map(jobGraph.vertices.map((v) => [v.id, v] as const));
  const channels: PlannedChannel[] = [];
  for (const edge of jobGraph.edges) {
    const s = vertexById.get(edge.source)!;
    const t = vertexById.get(edge.target)!;
    for (let i = 0; i < s.parallelism; i++) for (const j of targetsOf(edge, i, s, t)) channels.push({ from: `${s.id}#${i}`, to: `${t.id}#${j}` });
  }
  const upstream = new Map<string, string[]>();
  for (const c of channels) {
    const list = upstream.get(c.to);
    if (list === undefined) upstream.set(c.to, [c.from]);
    else list.push(c.from);
  }
  return {
    subtasks,
    vertexById,
    maxParallelism: Math.max(...jobGraph.vertices.map((v) => v.parallelism)),
    channels,
    regions: computePipelinedRegions(subtasks, channels),
    upstream,
  };
}

function targetsOf(edge: JobEdge, index: number, source: JobVertex, target: JobVertex): number[] {
  return targetIndexes(edge.partitioner.type, index, source.parallelism, target.parallelism);
}
