// The JobGraph as the summary draws it: a small text DAG. A pipeline without branches is
// one line (`src [2] --hash--> counts -> out [2]`: a vertex is its chain of operators and
// its parallelism, an arrow is a network connection named by its partitioner); a fan-out,
// a fan-in or an independent pipeline gets lines of its own, so that no two vertices look
// connected when they are not.
import type { RunReport } from '../core/index.ts';

type JobGraphView = RunReport['jobGraph'];

/** One line per maximal straight path of two or more vertices (or a vertex with no connection), then one per connection between paths. */
export function jobGraphLines(graph: JobGraphView): string[] {
  const label = new Map(graph.vertices.map((v) => [v.id, `${v.name} [${v.parallelism}]`] as const));
  const outs = new Map<string, JobGraphView['edges']>(graph.vertices.map((v) => [v.id, []]));
  const ins = new Map<string, number>(graph.vertices.map((v) => [v.id, 0]));
  for (const e of graph.edges) {
    outs.get(e.source)?.push(e);
    ins.set(e.target, (ins.get(e.target) ?? 0) + 1);
  }
  const straight = (e: JobGraphView['edges'][number]): boolean => outs.get(e.source)!.length === 1 && ins.get(e.target) === 1;
  const onPath = new Set<JobGraphView['edges'][number]>();
  const lines: string[] = [];
  for (const v of graph.vertices) {
    // A path starts where the vertex is not the only continuation of a straight edge.
    const reachedStraight = graph.edges.some((e) => e.target === v.id && straight(e));
    if (reachedStraight) continue;
    let text = label.get(v.id)!;
    let at = v.id;
    for (;;) {
      const next = outs.get(at)!;
      if (next.length !== 1 || !straight(next[0]!)) break;
      const e = next[0]!;
      onPath.add(e);
      text += ` --${e.partitioner}--> ${label.get(e.target)!}`;
      at = e.target;
    }
    // A lone vertex with connections is drawn by those connections' lines; listing it alone too would draw it twice.
    if (at !== v.id || (outs.get(v.id)!.length === 0 && ins.get(v.id) === 0)) lines.push(text);
  }
  for (const e of graph.edges) if (!onPath.has(e)) lines.push(`${label.get(e.source)!} --${e.partitioner}--> ${label.get(e.target)!}`);
  return lines;
}
