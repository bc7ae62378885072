// Backpressure for the timeline, from `task.backpressure` events. A back-pressured task
// flips back and forth many times within one wait: a credit comes back, the task sends one
// buffer and is blocked again in the same millisecond. A reader sees one wait, so flips that
// resume and block again within one virtual millisecond are one episode: a line where it
// starts, naming the consumer the task waits for, and one where it ends, with how long it
// lasted. When the episodes are too many to show, each subtask keeps its first one, and the
// rest are one line per subtask, where its last one ended: how many, and their time in all.
import type { TraceEvent } from '../core/index.ts';

/** Episode lines kept (two per episode) before each subtask's later episodes are folded. */
export const BACKPRESSURE_LINES = 40;

/** Where the timeline's backpressure lines go. */
export interface BackPressurePlan {
  /** The line to print in place of the trace event at this index. */
  readonly lines: ReadonlyMap<number, string>;
  readonly episodes: number;
  /** Whether each subtask's episodes after its first were folded into one line. */
  readonly folded: boolean;
}

interface Episode {
  readonly task: string;
  readonly startIndex: number;
  readonly startMs: number;
  readonly downstream: string | undefined;
  /** The index and time of the event that ended it; null: still back-pressured when the trace ends. */
  endIndex: number | null;
  endMs: number | null;
}

/** Plans the backpressure lines of a trace. Deterministic: it depends on the events alone. */
export function planBackPressure(events: readonly TraceEvent[], budget = BACKPRESSURE_LINES): BackPressurePlan {
  const episodes: Episode[] = [];
  // Per subtask attempt: its episode going on, or the one that ended, to resume in the same ms.
  const current = new Map<string, Episode>();
  events.forEach((e, index) => {
    if (e.tag !== 'task.backpressure') return;
    const id = `${e.task}/${e.attempt}`;
    const episode = current.get(id);
    if (e.backPressured) {
      if (episode !== undefined && episode.endMs === e.timeMs) {
        episode.endIndex = null;
        episode.endMs = null;
        return;
      }
      const started: Episode = { task: e.task, startIndex: index, startMs: e.timeMs, downstream: e.downstream, endIndex: null, endMs: null };
      episodes.push(started);
      current.set(id, started);
    } else if (episode !== undefined && episode.endIndex === null) {
      episode.endIndex = index;
      episode.endMs = e.timeMs;
    }
  });
  const lines = new Map<number, string>();
  const folded = episodes.length * 2 > budget;
  const later = new Map<string, Episode[]>();
  for (const episode of episodes) {
    const seen = later.get(episode.task);
    if (folded && seen !== undefined) {
      seen.push(episode);
      continue;
    }
    if (seen === undefined) later.set(episode.task, []);
    lines.set(episode.startIndex, `${at(episode.startMs)}  ${episode.task} back-pressured${episode.downstream === undefined ? '' : ` (waiting for credit from ${episode.downstream})`}`);
    if (episode.endIndex !== null) lines.set(episode.endIndex, `${at(episode.endMs!)}  ${episode.task} no longer back-pressured (for ${episode.endMs! - episode.startMs} ms)`);
  }
  for (const [task, rest] of later) {
    if (rest.length === 0) continue;
    const last = rest[rest.length - 1]!;
    const ended = rest.filter((r) => r.endMs !== null);
    const totalMs = ended.reduce((n, r) => n + r.endMs! - r.startMs, 0);
    const from = `${task} back-pressured ${rest.length} more time(s) from t=${rest[0]!.startMs}`;
    if (last.endIndex === null) lines.set(last.startIndex, `${at(last.startMs)}  ${from}, the last still going on at the end (${totalMs} ms before it)`);
    else lines.set(last.endIndex, `${at(last.endMs!)}  ${from} to t=${last.endMs}, ${totalMs} ms in all`);
  }
  return { lines, episodes: episodes.length, folded };
}

function at(timeMs: number): string {
  return `t=${timeMs}`.padStart(9);
}
