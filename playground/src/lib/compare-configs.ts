/**
 * Two configurations of one scenario, on one seed and one fault plan, side by side: the
 * lesson "what does this setting change?" (exactly-once against at-least-once, aligned
 * against unaligned, two watermark bounds). Configuration B is the open scenario with one
 * knob of the editor's form changed, so exactly one thing differs and the page can say what.
 * The outputs are diffed sink by sink as multisets: what only one side wrote, and what one
 * side wrote more often than the other (a duplicate, when the other wrote it once). An
 * idempotent sink is read as a reader of its table reads it, by the table's final rows, as
 * the exactly-once oracle judges it: writing a row again after a restart changes nothing.
 */
import { canonicalJson, type JsonValue, type RunReport, type Scenario, type TraceEvent } from '../../../core/index.ts';
import { firstExtraRecordMs } from './find.ts';
import { applyKnob, knobsOf, SINK_KINDS, type KnobChange } from './knobs.ts';

/** One other configuration the page offers. */
export interface CompareChoice {
  /** Stable within one scenario: names the change. */
  readonly id: string;
  /** What B changes, said as a person would: "sink out: at-least-once instead of two-phase-commit". */
  readonly label: string;
  readonly change: KnobChange;
}

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * The other configurations worth comparing the scenario `doc` with: one knob changed each,
 * and only those whose scenario is valid (`valid` checks one, as the editor does).
 * @example compareChoices(exactlyOnceLesson, isValid)[0].label // "sink out: at-least-once instead of two-phase-commit"
 */
export function compareChoices(doc: unknown, valid: (data: unknown) => boolean): CompareChoice[] {
  const knobs = knobsOf(doc);
  const out: CompareChoice[] = [];
  for (const sink of knobs.sinks) {
    for (const kind of SINK_KINDS) {
      if (kind === sink.kind) continue;
      out.push({ id: `sink:${sink.index}:${kind}`, label: `sink ${sink.operator}: ${kind} instead of ${sink.kind || 'its kind'}`, change: { knob: 'sink', index: sink.index, value: kind } });
    }
  }
  const cp = knobs.checkpointing;
  if (cp === null) {
    out.push({ id: 'checkpointing:on', label: 'checkpointing on (every 1,000 ms) instead of off', change: { knob: 'checkpointing', on: true } });
  } else {
    const other = cp.mode === 'at-least-once' ? 'exactly-once' : 'at-least-once';
    out.push({ id: `checkpoint-mode:${other}`, label: `checkpoint mode ${other} instead of ${cp.mode}`, change: { knob: 'checkpoint-mode', value: other } });
    if (cp.mode !== 'at-least-once') {
      out.push({ id: `unaligned:${!cp.unaligned}`, label: cp.unaligned ? 'aligned checkpoints instead of unaligned' : 'unaligned checkpoints instead of aligned', change: { knob: 'unaligned', value: !cp.unaligned } });
    }
    const interval = cp.interval.value;
    if (interval !== null) {
      out.push({ id: `checkpoint-interval:${interval * 2}`, label: `checkpoints every ${count(interval * 2)} ms instead of ${count(interval)}`, change: { knob: 'checkpoint-interval', value: interval * 2 } });
      if (interval >= 20) out.push({ id: `checkpoint-interval:${Math.round(interval / 2)}`, label: `checkpoints every ${count(Math.round(interval / 2))} ms instead of ${count(interval)}`, change: { knob: 'checkpoint-interval', value: Math.round(interval / 2) } });
    }
    out.push({ id: 'checkpointing:off', label: 'checkpointing off instead of on', change: { knob: 'checkpointing', on: false } });
  }
  knobs.watermarkBounds.forEach((bound) => {
    const index = bound.path[2] as number;
    const now = bound.value ?? 0;
    for (const value of now > 0 ? [0, now * 2] : [500]) {
      out.push({ id: `watermark-bound:${index}:${value}`, label: `source ${bound.operator}: watermark bound ${count(value)} ms instead of ${count(now)}`, change: { knob: 'watermark-bound', index, value } });
    }
  });
  knobs.lateness.forEach((late) => {
    const index = late.path[2] as number;
    const now = late.value ?? 0;
    for (const value of now > 0 ? [0, now * 2] : [1000]) {
      out.push({ id: `allowed-lateness:${index}:${value}`, label: `window ${late.operator}: allowed lateness ${count(value)} ms instead of ${count(now)}`, change: { knob: 'allowed-lateness', index, value } });
    }
  });
  const p = knobs.parallelism.value ?? 1;
  for (const value of [p + 1, p - 1]) {
    if (value >= 1) out.push({ id: `parallelism:${value}`, label: `parallelism ${value} instead of ${p}`, change: { knob: 'parallelism', value } });
  }
  const restart = knobs.restart.type;
  if (restart !== 'none') out.push({ id: 'restart:none', label: `restart strategy none instead of ${restart ?? "Flink's default"}`, change: { knob: 'restart-type', value: 'none' } });
  if (restart !== 'fixed-delay') out.push({ id: 'restart:fixed-delay', label: `restart strategy fixed-delay instead of ${restart ?? "Flink's default"}`, change: { knob: 'restart-type', value: 'fixed-delay' } });
  return out.filter((choice) => valid(applyKnob(doc, choice.change)));
}

/** A record one side committed a different number of times than the other. */
export interface DiffRow {
  readonly value: JsonValue;
  readonly timestamp: number | null;
  readonly inA: number;
  readonly inB: number;
  /** only-a / only-b: the other side never committed it; more-in-a / more-in-b: both did, one more often (a duplicate). */
  readonly kind: 'only-a' | 'only-b' | 'more-in-a' | 'more-in-b';
}

export interface SinkDiff {
  readonly sink: string;
  /** True when the sink writes a table on either side: then both sides are compared by row values, timestamps left out. */
  readonly byTable: boolean;
  readonly committedA: number;
  readonly committedB: number;
  /** Rows in a stable order (by the record's canonical JSON). */
  readonly rows: readonly DiffRow[];
}

/** Which sinks write a table (idempotent sinks): sink id to table name. */
export type TableSinks = Readonly<Record<string, string>>;

/** The idempotent sinks of a scenario and their tables. */
export function tableSinksOf(scenario: Scenario): TableSinks {
  // No prototype: a sink may be called __proto__.
  const out = Object.create(null) as Record<string, string>;
  for (const op of scenario.job.operators) if (op.type === 'sink' && op.sink.type === 'idempotent') out[op.id] = op.sink.table;
  return out;
}

type Counted = { value: JsonValue; timestamp: number | null }[];

// What a reader of the sink sees: its committed records, or for a table its final rows.
function readerView(report: RunReport, sink: string, tables: TableSinks, byTable: boolean): Counted {
  const table = Object.hasOwn(tables, sink) ? tables[sink]! : null;
  if (table !== null) return Object.values(Object.hasOwn(report.tables, table) ? report.tables[table]! : {}).map((value) => ({ value, timestamp: null }));
  const committed = Object.hasOwn(report.sinks, sink) ? report.sinks[sink]!.committed : [];
  return byTable ? committed.map((r) => ({ value: r.value, timestamp: null })) : committed;
}

/**
 * The committed output of two runs, sink by sink, as multisets of {value, timestamp}; a sink
 * that writes a table on either side (`tablesA`, `tablesB`) by its rows' values.
 * @example diffRuns(a, a).every((s) => s.rows.length === 0) // true
 */
export function diffRuns(a: RunReport, b: RunReport, tablesA: TableSinks = {}, tablesB: TableSinks = {}): SinkDiff[] {
  const sinks = [...new Set([...Object.keys(a.sinks), ...Object.keys(b.sinks)])].sort();
  return sinks.map((sink) => {
    const byTable = Object.hasOwn(tablesA, sink) || Object.hasOwn(tablesB, sink);
    const counts = new Map<string, { value: JsonValue; timestamp: number | null; inA: number; inB: number }>();
    const add = (records: Counted, side: 'inA' | 'inB'): void => {
      for (const r of records) {
        const key = `${canonicalJson(r.value)}@${r.timestamp ?? '-'}`;
        const entry = counts.get(key) ?? { value: r.value, timestamp: r.timestamp, inA: 0, inB: 0 };
        entry[side]++;
        counts.set(key, entry);
      }
    };
    const committedA = readerView(a, sink, tablesA, byTable);
    const committedB = readerView(b, sink, tablesB, byTable);
    add(committedA, 'inA');
    add(committedB, 'inB');
    const rows = [...counts.entries()]
      .filter(([, c]) => c.inA !== c.inB)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([, c]): DiffRow => ({ ...c, kind: c.inB === 0 ? 'only-a' : c.inA === 0 ? 'only-b' : c.inA > c.inB ? 'more-in-a' : 'more-in-b' }));
    return { sink, byTable, committedA: committedA.length, committedB: committedB.length, rows };
  });
}

/**
 * When the two runs' committed outputs first part: the first moment one of them commits a
 * record the other has no more of. Null when they commit the same. Sinks in `tableSinkIds`
 * (a table on either side) are left out: a table's rows have no moment of commit to compare.
 */
export function firstDifferenceMs(a: { report: RunReport; events: readonly TraceEvent[] }, b: { report: RunReport; events: readonly TraceEvent[] }, tableSinkIds: readonly string[] = []): number | null {
  const times = [firstExtraRecordMs(a.report, b.events, tableSinkIds), firstExtraRecordMs(b.report, a.events, tableSinkIds)].filter((t): t is number => t !== null);
  return times.length === 0 ? null : Math.min(...times);
}

/** How a row reads: with an icon and words, never colour alone. */
export function describeRow(row: DiffRow): { icon: string; text: string } {
  switch (row.kind) {
    case 'only-a':
      return { icon: '◀', text: row.inA > 1 ? `only in A (${row.inA}×)` : 'only in A' };
    case 'only-b':
      return { icon: '▶', text: row.inB > 1 ? `only in B (${row.inB}×)` : 'only in B' };
    case 'more-in-a':
      return { icon: '⊕', text: `duplicated in A: ${row.inA}× against ${row.inB}×` };
    case 'more-in-b':
      return { icon: '⊕', text: `duplicated in B: ${row.inB}× against ${row.inA}×` };
  }
}
