/**
 * StreamGraph -> JobGraph. Two decisions are made here, as Flink's
 * StreamingJobGraphGenerator makes them:
 *
 * Parallelism: the operator's own setting beats the environment's (`config.parallelism`),
 * which beats the client's (`weir run --parallelism N`), which beats the system default, 1.
 *
 * Chaining: an operator is fused into the task of its upstream when the edge is a forward
 * edge with equal parallelism on both sides and the downstream operator has no other input
 * (so a two-input operator always heads its chain, as in Flink).
 * A chain becomes one JobVertex, and records inside it are plain function calls. Every
 * other edge becomes a JobEdge: a network exchange between tasks.
 */
import { assert } from '../kernel/index.ts';
import { defaultMaxParallelism } from './key-groups.ts';
import type { Partitioner, StreamEdge, StreamGraph, StreamGraphConfig, StreamNode } from './stream-graph.ts';

export interface JobVertex {
  /** The id of the chain's head operator. */
  readonly id: string;
  /** Flink style: the chained operator names joined with ` -> `. */
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** The chained operators, head first, each before the ones that read from it. */
  readonly operators: readonly StreamNode[];
  /** Edges between operators of this chain. */
  readonly chainedEdges: readonly StreamEdge[];
  readonly isSource: boolean;
}

export interface JobEdge {
  readonly source: string;
  readonly target: string;
  /** The operators at the two ends (a chain may end in the middle of a vertex). */
  readonly fromOperator: string;
  readonly toOperator: string;
  readonly partitioner: Partitioner;
  /** The input of a two-input target the edge feeds (1 or 2); absent: input 1. */
  readonly logicalInput?: 1 | 2;
  /** The buffer timeout of its channels: `fromOperator`'s own, else the job's (StreamGraphConfig.bufferTimeoutMs); absent: none. */
  readonly bufferTimeoutMs?: number;
}

export interface JobGraph {
  readonly name: string;
  readonly config: StreamGraphConfig;
  /** Vertices in topological order. */
  readonly vertices: readonly JobVertex[];
  readonly edges: readonly JobEdge[];
}

export interface JobGraphOptions {
  /** The client level of parallelism (`weir run --parallelism N`), or null. */
  readonly clientParallelism?: number | null;
}

/** Bounds on one simulated job: beyond them a run would exhaust memory, not teach anything. */
export const MAX_SUBTASKS = 10_000;
export const MAX_CHANNELS = 1_000_000;

/** Thrown when a graph cannot be executed as written (Flink throws at translation too). */
export class JobGraphError extends Error {
  /** `path`: where in a scenario file the cause is, for the message (`$.job` unless a part of the file other than the job is at fault). */
  constructor(
    message: string,
    readonly path = '$.job',
  ) {
    super(message);
    this.name = 'JobGraphError';
  }
}

/** Resolves one node's parallelism by Flink's precedence. */
export function resolveParallelism(node: StreamNode, config: StreamGraphConfig, clientParallelism: number | null): number {
  return node.parallelism ?? config.parallelism ?? clientParallelism ?? 1;
}

/**
 * @example
 * const jobGraph = buildJobGraph(streamGraph, { clientParallelism: 2 });
 * jobGraph.vertices.map(v => v.name); // ['numbers -> triple -> keep -> out']
 */
export function buildJobGraph(graph: StreamGraph, options: JobGraphOptions = {}): JobGraph {
  const client = options.clientParallelism ?? null;
  const config = graph.config;
  const parallelism = new Map<string, number>();
  for (const node of graph.nodes) {
    const p = resolveParallelism(node, config, client);
    const maxP = config.maxParallelism ?? defaultMaxParallelism(p);
    if (p > maxP) throw new JobGraphError(`operator '${node.id}' has parallelism ${p}, above maxParallelism ${maxP}`);
    parallelism.set(node.id, p);
  }
  const inputsOf = new Map<string, StreamEdge[]>();
  for (const edge of graph.edges) {
    const list = inputsOf.get(edge.to) ?? [];
    list.push(edge);
    inputsOf.set(edge.to, list);
  }
  const resolved = graph.edges.map((edge) => ({ edge, partitioner: resolvePartitioner(edge, parallelism) }));
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const chainable = (edge: StreamEdge, partitioner: Partitioner): boolean =>
    partitioner.type === 'forward' &&
    (inputsOf.get(edge.to)?.length ?? 0) === 1 &&
    !nodeById.get(edge.from)!.isSink &&
    nodeById.get(edge.to)!.factory.kind === 'operator';

  // Each node's chain head: itself, or its upstream's head when the edge chains.
  const headOf = new Map<string, string>();
  for (const node of graph.nodes) {
    const inputs = inputsOf.get(node.id) ?? [];
    const only = inputs.length === 1 ? resolved.find((r) => r.edge === inputs[0])! : null;
    headOf.set(node.id, only !== null && chainable(only.edge, only.partitioner) ? headOf.get(only.edge.from)! : node.id);
  }

  const vertices: JobVertex[] = [];
  for (const head of graph.nodes) {
    if (headOf.get(head.id) !== head.id) continue;
    const operators = graph.nodes.filter((n) => headOf.get(n.id) === head.id);
    const p = parallelism.get(head.id)!;
    vertices.push({
      id: head.id,
      name: operators.map((n) => n.name).join(' -> '),
      parallelism: p,
      maxParallelism: config.maxParallelism ?? defaultMaxParallelism(p),
      operators,
      chainedEdges: graph.edges.filter((e) => headOf.get(e.from) === head.id && headOf.get(e.to) === head.id),
      isSource: head.factory.kind === 'source',
    });
  }
  const subtasks = vertices.reduce((n, v) => n + v.parallelism, 0);
  if (subtasks > MAX_SUBTASKS) throw new JobGraphError(`the job has ${subtasks} subtasks; a simulation runs at most ${MAX_SUBTASKS}`);
  const edges: JobEdge[] = [];
  let channels = 0;
  for (const { edge, partitioner } of resolved) {
    const up = parallelism.get(edge.from)!;
    const down = parallelism.get(edge.to)!;
    channels += partitioner.type === 'forward' ? up : partitioner.type === 'rescale' ? Math.max(up, down) : up * down;
    const source = headOf.get(edge.from)!;
    const target = headOf.get(edge.to)!;
    if (source === target) continue;
    // As Flink's StreamingJobGraphGenerator: an operator's own setBufferTimeout, else the environment's.
    const bufferTimeoutMs = nodeById.get(edge.from)?.bufferTimeoutMs ?? config.bufferTimeoutMs ?? null;
    edges.push({
      source,
      target,
      fromOperator: edge.from,
      toOperator: edge.to,
      partitioner,
      ...(edge.logicalInput === undefined ? {} : { logicalInput: edge.logicalInput }),
      ...(bufferTimeoutMs === null ? {} : { bufferTimeoutMs }),
    });
  }
  if (channels > MAX_CHANNELS) {
    throw new JobGraphError(`the job needs ${channels} network channels (producer x consumer subtasks per all-to-all edge); a simulation runs at most ${MAX_CHANNELS}: lower the parallelism`);
  }
  return { name: config.jobName, config, vertices, edges };
}

function resolvePartitioner(edge: StreamEdge, parallelism: Map<string, number>): Partitioner {
  const from = parallelism.get(edge.from);
  const to = parallelism.get(edge.to);
  assert(from !== undefined && to !== undefined, `edge ${edge.from} -> ${edge.to} names an unknown node`);
  if (edge.partitioner === null) return from === to ? { type: 'forward' } : { type: 'rebalance' };
  if (edge.partitioner.type === 'forward' && from !== to) {
    throw new JobGraphError(
      `forward partitioning does not allow a change of parallelism: '${edge.from}' has ${from}, '${edge.to}' has ${to}; use rebalance`,
    );
  }
  return edge.partitioner;
}
