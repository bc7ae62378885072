/**
 * Checking a scenario's `expect` section against its run report. Each failed expectation
 * says where it is in the file and what the run did instead, so a lesson that stops
 * teaching what it claims is noticed at once. Sink contents are compared as multisets:
 * the order across parallel subtasks or partitions is not part of the lesson.
 */
import type { ExpectSpec } from './api/index.ts';
import { compileExpression, isTruthy } from './expr/index.ts';
import { canonicalJson, jsonEqual, type JsonValue } from './model/index.ts';
import type { ReportRecord, RunReport } from './report.ts';

export interface ExpectationFailure {
  /** JSON path of the expectation in the scenario file. */
  readonly path: string;
  readonly message: string;
}

const show = (r: ReportRecord): string => `${canonicalJson(r.value)}@${r.timestamp ?? '-'}`;

function compareRecords(path: string, expected: readonly ReportRecord[], actual: readonly ReportRecord[], out: ExpectationFailure[]): void {
  const counts = new Map<string, number>();
  for (const r of actual) counts.set(show(r), (counts.get(show(r)) ?? 0) + 1);
  const missing: string[] = [];
  for (const r of expected) {
    const k = show(r);
    const n = counts.get(k) ?? 0;
    if (n === 0) missing.push(k);
    else counts.set(k, n - 1);
  }
  // An extra copy of an expected record is a duplicate (what `weir check` calls it); a record the expectation never lists is unexpected.
  const wanted = new Set(expected.map(show));
  const duplicated: string[] = [];
  const unexpected: string[] = [];
  for (const [k, n] of counts) for (let i = 0; i < n; i++) (wanted.has(k) ? duplicated : unexpected).push(k);
  if (missing.length === 0 && duplicated.length === 0 && unexpected.length === 0) return;
  const list = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? `, … (${xs.length} in all)` : '');
  out.push({
    path,
    message: [
      missing.length > 0 ? `missing ${list(missing)}` : '',
      duplicated.length > 0 ? `duplicated ${list(duplicated)}` : '',
      unexpected.length > 0 ? `unexpected ${list(unexpected)}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  });
}

/** Every record must make `source` truthy; an expression that throws on a record fails it too, saying why. */
function checkEvery(path: string, source: string, actual: readonly ReportRecord[], out: ExpectationFailure[]): void {
  const expr = compileExpression(source);
  const failing: string[] = [];
  for (const record of actual) {
    try {
      if (!isTruthy(expr.evaluate(record.value, record.timestamp))) failing.push(show(record));
    } catch (e) {
      failing.push(`${show(record)} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (failing.length === 0) return;
  const shown = failing.slice(0, 3).join(', ') + (failing.length > 3 ? ', …' : '');
  out.push({ path, message: `${failing.length} of ${actual.length} records do not satisfy "${source}": ${shown}` });
}

/** Returns the expectations the report does not meet (empty: all met). */
export function checkExpectations(expect: ExpectSpec, report: RunReport): ExpectationFailure[] {
  const out: ExpectationFailure[] = [];
  if (expect.status !== null && expect.status !== report.status) {
    out.push({ path: '$.expect.status', message: `expected ${expect.status}, the job's status was ${report.status}${report.failureCause ? ` (${report.failureCause})` : ''}` });
  }
  const { lateRecordsDropped: dropped, lateRecordsToSideOutput: diverted } = report.metrics;
  if (expect.lateRecords !== null && expect.lateRecords !== dropped + diverted) {
    out.push({
      path: '$.expect.lateRecords',
      message: `expected ${expect.lateRecords} late records, the run had ${dropped} dropped and ${diverted} sent to late side outputs`,
    });
  }
  if (expect.restarts !== null && expect.restarts !== report.restarts.length) {
    const causes = report.restarts.map((r) => `t=${r.at} ${r.cause}`).join('; ');
    out.push({ path: '$.expect.restarts', message: `expected ${expect.restarts} restarts, the job restarted ${report.restarts.length} times${causes ? ` (${causes})` : ''}` });
  }
  if (expect.checkpoints !== null) {
    for (const [status, want] of Object.entries(expect.checkpoints)) {
      const have = report.checkpoints.filter((c) => c.status === status && c.savepoint !== true).length;
      if (have !== want) {
        const reasons = report.checkpoints.filter((c) => c.status === status && c.failureReason).map((c) => `${c.id}: ${c.failureReason}`);
        out.push({ path: `$.expect.checkpoints.${status}`, message: `expected ${want} ${status} checkpoints, the run had ${have}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}` });
      }
    }
  }
  for (const [section, actualOf] of [
    ['sinks', (name: string) => (Object.hasOwn(report.sinks, name) ? report.sinks[name]!.committed : undefined)],
    ['sideOutputs', (name: string) => (Object.hasOwn(report.sideOutputs, name) ? report.sideOutputs[name] : undefined)],
  ] as const) {
    for (const [name, want] of Object.entries(expect[section])) {
      const path = `$.expect.${section}.${name}`;
      const actual = actualOf(name) ?? [];
      if (want.count !== null && want.count !== actual.length) out.push({ path: `${path}.count`, message: `expected ${want.count} records, found ${actual.length}` });
      if (want.committed !== null) compareRecords(section === 'sinks' ? `${path}.committed` : path, want.committed, actual, out);
      if (want.every !== null) checkEvery(`${path}.every`, want.every, actual, out);
    }
  }
  if (expect.tables !== undefined) {
    for (const [name, want] of Object.entries(expect.tables)) compareTable(`$.expect.tables.${name}`, want, Object.hasOwn(report.tables, name) ? report.tables[name] : undefined, out);
  }
  if (expect.dedup !== undefined) checkDedup(expect.dedup, report, out);
  return out;
}

/** Each dedup counter the scenario names must be what the report shows. */
function checkDedup(expected: NonNullable<ExpectSpec['dedup']>, report: RunReport, out: ExpectationFailure[]): void {
  for (const [id, want] of Object.entries(expected)) {
    const path = `$.expect.dedup.${id}`;
    const have = Object.hasOwn(report.dedup, id) ? report.dedup[id]! : undefined;
    if (have === undefined) {
      out.push({ path, message: `the run has no dedup operator '${id}'${Object.keys(report.dedup).length > 0 ? ` (it has ${Object.keys(report.dedup).join(', ')})` : ''}` });
      continue;
    }
    for (const counter of ['keysSeen', 'dropped', 'falsePositives', 'memoryBytes'] as const) {
      const n = want[counter];
      if (n !== null && n !== have[counter]) out.push({ path: `${path}.${counter}`, message: `expected ${n}, the run's ${have.mode} dedup shows ${have[counter]}` });
    }
  }
}

/** A table's final contents, key by key: a row missing, a row with another value, a row that should not be there. */
function compareTable(path: string, expected: Record<string, JsonValue>, actual: Record<string, JsonValue> | undefined, out: ExpectationFailure[]): void {
  if (actual === undefined) {
    out.push({ path, message: `expected a table with ${Object.keys(expected).length} rows, the run has no table of that name` });
    return;
  }
  const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
  const missing = Object.keys(expected).filter((k) => !own(actual, k));
  const differ = Object.keys(expected).filter((k) => own(actual, k) && !jsonEqual(expected[k]!, actual[k]!));
  const extra = Object.keys(actual).filter((k) => !own(expected, k));
  if (missing.length + differ.length + extra.length === 0) return;
  const list = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? `, … (${xs.length} in all)` : '');
  const row = (k: string, v: JsonValue) => `${JSON.stringify(k)}: ${canonicalJson(v)}`;
  out.push({
    path,
    message: [
      missing.length > 0 ? `missing rows ${list(missing.map((k) => row(k, expected[k]!)))}` : '',
      differ.length > 0 ? `rows with another value ${list(differ.map((k) => `${row(k, actual[k]!)} (expected ${canonicalJson(expected[k]!)})`))}` : '',
      extra.length > 0 ? `unexpected rows ${list(extra.map((k) => row(k, actual[k]!)))}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  });
}
