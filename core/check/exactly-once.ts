/**
 * The exactly-once oracle: does a run's output equal the output of the same job without
 * faults? Flink's end-to-end exactly-once guarantee is a statement about what a reader of
 * the outside world sees, not about the job's internal state: every record of the
 * fault-free run appears in the committed output once, no record appears twice, and no
 * record appears that the fault-free run never wrote. The oracle checks exactly that, from
 * plain data (two run reports' sinks and tables), and knows nothing of how the run went.
 *
 * A sink's committed output is compared as a multiset of canonical records (value and
 * timestamp): parallel subtasks and partitions interleave differently from run to run, and
 * that order is not part of the guarantee. A sink that writes a table (an idempotent sink)
 * is judged by the table's final contents, key by key: replaying an upsert writes the same
 * row again, which is the point of an idempotent sink. A run whose job did not reach
 * FINISHED violates the property too: output that stopped halfway is not exactly once.
 *
 * A reference that committed nothing at all cannot be compared with: every run would
 * "hold", and a check that saw no output proves nothing. `checkReference` says so.
 */
import { canonicalJson, jsonEqual, type JsonValue } from '../model/index.ts';

/** A committed record, as the run report shows it. */
export interface OracleRecord {
  readonly value: JsonValue;
  readonly timestamp: number | null;
}

/** What the oracle reads of a run: its status, each sink's committed output, each table. A `weir/report@1` is one. */
export interface OracleRun {
  readonly status: string;
  readonly failureCause?: string | null;
  readonly sinks: Readonly<Record<string, { readonly committed: readonly OracleRecord[] }>>;
  readonly tables?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
}

export interface OracleOptions {
  /** Sinks that write a table (idempotent sinks): judged by `tables`, not by the list of their writes. */
  readonly tableSinks?: readonly string[];
  /** Examples kept per sink and kind (default 5). */
  readonly maxExamples?: number;
}

/** One difference, with an example: a record (and how many copies of it), or a table row. */
export type OracleExample =
  | { readonly kind: 'lost' | 'duplicated' | 'unexpected'; readonly record: OracleRecord; readonly copies: number }
  | { readonly kind: 'lost-row' | 'unexpected-row'; readonly key: string; readonly expected: JsonValue | null; readonly found: JsonValue | null };

/** How one sink (or table) differs from the reference. */
export interface SinkDifference {
  /** The sink id, or the table's name for a table. */
  readonly name: string;
  readonly kind: 'sink' | 'table';
  /** Records of the reference missing from the run (rows missing from the table). */
  readonly lost: number;
  /** Extra copies of records that the reference has (fewer times). */
  readonly duplicated: number;
  /** Records the reference never wrote (rows with another value, or keys it never had). */
  readonly unexpected: number;
  readonly examples: readonly OracleExample[];
}

export interface ExactlyOnceVerdict {
  /** True when the run's output equals the reference's and the job FINISHED. */
  readonly holds: boolean;
  readonly status: string;
  /** Why the status violates the property (the job did not FINISH), or null. */
  readonly statusViolation: string | null;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
  /** Only the sinks and tables that differ, sorted by kind and name. */
  readonly differences: readonly SinkDifference[];
}

const DEFAULT_MAX_EXAMPLES = 5;

// The value's canonical text, then the timestamp after a NUL (which canonical JSON text
// never holds raw): one key per record, without wrapping each record in another object.
const keyOf = (r: OracleRecord): string => `${canonicalJson(r.value)}\u0000${r.timestamp}`;

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A reference prepared once, to judge many runs against (a campaign's hundreds). */
export interface ExactlyOnceOracle {
  check(run: OracleRun): ExactlyOnceVerdict;
}

interface CountedRecords {
  readonly counts: Map<string, number>;
  readonly sample: Map<string, OracleRecord>;
}

function countRecords(records: readonly OracleRecord[]): CountedRecords {
  const counts = new Map<string, number>();
  const sample = new Map<string, OracleRecord>();
  for (const r of records) {
    const k = keyOf(r);
    const n = counts.get(k);
    if (n === undefined) {
      counts.set(k, 1);
      sample.set(k, r);
    } else counts.set(k, n + 1);
  }
  return { counts, sample };
}

/**
 * Why a reference run cannot serve as one, or null when it can: the job must FINISH and
 * some sink must have committed something.
 * @example
 * checkReference({ status: 'FINISHED', sinks: { out: { committed: [] } } })
 * // 'the reference run committed no output at all: a check that saw no output proves nothing'
 */
export function checkReference(reference: OracleRun): string | null {
  if (reference.status !== 'FINISHED') {
    const cause = reference.failureCause ? ` (${reference.failureCause})` : '';
    return `the reference run (without faults) ended ${reference.status}${cause}, not FINISHED: there is no complete output to compare with`;
  }
  const records = Object.values(reference.sinks).reduce((n, s) => n + s.committed.length, 0);
  const rows = Object.values(reference.tables ?? {}).reduce((n, t) => n + Object.keys(t).length, 0);
  if (records === 0 && rows === 0) return 'the reference run committed no output at all: a check that saw no output proves nothing';
  return null;
}

/**
 * Prepares the oracle for a reference run (give it a reference that `checkReference` accepts).
 * @example
 * const oracle = createExactlyOnceOracle(referenceReport);
 * const verdict = oracle.check(faultedReport);
 * verdict.holds; // false when a record was lost, duplicated or unexpected, or the job did not finish
 */
export function createExactlyOnceOracle(reference: OracleRun, options: OracleOptions = {}): ExactlyOnceOracle {
  const tableSinks = new Set(options.tableSinks ?? []);
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  const sinks = new Map<string, CountedRecords>();
  for (const name of Object.keys(reference.sinks).sort(compare)) {
    if (!tableSinks.has(name)) sinks.set(name, countRecords(reference.sinks[name]!.committed));
  }
  const tables = reference.tables ?? {};
  return {
    check(run: OracleRun): ExactlyOnceVerdict {
      const differences: SinkDifference[] = [];
      const names = new Set([...sinks.keys(), ...Object.keys(run.sinks).filter((n) => !tableSinks.has(n))]);
      for (const name of [...names].sort(compare)) {
        const d = compareSink(name, sinks.get(name) ?? countRecords([]), run.sinks[name]?.committed ?? [], maxExamples);
        if (d !== null) differences.push(d);
      }
      const runTables = run.tables ?? {};
      const tableNames = new Set([...Object.keys(tables), ...Object.keys(runTables)]);
      for (const name of [...tableNames].sort(compare)) {
        const d = compareTable(name, tables[name] ?? {}, runTables[name] ?? {}, maxExamples);
        if (d !== null) differences.push(d);
      }
      const statusViolation = run.status === 'FINISHED' ? null : `the job ended ${run.status}${run.failureCause ? ` (${run.failureCause})` : ''}, not FINISHED`;
      const sum = (f: (d: SinkDifference) => number): number => differences.reduce((n, d) => n + f(d), 0);
      return {
        holds: statusViolation === null && differences.length === 0,
        status: run.status,
        statusViolation,
        lost: sum((d) => d.lost),
        duplicated: sum((d) => d.duplicated),
        unexpected: sum((d) => d.unexpected),
        differences,
      };
    },
  };
}

/** One-shot form of `createExactlyOnceOracle(reference, options).check(run)`. */
export function checkExactlyOnce(reference: OracleRun, run: OracleRun, options: OracleOptions = {}): ExactlyOnceVerdict {
  return createExactlyOnceOracle(reference, options).check(run);
}

function compareSink(name: string, reference: CountedRecords, committed: readonly OracleRecord[], maxExamples: number): SinkDifference | null {
  const actual = countRecords(committed);
  let lost = 0;
  let duplicated = 0;
  let unexpected = 0;
  const examples: OracleExample[] = [];
  const perKind = { lost: 0, duplicated: 0, unexpected: 0 };
  const note = (kind: 'lost' | 'duplicated' | 'unexpected', record: OracleRecord, copies: number): void => {
    if (perKind[kind]++ < maxExamples) examples.push({ kind, record, copies });
  };
  // In the reference's first-seen order, then the run's: the examples read like the output.
  for (const [k, want] of reference.counts) {
    const have = actual.counts.get(k) ?? 0;
    if (have < want) {
      lost += want - have;
      note('lost', reference.sample.get(k)!, want - have);
    } else if (have > want) {
      duplicated += have - want;
      note('duplicated', reference.sample.get(k)!, have - want);
    }
  }
  for (const [k, have] of actual.counts) {
    if (reference.counts.has(k)) continue;
    unexpected += have;
    note('unexpected', actual.sample.get(k)!, have);
  }
  if (lost === 0 && duplicated === 0 && unexpected === 0) return null;
  return { name, kind: 'sink', lost, duplicated, unexpected, examples };
}

function compareTable(name: string, reference: Readonly<Record<string, JsonValue>>, actual: Readonly<Record<string, JsonValue>>, maxExamples: number): SinkDifference | null {
  let lost = 0;
  let unexpected = 0;
  const examples: OracleExample[] = [];
  const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  for (const key of Object.keys(reference).sort(compare)) {
    const expected = reference[key]!;
    if (!own(actual, key)) {
      if (lost++ < maxExamples) examples.push({ kind: 'lost-row', key, expected, found: null });
    } else if (!jsonEqual(expected, actual[key]!)) {
      if (unexpected++ < maxExamples) examples.push({ kind: 'unexpected-row', key, expected, found: actual[key]! });
    }
  }
  for (const key of Object.keys(actual).sort(compare)) {
    if (own(reference, key)) continue;
    if (unexpected++ < maxExamples) examples.push({ kind: 'unexpected-row', key, expected: null, found: actual[key]! });
  }
  if (lost === 0 && unexpected === 0) return null;
  return { name, kind: 'table', lost, duplicated: 0, unexpected, examples };
}
