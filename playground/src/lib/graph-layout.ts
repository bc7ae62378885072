/**
 * Where the job graph view draws things: every subtask as a box inside the box of its
 * JobVertex (an operator chain), and every channel between two subtasks as a path, laid
 * out left to right by dagre. The layout depends on the JobGraph only, so it stays put
 * while the run plays, fails and restarts; what moves is drawn over it (graph-scene.ts).
 */
import dagre from '@dagrejs/dagre';
import { targetIndexes, type RunReport } from '../../../core/index.ts';

type JobGraphReport = RunReport['jobGraph'];

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface SubtaskBox {
  /** The subtask's id as the engine names it: `vertex#index`. */
  readonly id: string;
  readonly vertex: string;
  readonly index: number;
  /** Centre and size. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface VertexBox {
  readonly id: string;
  readonly name: string;
  /** The name as drawn: cut with an ellipsis when the box is too narrow for it. */
  readonly label: string;
  readonly parallelism: number;
  readonly operators: readonly string[];
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ChannelPath {
  /** Unique per channel: the edge and the pair of subtasks. */
  readonly key: string;
  /** `from->to`. */
  readonly pair: string;
  readonly from: string;
  readonly to: string;
  readonly partitioner: string;
  readonly points: readonly Point[];
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly vertices: readonly VertexBox[];
  readonly subtasks: readonly SubtaskBox[];
  readonly channels: readonly ChannelPath[];
}

/** Room for three lines of text read from the back of a room (14, 13 and 12 px). */
export const SUBTASK_WIDTH = 184;
export const SUBTASK_HEIGHT = 64;
/** Room in a vertex's box above its subtasks for its name, and around them. */
const VERTEX_LABEL_HEIGHT = 28;
const VERTEX_PADDING = 10;
const MARGIN = 12;

/** Lays out the job graph's subtasks and channels. */
export function layoutJobGraph(jobGraph: JobGraphReport): GraphLayout {
  const g = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  // nodesep leaves room between two vertices of one rank for the boxes drawn around them.
  g.setGraph({ rankdir: 'LR', nodesep: VERTEX_LABEL_HEIGHT + 2 * VERTEX_PADDING, ranksep: 90 });
  g.setDefaultEdgeLabel(() => ({}));
  const vertexName = (id: string) => `vertex:${id}`;
  for (const v of jobGraph.vertices) {
    // Room at the top of the cluster for the vertex's name.
    g.setNode(vertexName(v.id), { label: v.name });
    for (let i = 0; i < v.parallelism; i++) {
      const id = `${v.id}#${i}`;
      g.setNode(id, { width: SUBTASK_WIDTH, height: SUBTASK_HEIGHT });
      g.setParent(id, vertexName(v.id));
    }
  }
  const parallelism = new Map(jobGraph.vertices.map((v) => [v.id, v.parallelism]));
  const channels: { key: string; pair: string; from: string; to: string; partitioner: string; name: string }[] = [];
  jobGraph.edges.forEach((edge, e) => {
    const p = parallelism.get(edge.source) ?? 0;
    const n = parallelism.get(edge.target) ?? 0;
    for (let i = 0; i < p; i++) {
      for (const j of targetIndexes(edge.partitioner, i, p, n)) {
        const from = `${edge.source}#${i}`;
        const to = `${edge.target}#${j}`;
        const name = `e${e}`;
        g.setEdge(from, to, {}, name);
        channels.push({ key: `${name}:${from}->${to}`, pair: `${from}->${to}`, from, to, partitioner: edge.partitioner, name });
      }
    }
  });
  dagre.layout(g);
  // dagre orders the subtasks of a vertex to cross fewer edges; a class reads them in index
  // order, so the places dagre found are handed out top to bottom by index.
  const placed = jobGraph.vertices.flatMap((v) => {
    const places = Array.from({ length: v.parallelism }, (_, index) => g.node(`${v.id}#${index}`)).sort((a, b) => a.y - b.y || a.x - b.x);
    return places.map((n, index) => ({ id: `${v.id}#${index}`, vertex: v.id, index, x: n.x, y: n.y, width: n.width, height: n.height }));
  });
  // A vertex's box is drawn around its subtasks, with its name above them; then everything
  // is moved so that the drawing starts at the margin.
  const around = jobGraph.vertices.map((v) => {
    const own = placed.filter((s) => s.vertex === v.id);
    const left = Math.min(...own.map((s) => s.x - s.width / 2)) - VERTEX_PADDING;
    const subtasksRight = Math.max(...own.map((s) => s.x + s.width / 2)) + VERTEX_PADDING;
    // A long chain name widens the box into the gap before the next rank, up to a point.
    const named = left + (v.name.length + 4) * CHAR_WIDTH + 2 * VERTEX_PADDING;
    const right = Math.max(subtasksRight, Math.min(named, subtasksRight + 60));
    const top = Math.min(...own.map((s) => s.y - s.height / 2)) - VERTEX_PADDING - VERTEX_LABEL_HEIGHT;
    const bottom = Math.max(...own.map((s) => s.y + s.height / 2)) + VERTEX_PADDING;
    return { v, left, right, top, bottom };
  });
  const dx = MARGIN - Math.min(...around.map((a) => a.left));
  const dy = MARGIN - Math.min(...around.map((a) => a.top));
  const vertices: VertexBox[] = around.map(({ v, left, right, top, bottom }) => ({
    id: v.id,
    name: v.name,
    label: fitted(`${v.name} ×${v.parallelism}`, right - left - 2 * VERTEX_PADDING),
    parallelism: v.parallelism,
    operators: v.operators,
    x: (left + right) / 2 + dx,
    y: (top + bottom) / 2 + dy,
    width: right - left,
    height: bottom - top,
  }));
  const subtasks: SubtaskBox[] = placed.map((s) => ({ ...s, x: s.x + dx, y: s.y + dy }));
  const boxOf = new Map(subtasks.map((b) => [b.id, b]));
  // Channels leave a producer and enter a consumer at points spread along its side, in the
  // order of the other end's height, so that tokens on two channels do not sit on each other.
  const outOffset = spreadOffsets(channels, (c) => c.from, (c) => boxOf.get(c.to)!.y);
  const inOffset = spreadOffsets(channels, (c) => c.to, (c) => boxOf.get(c.from)!.y);
  const paths: ChannelPath[] = channels.map((c, i) => ({
    key: c.key,
    pair: c.pair,
    from: c.from,
    to: c.to,
    partitioner: c.partitioner,
    points: curve(boxOf.get(c.from)!, outOffset[i]!, boxOf.get(c.to)!, inOffset[i]!),
  }));
  const width = Math.max(0, ...vertices.map((v) => v.x + v.width / 2)) + MARGIN;
  const height = Math.max(0, ...vertices.map((v) => v.y + v.height / 2)) + MARGIN;
  return { width, height, vertices, subtasks, channels: paths };
}

/** Average width of a character of a vertex's name (13px, semibold), for cutting it to fit. */
const CHAR_WIDTH = 7.4;

function fitted(text: string, width: number): string {
  const fits = Math.floor(width / CHAR_WIDTH);
  return text.length <= fits ? text : `${text.slice(0, Math.max(1, fits - 1))}…`;
}

/** A channel's path: a smooth curve from the producer's right side to the consumer's left side, as a polyline. */
function curve(from: SubtaskBox, fromDy: number, to: SubtaskBox, toDy: number): Point[] {
  const a = { x: from.x + from.width / 2, y: from.y + fromDy };
  const d = { x: to.x - to.width / 2, y: to.y + toDy };
  const bend = Math.max((d.x - a.x) / 2, 30);
  const b = { x: a.x + bend, y: a.y };
  const c = { x: d.x - bend, y: d.y };
  const points: Point[] = [];
  const n = 16;
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    const u = 1 - t;
    points.push({
      x: u * u * u * a.x + 3 * u * u * t * b.x + 3 * u * t * t * c.x + t * t * t * d.x,
      y: u * u * u * a.y + 3 * u * u * t * b.y + 3 * u * t * t * c.y + t * t * t * d.y,
    });
  }
  return points;
}

/** For each channel, a vertical offset on the side of its `end` subtask: spread over most of the box's height. */
function spreadOffsets<C>(channels: readonly C[], end: (c: C) => string, otherY: (c: C) => number): number[] {
  const offsets = new Array<number>(channels.length).fill(0);
  const groups = new Map<string, number[]>();
  channels.forEach((c, i) => {
    const list = groups.get(end(c));
    if (list === undefined) groups.set(end(c), [i]);
    else list.push(i);
  });
  const span = SUBTASK_HEIGHT * 0.6;
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => otherY(channels[a]!) - otherY(channels[b]!) || a - b);
    list.forEach((ci, k) => (offsets[ci] = -span / 2 + (span * k) / (list.length - 1)));
  }
  return offsets;
}

/** The point at `fraction` (0..1) of the way along a polyline. */
export function pointAlong(points: readonly Point[], fraction: number): Point {
  if (points.length === 0) return { x: 0, y: 0 };
  if (points.length === 1) return points[0]!;
  const lengths: number[] = [];
  let total = 0;
  for (let i = 1; i < points.length; i++) {
    const d = Math.hypot(points[i]!.x - points[i - 1]!.x, points[i]!.y - points[i - 1]!.y);
    lengths.push(d);
    total += d;
  }
  let left = Math.min(Math.max(fraction, 0), 1) * total;
  for (let i = 0; i < lengths.length; i++) {
    const d = lengths[i]!;
    if (left <= d || i === lengths.length - 1) {
      const a = points[i]!;
      const b = points[i + 1]!;
      const f = d === 0 ? 0 : Math.min(left / d, 1);
      return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f };
    }
    left -= d;
  }
  return points[points.length - 1]!;
}

/** An SVG path through the points. */
export function pathOf(points: readonly Point[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}
