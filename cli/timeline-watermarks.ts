// Watermark progress for the timeline: the moment an operator's event-time clock passes a
// window's end is the moment the window fires, so a reader must see it; but a watermark
// moves every auto-watermark interval in every subtask, which would drown the other lines.
// So: only subtasks downstream of a source (a source's watermark reaches them a moment
// later, and theirs is the one that fires windows and timers), one line per virtual
// millisecond for all of them, and in a long run at most one line per subtask per coarser
// step, plus each subtask's last watermark and every advance that fired a window or an
// event-time timer in its subtask (the line a reader looks for above a result).
import { formatWatermark, type TraceEvent } from '../core/index.ts';

/** Watermark lines kept before they are thinned to one per subtask per 10, 100, 1000 ... ms. */
export const WATERMARK_LINES = 100;

/** Where the timeline's watermark lines go and what was left out. */
export interface WatermarkPlan {
  /** The line to print in place of the trace event at this index (the first advance of its millisecond). */
  readonly lines: ReadonlyMap<number, string>;
  /** Advances of non-source subtasks in the trace, and how many no line shows. */
  readonly advances: number;
  readonly hidden: number;
  /** 1: every millisecond a watermark moved has its line; else the step lines were thinned to. */
  readonly everyMs: number;
}

interface Advance {
  readonly index: number;
  readonly timeMs: number;
  readonly task: string;
  readonly watermark: number;
}

/** The vertex a subtask id (`counts#3`) belongs to. */
export function vertexOf(task: string): string {
  const hash = task.lastIndexOf('#');
  return hash < 0 ? task : task.slice(0, hash);
}

/**
 * Plans the watermark lines of a trace: `sources` are the vertices with no input, whose
 * own watermark is left out. Deterministic: it depends on the events alone.
 */
export function planWatermarks(events: readonly TraceEvent[], sources: ReadonlySet<string>, budget = WATERMARK_LINES): WatermarkPlan {
  const advances: Advance[] = [];
  events.forEach((e, index) => {
    if (e.tag === 'watermark.advanced' && !sources.has(vertexOf(e.task))) advances.push({ index, timeMs: e.timeMs, task: e.task, watermark: e.watermark });
  });
  const firing = firingMoments(events);
  let everyMs = 1;
  let kept = keep(advances, firing, everyMs);
  // Ten times coarser until the lines fit; past the run's length each subtask keeps its first and last.
  const spanMs = advances.length === 0 ? 0 : advances[advances.length - 1]!.timeMs;
  while (kept.lines > budget && everyMs <= spanMs) kept = keep(advances, firing, (everyMs *= 10));
  const lines = new Map<number, string>();
  for (const moment of kept.moments) lines.set(moment.index, `${at(moment.timeMs)}  watermark reaches ${reached(moment.tasks)}`);
  const shown = kept.moments.reduce((n, m) => n + m.advances, 0);
  return { lines, advances: advances.length, hidden: advances.length - shown, everyMs };
}

interface Moment {
  /** The first advance of this millisecond that a line shows: where the line goes. */
  readonly index: number;
  readonly timeMs: number;
  /** Each subtask shown, with its last watermark of this millisecond, in the order they first moved. */
  readonly tasks: Map<string, number>;
  /** Advances this line stands for. */
  advances: number;
}

/**
 * The subtasks and milliseconds (`task@ms`) at which a watermark advance fired something in
 * that subtask: a window, or an event-time timer, before its next advance. Those events are
 * in the trace at level full only; at level summary every advance is as good as another.
 */
function firingMoments(events: readonly TraceEvent[]): Set<string> {
  const lastAdvanceMs = new Map<string, number>();
  const out = new Set<string>();
  for (const e of events) {
    if (e.tag === 'watermark.advanced') lastAdvanceMs.set(e.task, e.timeMs);
    else if ((e.tag === 'window.fired' || (e.tag === 'timer.fired' && e.domain === 'event-time')) && lastAdvanceMs.get(e.task) === e.timeMs) out.add(`${e.task}@${e.timeMs}`);
  }
  return out;
}

/** The lines when each subtask shows at most one moment per `everyMs` step, its firing ones and its last one always. */
function keep(advances: readonly Advance[], firing: ReadonlySet<string>, everyMs: number): { moments: Moment[]; lines: number } {
  const last = new Map<string, number>();
  for (const a of advances) last.set(a.task, a.timeMs);
  const stepShown = new Map<string, number>();
  const moments: Moment[] = [];
  let moment: Moment | null = null;
  for (const a of advances) {
    const step = Math.floor(a.timeMs / everyMs);
    const shownAt = stepShown.get(a.task);
    // A subtask that moves twice in one millisecond is one line: the later value, at the first place.
    const sameMoment = moment !== null && moment.timeMs === a.timeMs && moment.tasks.has(a.task);
    const always = last.get(a.task) === a.timeMs || firing.has(`${a.task}@${a.timeMs}`);
    if (!sameMoment && shownAt === step && !always) continue;
    if (moment === null || moment.timeMs !== a.timeMs) moments.push((moment = { index: a.index, timeMs: a.timeMs, tasks: new Map(), advances: 0 }));
    moment.tasks.set(a.task, a.watermark);
    moment.advances++;
    stepShown.set(a.task, step);
  }
  return { moments, lines: moments.length };
}

function at(timeMs: number): string {
  return `t=${timeMs}`.padStart(9);
}

/** `1099 at counts#0-3, other#0; 2099 at sums#1`: subtasks grouped by the watermark they reached, a vertex's indexes as ranges. */
function reached(tasks: ReadonlyMap<string, number>): string {
  const byWatermark = new Map<number, string[]>();
  for (const [task, watermark] of tasks) {
    const list = byWatermark.get(watermark);
    if (list === undefined) byWatermark.set(watermark, [task]);
    else list.push(task);
  }
  return [...byWatermark.entries()].map(([watermark, list]) => `${formatWatermark(watermark)} at ${subtaskRanges(list)}`).join('; ');
}

/** `counts#0-3, other#0`: consecutive subtask indexes of one vertex as a range. */
export function subtaskRanges(tasks: readonly string[]): string {
  const byVertex = new Map<string, number[]>();
  for (const task of tasks) {
    const vertex = vertexOf(task);
    const index = Number(task.slice(vertex.length + 1));
    if (vertex === task || !Number.isSafeInteger(index)) {
      byVertex.set(task, []);
      continue;
    }
    const list = byVertex.get(vertex);
    if (list === undefined) byVertex.set(vertex, [index]);
    else list.push(index);
  }
  const out: string[] = [];
  for (const [vertex, indexes] of byVertex) {
    if (indexes.length === 0) {
      out.push(vertex);
      continue;
    }
    const sorted = [...indexes].sort((a, b) => a - b);
    const runs: string[] = [];
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
      runs.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
      i = j + 1;
    }
    out.push(`${vertex}#${runs.join(',')}`);
  }
  return out.join(', ');
}
