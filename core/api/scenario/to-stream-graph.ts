/**
 * From a validated scenario to a StreamGraph. Each operator becomes a node, except
 * `keyBy`, which in Flink is not an operator but a way of connecting two: the edge out of
 * a keyBy carries hash partitioning by key group, and its node disappears.
 */
import { compileExpression } from '../../expr/index.ts';
import type { KeySelector, Partitioner, StreamEdge, StreamGraph, StreamNode } from '../../graph/index.ts';
import {
  FilterOperator,
  FlatMapOperator,
  MapOperator,
  PrintSink,
  SequenceSource,
  type OperatorFactory,
} from '../../operators/index.ts';
import type { KeyBySpec, OperatorSpec, Scenario } from './types.ts';

export function keySelector(expr: string): KeySelector {
  const compiled = compileExpression(expr);
  return { description: expr, select: (record) => compiled.evaluate(record.value, record.timestamp) };
}

function factoryOf(op: Exclude<OperatorSpec, KeyBySpec>): OperatorFactory {
  switch (op.type) {
    case 'sequence':
      return { kind: 'source', create: () => new SequenceSource(op.items) };
    case 'map':
      return { kind: 'operator', create: () => new MapOperator(op.expr) };
    case 'filter':
      return { kind: 'operator', create: () => new FilterOperator(op.expr) };
    case 'flatMap':
      return { kind: 'operator', create: () => new FlatMapOperator(op.expr) };
    case 'sink':
      return { kind: 'operator', create: () => new PrintSink(op.id) };
  }
}

/** Builds the StreamGraph of a scenario's job (nodes in topological order). */
export function scenarioToStreamGraph(scenario: Scenario): StreamGraph {
  const byId = new Map(scenario.job.operators.map((op) => [op.id, op] as const));
  const nodes: StreamNode[] = [];
  const edges: StreamEdge[] = [];
  const placed = new Set<string>();

  // Follows keyBy links back to a real operator, collecting the partitioning on the way.
  const upstream = (id: string): { from: string; partitioner: Partitioner | null } => {
    const op = byId.get(id)!;
    if (op.type !== 'keyBy') return { from: id, partitioner: null };
    return { from: upstream(op.input).from, partitioner: { type: 'hash', key: keySelector(op.key) } };
  };

  const place = (op: OperatorSpec): void => {
    if (placed.has(op.id)) return;
    placed.add(op.id);
    if ('input' in op) place(byId.get(op.input)!);
    if (op.type === 'keyBy') return;
    nodes.push({ id: op.id, name: op.name, parallelism: op.parallelism, factory: factoryOf(op), isSink: op.type === 'sink' });
    if ('input' in op) {
      const { from, partitioner } = upstream(op.input);
      edges.push({ from, to: op.id, partitioner });
    }
  };
  for (const op of scenario.job.operators) place(op);

  return {
    config: {
      jobName: scenario.job.name,
      parallelism: scenario.config.parallelism,
      maxParallelism: scenario.config.maxParallelism,
      autoWatermarkIntervalMs: scenario.config.autoWatermarkIntervalMs,
    },
    nodes,
    edges,
  };
}
