/**
 * A window operator's windows at one moment of a finished run, as a pure function of the
 * trace up to the cursor: per operator and subtask, the (key, window) pairs that exist there
 * (Flink keeps a window in the key's state from its first element until its cleanup time,
 * end - 1 plus the allowed lateness), how often each fired, and the windows that are gone.
 *
 * The trace tells a window's life at level full: `window.created` (its first element, or the
 * first after a purging trigger emptied it), `window.merged` (session windows: an element
 * within the gap of one or more sessions of its key made them one window under wider
 * bounds), `window.fired` (on time, early by a trigger, or again for a late element within
 * the allowed lateness) and `window.purged` (`cleanup`: gone for good; otherwise emptied by
 * a purging trigger, but still there). Two things the trace does not say outright are
 * worked out here:
 *
 * - A failed or cancelled attempt takes its windows with it; a restored one gets those of
 *   the checkpoint it restores (what the subtask held when it took that checkpoint's
 *   snapshot), without `window.created` events, so they are remembered at each snapshot.
 * - Whether a window that fired is kept for its allowed lateness, or fired early and still
 *   waits for its end, depends on the subtask's watermark against the window's end.
 *
 * The elements themselves are keyed state: the subtask's state view (SubtaskPanel) shows them.
 */
import { isGlobalWindow, type JsonValue, type TraceEvent } from '../../../core/index.ts';
import { formatCount } from './format.ts';

/**
 * Where an existing window stands:
 * - `waiting`: it has elements and has not fired yet (for an event-time window: the watermark is before its end);
 * - `fired-early`: it fired (a trigger's early firing) and still waits for its end;
 * - `lateness`: it fired at its end and is kept until its cleanup time for late elements (allowed lateness);
 * - `purged`: a purging trigger emptied it; it exists, without elements, until its cleanup time.
 */
export type WindowStatus = 'waiting' | 'fired-early' | 'lateness' | 'purged';

export interface WindowRow {
  readonly task: string;
  readonly key: JsonValue;
  /** The key as compact JSON, as the subtask's state view shows it. */
  readonly keyText: string;
  readonly start: number;
  readonly end: number;
  /** Flink's GlobalWindow (GlobalWindows assigner): no end, fired only by its trigger. */
  readonly global: boolean;
  /** When its first element came; null when the trace did not say (restored from a checkpoint after a rescale). */
  readonly createdMs: number | null;
  readonly firings: number;
  readonly lastFiredMs: number | null;
  /** Its latest merge (session windows), or null when no merge made it. */
  readonly merge: WindowMerge | null;
}

/** A merge as `window.merged` tells it: the windows that existed before, and an element that joined them. */
export interface WindowMerge {
  readonly timeMs: number;
  /** The windows it took the place of, in start order (the new element's own window never had contents, so is not one of them). */
  readonly from: readonly { readonly start: number; readonly end: number }[];
  /** How many merges made it, this one included (a session can grow several times). */
  readonly count: number;
}

export interface OpenWindow extends WindowRow {
  readonly status: WindowStatus;
}

export interface ClosedWindow extends WindowRow {
  /** When it was cleaned up (`window.purged` with cleanup). */
  readonly closedMs: number;
}

export interface SubtaskWindows {
  readonly task: string;
  /** The subtask's execution attempt at the moment. */
  readonly attempt: number;
  /** The window operator's watermark in this subtask, or null before its first. */
  readonly watermark: number | null;
  readonly open: readonly OpenWindow[];
}

export interface LateRecords {
  /** Dropped (no late side output), as Flink's numLateRecordsDropped counts them. */
  readonly dropped: number;
  /** Sent to a late side output, per tag. */
  readonly sideOutput: readonly (readonly [string, number])[];
  /** The latest one, for the sentence under the table. */
  readonly last: { readonly timeMs: number; readonly task: string; readonly timestamp: number | null; readonly watermark: number; readonly sideOutput: string | null } | null;
}

export interface OperatorWindows {
  readonly operator: string;
  /** See WindowOperator.merges. */
  readonly merges: boolean;
  /** Every subtask the run's trace has windows of, by subtask index. */
  readonly subtasks: readonly SubtaskWindows[];
  /** The open windows of every subtask, by subtask, up to OPEN_SHOWN of them (the table's rows). */
  readonly shown: readonly OpenWindow[];
  readonly openCount: number;
  /** Windows cleaned up so far (a window purged for good, at its cleanup time). */
  readonly closedCount: number;
  /** The last few closed, newest first. */
  readonly recentlyClosed: readonly ClosedWindow[];
  /** Windows that were there when their subtask failed or was cancelled (gone with the attempt). */
  readonly lostInFailures: number;
  readonly late: LateRecords;
}

export interface WindowsView {
  /** How many trace events the view has folded (the transport's cursor). */
  readonly events: number;
  /** Window operators of the whole run, in the order the trace first names them. */
  readonly operators: readonly OperatorWindows[];
  /** All operators together, for the panel's one-line gist. */
  readonly openCount: number;
  readonly closedCount: number;
  readonly lateCount: number;
}

/** How many closed windows each operator lists. */
export const RECENTLY_CLOSED = 5;
/** How many open windows each operator's table shows: a page, not a state dump (the subtask's state has them all). */
export const OPEN_SHOWN = 100;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Row = Mutable<WindowRow> & { empty: boolean };

interface SubtaskState {
  attempt: number;
  watermark: number | null;
  /** Open windows by `windowId`. */
  open: Map<string, Row>;
}

interface OperatorState {
  readonly merges: boolean;
  readonly subtasks: Map<string, SubtaskState>;
  closedCount: number;
  closed: ClosedWindow[];
  lostInFailures: number;
  dropped: number;
  sideOutput: Map<string, number>;
  lastLate: LateRecords['last'];
}

const windowId = (keyText: string, start: number, end: number): string => `${keyText}\u0000${start}\u0000${end}`;

const keyTextOf = (key: JsonValue): string => JSON.stringify(key) ?? String(key);

/** Subtask index of a task id `vertex#i`, for ordering. */
const subtaskIndex = (task: string): number => Number(task.slice(task.lastIndexOf('#') + 1)) || 0;

const copyRows = (open: ReadonlyMap<string, Row>): Map<string, Row> => new Map([...open].map(([id, row]) => [id, { ...row }]));

export interface WindowOperator {
  readonly operator: string;
  readonly tasks: readonly string[];
  /** Whether some window of the run merged (session windows). */
  readonly merges: boolean;
}

/**
 * The window operators of a run and their subtasks, from its whole trace (so a view lists
 * them before their first window too). Empty when the run has none, or its trace is not at
 * level full.
 * @example windowOperatorsOf(events) // [{ operator: 'perSecond', tasks: ['perSecond#0'], merges: false }]
 */
export function windowOperatorsOf(events: readonly TraceEvent[]): WindowOperator[] {
  const found = new Map<string, { tasks: Set<string>; merges: boolean }>();
  for (const e of events) {
    if (e.tag !== 'window.created' && e.tag !== 'window.merged' && e.tag !== 'window.fired' && e.tag !== 'window.purged') continue;
    let op = found.get(e.operator);
    if (op === undefined) found.set(e.operator, (op = { tasks: new Set(), merges: false }));
    op.tasks.add(e.task);
    if (e.tag === 'window.merged') op.merges = true;
  }
  return [...found].map(([operator, op]) => ({
    operator,
    tasks: [...op.tasks].sort((a, b) => subtaskIndex(a) - subtaskIndex(b) || (a < b ? -1 : a > b ? 1 : 0)),
    merges: op.merges,
  }));
}

/**
 * Folds trace events one by one into the windows they leave; `view()` reads them out. Moving
 * forward applies only the new events (see WindowsCursor).
 */
export class WindowsFold {
  readonly #operators = new Map<string, OperatorState>();
  /** Which window operator runs in which subtask (a task may chain several operators). */
  readonly #operatorsOfTask = new Map<string, string[]>();
  /** Per checkpoint, per subtask and operator: the open windows when the subtask took its snapshot. */
  readonly #snapshots = new Map<number, Map<string, Map<string, Row>>>();
  /** Events applied so far. */
  count = 0;

  constructor(operators: readonly WindowOperator[]) {
    for (const { operator, tasks, merges } of operators) {
      this.#operators.set(operator, {
        merges,
        subtasks: new Map(tasks.map((task) => [task, { attempt: 1, watermark: null, open: new Map() }])),
        closedCount: 0,
        closed: [],
        lostInFailures: 0,
        dropped: 0,
        sideOutput: new Map(),
        lastLate: null,
      });
      for (const task of tasks) this.#operatorsOfTask.set(task, [...(this.#operatorsOfTask.get(task) ?? []), operator]);
    }
  }

  apply(e: TraceEvent): void {
    this.count++;
    switch (e.tag) {
      case 'window.created':
        this.#created(e);
        break;
      case 'window.merged':
        this.#merged(e);
        break;
      case 'window.fired':
        this.#fired(e);
        break;
      case 'window.purged':
        this.#purged(e);
        break;
      case 'watermark.advanced': {
        const s = this.#operators.get(e.operator)?.subtasks.get(e.task);
        if (s !== undefined && e.attempt === s.attempt && (s.watermark === null || e.watermark > s.watermark)) s.watermark = e.watermark;
        break;
      }
      case 'record.late': {
        const op = this.#operators.get(e.operator);
        if (op === undefined) break;
        if (e.sideOutput === null) op.dropped++;
        else op.sideOutput.set(e.sideOutput, (op.sideOutput.get(e.sideOutput) ?? 0) + 1);
        op.lastLate = { timeMs: e.timeMs, task: e.task, timestamp: e.timestamp, watermark: e.watermark, sideOutput: e.sideOutput };
        break;
      }
      case 'task.status':
        this.#taskStatus(e.task, e.attempt, e.status);
        break;
      case 'snapshot.taken':
        this.#snapshot(e.task, e.checkpoint);
        break;
      case 'job.restored':
        for (const task of e.tasks) this.#restore(task, e.checkpoint);
        break;
    }
  }

  view(): WindowsView {
    const operators = [...this.#operators].map(([operator, op]): OperatorWindows => {
        const subtasks = [...op.subtasks].map(([task, s]) => ({
          task,
          attempt: s.attempt,
          watermark: s.watermark,
          open: [...s.open.values()].map((row) => openWindowOf(row, s.watermark)).sort(byWindowThenKey),
        }));
        return {
          operator,
          merges: op.merges,
          subtasks,
          shown: subtasks.flatMap((s) => s.open).slice(0, OPEN_SHOWN),
          openCount: subtasks.reduce((n, s) => n + s.open.length, 0),
          closedCount: op.closedCount,
          recentlyClosed: op.closed.slice(-RECENTLY_CLOSED).reverse(),
          lostInFailures: op.lostInFailures,
          late: { dropped: op.dropped, sideOutput: [...op.sideOutput].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), last: op.lastLate },
        };
      });
    return {
      events: this.count,
      operators,
      openCount: operators.reduce((n, op) => n + op.openCount, 0),
      closedCount: operators.reduce((n, op) => n + op.closedCount, 0),
      lateCount: operators.reduce((n, op) => n + lateCountOf(op.late), 0),
    };
  }

  #subtask(e: { readonly operator: string; readonly task: string }): { op: OperatorState; s: SubtaskState } | null {
    const op = this.#operators.get(e.operator);
    const s = op?.subtasks.get(e.task);
    return op === undefined || s === undefined ? null : { op, s };
  }

  #created(e: Extract<TraceEvent, { tag: 'window.created' }>): void {
    const at = this.#subtask(e);
    if (at === null) return;
    const keyText = keyTextOf(e.key);
    const id = windowId(keyText, e.start, e.end);
    const row = at.s.open.get(id);
    // Again after a purging trigger emptied it: the same window, filling up anew.
    if (row !== undefined) row.empty = false;
    else at.s.open.set(id, newRow(e, keyText, e.timeMs));
  }

  #fired(e: Extract<TraceEvent, { tag: 'window.fired' }>): void {
    const at = this.#subtask(e);
    if (at === null) return;
    const row = this.#rowOf(at.s, e);
    row.firings++;
    row.lastFiredMs = e.timeMs;
  }

  #purged(e: Extract<TraceEvent, { tag: 'window.purged' }>): void {
    const at = this.#subtask(e);
    if (at === null) return;
    const row = this.#rowOf(at.s, e);
    if (!e.cleanup) {
      row.empty = true;
      return;
    }
    at.s.open.delete(windowId(row.keyText, row.start, row.end));
    const { empty: _empty, ...closed } = row;
    at.op.closedCount++;
    at.op.closed.push({ ...closed, closedMs: e.timeMs });
    // Only the last few are shown; keep the list from growing with the run.
    if (at.op.closed.length > 4 * RECENTLY_CLOSED) at.op.closed.splice(0, at.op.closed.length - RECENTLY_CLOSED);
  }

  /**
   * The merged windows leave the list and the result takes their place: it got its first
   * element when the earliest of them did, and fired as often as they did together.
   */
  #merged(e: Extract<TraceEvent, { tag: 'window.merged' }>): void {
    const at = this.#subtask(e);
    if (at === null) return;
    const keyText = keyTextOf(e.key);
    const gone: Row[] = [];
    for (const w of e.merged) {
      const id = windowId(keyText, w.start, w.end);
      const row = at.s.open.get(id);
      if (row === undefined) continue;
      at.s.open.delete(id);
      gone.push(row);
    }
    const row = newRow(e, keyText, null);
    if (gone.length > 0 && gone.length === e.merged.length) {
      // A creation time only when every merged window has one: otherwise the first element's time is not known.
      const created = gone.map((w) => w.createdMs);
      row.createdMs = created.includes(null) ? null : Math.min(...(created as number[]));
    }
    row.firings = gone.reduce((n, w) => n + w.firings, 0);
    const fired = gone.flatMap((w) => (w.lastFiredMs === null ? [] : [w.lastFiredMs]));
    row.lastFiredMs = fired.length === 0 ? null : Math.max(...fired);
    row.merge = { timeMs: e.timeMs, from: e.merged.map(({ start, end }) => ({ start, end })), count: 1 + gone.reduce((n, w) => n + (w.merge?.count ?? 0), 0) };
    at.s.open.set(windowId(keyText, e.start, e.end), row);
  }

  /** The row of the window an event names; one not open (restored after a rescale, say) starts here, with no creation time. */
  #rowOf(s: SubtaskState, e: { readonly task: string; readonly key: JsonValue; readonly start: number; readonly end: number }): Row {
    const keyText = keyTextOf(e.key);
    const id = windowId(keyText, e.start, e.end);
    const known = s.open.get(id);
    if (known !== undefined) return known;
    const row = newRow(e, keyText, null);
    s.open.set(id, row);
    return row;
  }

  #taskStatus(task: string, attempt: number, status: string): void {
    for (const operator of this.#operatorsOfTask.get(task) ?? []) {
      const op = this.#operators.get(operator)!;
      const s = op.subtasks.get(task)!;
      if (attempt !== s.attempt) {
        // A new attempt starts with no watermark of its own; its windows come with job.restored.
        s.attempt = attempt;
        s.watermark = null;
      }
      if ((status === 'FAILED' || status === 'CANCELED') && s.open.size > 0) {
        op.lostInFailures += s.open.size;
        s.open = new Map();
      }
    }
  }

  #snapshot(task: string, checkpoint: number): void {
    for (const operator of this.#operatorsOfTask.get(task) ?? []) {
      const open = this.#operators.get(operator)!.subtasks.get(task)!.open;
      let byTask = this.#snapshots.get(checkpoint);
      if (byTask === undefined) this.#snapshots.set(checkpoint, (byTask = new Map()));
      byTask.set(`${task}\u0000${operator}`, copyRows(open));
    }
  }

  #restore(task: string, checkpoint: number | null): void {
    for (const operator of this.#operatorsOfTask.get(task) ?? []) {
      const s = this.#operators.get(operator)!.subtasks.get(task)!;
      const saved = checkpoint === null ? undefined : this.#snapshots.get(checkpoint)?.get(`${task}\u0000${operator}`);
      s.open = saved === undefined ? new Map() : copyRows(saved);
    }
  }
}

function newRow(e: { readonly task: string; readonly key: JsonValue; readonly start: number; readonly end: number }, keyText: string, createdMs: number | null): Row {
  return {
    task: e.task,
    key: e.key,
    keyText,
    start: e.start,
    end: e.end,
    global: isGlobalWindow(e),
    createdMs,
    firings: 0,
    lastFiredMs: null,
    merge: null,
    empty: false,
  };
}

function openWindowOf(row: Row, watermark: number | null): OpenWindow {
  const { empty, ...rest } = row;
  const status: WindowStatus = empty
    ? 'purged'
    : row.firings === 0
      ? 'waiting'
      : !row.global && watermark !== null && watermark >= row.end - 1
        ? 'lateness'
        : 'fired-early';
  return { ...rest, status };
}

/** Late records of an operator, dropped and side output together. */
export function lateCountOf(late: LateRecords): number {
  return late.sideOutput.reduce((n, [, c]) => n + c, late.dropped);
}

function byWindowThenKey(a: OpenWindow, b: OpenWindow): number {
  return a.start - b.start || a.end - b.end || (a.keyText < b.keyText ? -1 : a.keyText > b.keyText ? 1 : 0);
}

/**
 * The windows after the first `count` trace events (the transport's cursor, `moment.events`).
 * @example
 * windowsAt(events, eventsUpTo(events, 401)).operators[0].subtasks[0].open
 * // [{ keyText: '"a"', start: 0, end: 1000, firings: 2, status: 'lateness', ... }, ...]
 */
export function windowsAt(events: readonly TraceEvent[], count: number): WindowsView {
  const fold = new WindowsFold(windowOperatorsOf(events));
  const n = Math.min(Math.max(0, count), events.length);
  for (let i = 0; i < n; i++) fold.apply(events[i]!);
  return fold.view();
}

/**
 * The windows of one run read at any cursor, cheaply while the cursor moves forward (play):
 * the fold applies only the events since the last read, and starts again when it goes back.
 * @example const windows = new WindowsCursor(run.events); windows.at(moment.events)
 */
export class WindowsCursor {
  readonly #events: readonly TraceEvent[];
  readonly #operators: WindowOperator[];
  #fold: WindowsFold;
  #view: WindowsView | null = null;

  constructor(events: readonly TraceEvent[]) {
    this.#events = events;
    this.#operators = windowOperatorsOf(events);
    this.#fold = new WindowsFold(this.#operators);
  }

  /** Whether the run has a window operator (with its lifecycle in the trace). */
  get hasWindows(): boolean {
    return this.#operators.length > 0;
  }

  at(count: number): WindowsView {
    const n = Math.min(Math.max(0, count), this.#events.length);
    if (this.#view !== null && this.#view.events === n) return this.#view;
    if (n < this.#fold.count) this.#fold = new WindowsFold(this.#operators);
    while (this.#fold.count < n) this.#fold.apply(this.#events[this.#fold.count]!);
    return (this.#view = this.#fold.view());
  }
}

/** The status in words, for the table (each with its own icon, so colour is never the only cue). */
export function statusText(w: Pick<OpenWindow, 'status' | 'global'>): { icon: string; word: string } {
  switch (w.status) {
    case 'waiting':
      return { icon: '○', word: w.global ? 'waiting for its trigger' : 'waiting for its end' };
    case 'fired-early':
      return { icon: '↻', word: w.global ? 'fired, kept (it never ends)' : 'fired early, open until its end' };
    case 'lateness':
      return { icon: '✓', word: 'fired, kept for allowed lateness' };
    case 'purged':
      return { icon: '∅', word: 'purged, open and empty' };
  }
}

/**
 * What a merge joined, in the table's words: the windows the rows showed before it, and the element that came.
 * @example mergeText({ timeMs: 16, from: [{ start: 0, end: 400 }], count: 1 }) // 'merged from [0, 400) + a new element at t = 16 ms'
 */
export function mergeText(m: WindowMerge): string {
  const from = [...m.from.map((w) => `[${formatCount(w.start)}, ${formatCount(w.end)})`), 'a new element'].join(' + ');
  // "at t = …": the merge's virtual time, which a reader must not take for the element's timestamp.
  return `merged from ${from} at t = ${formatCount(m.timeMs)} ms${m.count > 1 ? `, ${formatCount(m.count)} merges so far` : ''}`;
}
