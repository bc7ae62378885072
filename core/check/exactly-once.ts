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
import { jsonEqual, type JsonValue } from '../model/index.ts';
import { ReferenceOutput, type OracleRecord } from './reference-output.ts';

export type { OracleRecord } from './reference-output.ts';

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

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A reference prepared once, to judge many runs against (a campaign's hundreds). */
export interface ExactlyOnceOracle {
  check(run: OracleRun): ExactlyOnceVerdict;
}

const NO_OUTPUT = new ReferenceOutput([]);

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
  const sinks = new Map<string, ReferenceOutput>();
  for (const name of Object.keys(reference.sinks).sort(compare)) {
    if (!tableSinks.has(name)) sinks.set(name, new ReferenceOutput(reference.sinks[name]!.committed));
  }
  const tables = reference.tables ?? {};
  // Each table's keys, sorted once (the examples list rows in key order).
  const tableKeys = new Map(Object.keys(tables).map((name) => [name, Object.keys(tables[name]!).sort(compare)] as const));
  return {
    check(run: OracleRun): ExactlyOnceVerdict {
      const differences: SinkDifference[] = [];
      const names = new Set(sinks.keys());
      for (const name of Object.keys(run.sinks)) if (!tableSinks.has(name)) names.add(name);
      for (const name of [...names].sort(compare)) {
        const d = compareSink(name, sinks.get(name) ?? NO_OUTPUT, run.sinks[name]?.committed ?? [], maxExamples);
        if (d !== null) differences.push(d);
      }
      const runTables = run.tables ?? {};
      const tableNames = new Set([...Object.keys(tables), ...Object.keys(runTables)]);
      for (const name of [...tableNames].sort(compare)) {
        const d = compareTable(name, tables[name] ?? {}, tableKeys.get(name) ?? [], runTables[name] ?? {}, maxExamples);
        if (d !== null) differences.push(d);
      }
      const statusViolation = run.status === 'FINISHED' ? null : `the job ended ${run.status}${run.failureCause ? ` (${run.failureCause})` : ''}, not FINISHED`;
      // Plain loops, no callbacks: a campaign judges every run, and under tsx each closure made per call costs a defineProperty.
      let lost = 0;
      let duplicated = 0;
      let unexpected = 0;
      for (const d of differences) {
        lost += d.lost;
        duplicated += d.duplicated;
        unexpected += d.unexpected;
      }
      return { holds: statusViolation === null && differences.length === 0, status: run.status, statusViolation, lost, duplicated, unexpected, differences };
    },
  };
}

/** One-shot form of `createExactlyOnceOracle(reference, options).check(run)`. */
export function checkExactlyOnce(reference: OracleRun, run: OracleRun, options: OracleOptions = {}): ExactlyOnceVerdict {
  return createExactlyOnceOracle(reference, options).check(run);
}

function compareSink(name: string, reference: ReferenceOutput, committed: readonly OracleRecord[], maxExamples: number): SinkDifference | null {
  const counts = new Map<string, number>();
  // The first record of each key the reference never wrote, in the run's order.
  const strangers = new Map<string, OracleRecord>();
  for (const r of committed) {
    const k = reference.keyOf(r);
    const n = counts.get(k);
    if (n !== undefined) counts.set(k, n + 1);
    else {
      counts.set(k, 1);
      if (!reference.counts.has(k)) strangers.set(k, r);
    }
  }
  let lost = 0;
  let duplicated = 0;
  let unexpected = 0;
  const examples: OracleExample[] = [];
  // Examples per kind so far: at most maxExamples of each are kept.
  let lostSeen = 0;
  let duplicatedSeen = 0;
  let unexpectedSeen = 0;
  // In the reference's first-seen order, then the run's: the examples read like the output.
  for (const [k, want] of reference.counts) {
    const have = counts.get(k) ?? 0;
    if (have < want) {
      lost += want - have;
      if (lostSeen++ < maxExamples) examples.push({ kind: 'lost', record: reference.sample.get(k)!, copies: want - have });
    } else if (have > want) {
      duplicated += have - want;
      if (duplicatedSeen++ < maxExamples) examples.push({ kind: 'duplicated', record: reference.sample.get(k)!, copies: have - want });
    }
  }
  for (const [k, first] of strangers) {
    const have = counts.get(k)!;
    unexpected += have;
    if (unexpectedSeen++ < maxExamples) examples.push({ kind: 'unexpected', record: first, copies: have });
  }
  if (lost === 0 && duplicated === 0 && unexpected === 0) return null;
  return { name, kind: 'sink', lost, duplicated, unexpected, examples };
}

function compareTable(
  name: string,
  reference: Readonly<Record<string, JsonValue>>,
  referenceKeys: readonly string[],
  actual: Readonly<Record<string, JsonValue>>,
  maxExamples: number,
): SinkDifference | null {
  let lost = 0;
  let unexpected = 0;
  const examples: OracleExample[] = [];
  for (const key of referenceKeys) {
    const expected = reference[key]!;
    if (!Object.prototype.hasOwnProperty.call(actual, key)) {
      if (lost++ < maxExamples) examples.push({ kind: 'lost-row', key, expected, found: null });
    } else if (!jsonEqual(expected, actual[key]!)) {
      if (unexpected++ < maxExamples) examples.push({ kind: 'unexpected-row', key, expected, found: actual[key]! });
    }
  }
  for (const key of Object.keys(actual).sort(compare)) {
    if (Object.prototype.hasOwnProperty.call(reference, key)) continue;
    if (unexpected++ < maxExamples) examples.push({ kind: 'unexpected-row', key, expected: null, found: actual[key]! });
  }
  if (lost === 0 && unexpected === 0) return null;
  return { name, kind: 'table', lost, duplicated: 0, unexpected, examples };
}
