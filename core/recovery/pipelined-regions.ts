/**
 * Pipelined regions: what Flink restarts when one subtask fails. Subtasks that exchange
 * data through pipelined channels live and die together: a consumer cannot replay what its
 * producer streamed to it, and a producer cannot resend to a consumer that lost its input.
 * So Flink's RestartPipelinedRegionFailoverStrategy (`jobmanager.execution.failover-strategy:
 * region`, the default) restarts the failed subtask's pipelined region, and leaves the
 * rest of the job running. (Regions connected by *blocking* exchanges, as in batch jobs,
 * can restart apart; a streaming job has none.)
 *
 * In a streaming job every channel is pipelined, so a region is a connected component of
 * the execution graph, with subtasks as nodes and channels as edges. A `forward` edge
 * joins subtask i only to subtask i downstream, so `source(2) -forward-> map(2)` has two
 * regions, {source#0, map#0} and {source#1, map#1}, and a failure in one leaves the other
 * alone; one all-to-all edge (`hash`, `rebalance`, `broadcast`) connects every subtask on
 * both sides and the whole job becomes one region, restarted as one, just as failover
 * strategy `full` would.
 */
import { assert } from '../kernel/index.ts';

/** A network channel between two subtasks, by subtask id. */
export interface RegionChannel {
  readonly from: string;
  readonly to: string;
}

/**
 * The pipelined regions of an execution graph: a partition of `subtasks`. Deterministic:
 * regions ordered by their first subtask in `subtasks` order, members in `subtasks` order.
 * @example
 * computePipelinedRegions(['source#0', 'source#1', 'map#0', 'map#1'],
 *   [{ from: 'source#0', to: 'map#0' }, { from: 'source#1', to: 'map#1' }]);
 * // [['source#0', 'map#0'], ['source#1', 'map#1']]
 */
export function computePipelinedRegions(subtasks: readonly string[], channels: readonly RegionChannel[]): string[][] {
  const index = new Map<string, number>();
  for (const subtask of subtasks) {
    assert(!index.has(subtask), () => `subtask '${subtask}' is listed twice`);
    index.set(subtask, index.size);
  }
  // Union-find over subtask indices, with path compression. The output's order comes from
  // the walk over `subtasks` below, never from which index ends up a root.
  const parent = subtasks.map((_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root]! !== root) root = parent[root]!;
    while (parent[i]! !== root) {
      const up = parent[i]!;
      parent[i] = root;
      i = up;
    }
    return root;
  };
  for (const channel of channels) {
    const from = index.get(channel.from);
    const to = index.get(channel.to);
    assert(from !== undefined && to !== undefined, () => `channel ${channel.from} -> ${channel.to} names a subtask that is not in the graph`);
    const a = find(from);
    const b = find(to);
    if (a !== b) parent[b] = a;
  }
  const regionOfRoot = new Map<number, string[]>();
  const regions: string[][] = [];
  subtasks.forEach((subtask, i) => {
    const root = find(i);
    let region = regionOfRoot.get(root);
    if (region === undefined) {
      region = [];
      regionOfRoot.set(root, region);
      regions.push(region);
    }
    region.push(subtask);
  });
  return regions;
}

/**
 * The region holding `subtask`: what region failover restarts when it fails.
 * @example regionOf(regions, 'map#1') // ['source#1', 'map#1']
 */
export function regionOf(regions: readonly (readonly string[])[], subtask: string): readonly string[] {
  const region = regions.find((members) => members.includes(subtask));
  assert(region !== undefined, () => `subtask '${subtask}' is in no pipelined region`);
  return region;
}
