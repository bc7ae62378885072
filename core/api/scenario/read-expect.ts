/**
 * The `expect` section: a scenario stating its own lesson ("the job finishes", "two records
 * arrive late", "the sink holds exactly these records"). `weir run` checks it after the
 * run and exits 3, saying which expectation failed and why. What it names (a sink, a
 * table, a side output, a dedup operator) must be the job's: checked here, before the run.
 */
import { compileExpression, ExprSyntaxError } from '../../expr/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { child, describe, Reader } from './reader.ts';
import { readDedupExpectations } from './read-dedup.ts';
import type { ExpectSpec, OperatorSpec } from './types.ts';

const STATUSES = ['FINISHED', 'FAILED', 'CANCELED', 'RUNNING'];
const CHECKPOINT_STATUSES = ['COMPLETED', 'FAILED', 'ABORTED'] as const;

export function readExpect(r: Reader, value: unknown): ExpectSpec | null {
  if (value === undefined) return null;
  const path = '$.expect';
  const obj = r.object(value, path, 'an object of expectations');
  if (obj === null) return null;
  r.onlyKeys(obj, path, ['status', 'sinks', 'sideOutputs', 'tables', 'dedup', 'lateRecords', 'restarts', 'checkpoints']);
  const spec: ExpectSpec = { status: null, sinks: Object.create(null) as ExpectSpec['sinks'], sideOutputs: Object.create(null) as ExpectSpec['sideOutputs'], lateRecords: null, restarts: null, checkpoints: null };
  if (obj['status'] !== undefined) {
    if (typeof obj['status'] === 'string' && STATUSES.includes(obj['status'])) spec.status = obj['status'] as ExpectSpec['status'];
    else r.issue(child(path, 'status'), `expected one of ${STATUSES.join(', ')}, found ${describe(obj['status'])}`);
  }
  spec.lateRecords = r.int(obj, 'lateRecords', path, { min: 0 }, null);
  spec.restarts = r.int(obj, 'restarts', path, { min: 0 }, null);
  spec.checkpoints = readCheckpointCounts(r, obj['checkpoints'], child(path, 'checkpoints'));
  if (obj['tables'] !== undefined) {
    const tables = readTables(r, obj['tables'], child(path, 'tables'));
    if (tables !== null) spec.tables = tables;
  }
  if (obj['dedup'] !== undefined) {
    const dedup = readDedupExpectations(r, obj['dedup'], child(path, 'dedup'));
    if (dedup !== null) spec.dedup = dedup;
  }
  for (const section of ['sinks', 'sideOutputs'] as const) {
    if (obj[section] === undefined) continue;
    const byName = r.object(obj[section], child(path, section));
    if (byName === null) continue;
    for (const name of Object.keys(byName)) {
      const at = child(child(path, section), name);
      const raw = section === 'sinks' ? r.object(byName[name], at, 'an object such as {"committed": [...]}') : { committed: byName[name] };
      if (raw === null) continue;
      if (section === 'sinks') r.onlyKeys(raw, at, ['committed', 'count', 'every']);
      const records = raw['committed'] === undefined ? null : readRecords(r, raw['committed'], section === 'sinks' ? child(at, 'committed') : at);
      const count = section === 'sinks' ? r.int(raw, 'count', at, { min: 0 }, null) : null;
      const every = section === 'sinks' && raw['every'] !== undefined ? readEvery(r, raw, at) : null;
      spec[section][name] = { committed: records, count, every };
    }
  }
  return spec;
}

/**
 * An expectation about a sink, side output or dedup operator the job does not have can only
 * fail ("found 0"), or with `count: 0` pass for nothing: a misspelt name is said here, at its
 * path, with the names the job has. Tables are not checked: the playground's sink knob turns
 * an idempotent sink into another kind, and its expectation must then fail as a run, not
 * refuse the edited scenario.
 */
export function checkExpectedNames(r: Reader, expect: ExpectSpec, operators: readonly OperatorSpec[]): void {
  const sinks = operators.flatMap((op) => (op.type === 'sink' ? [op.id] : []));
  const dedups = operators.flatMap((op) => (op.type === 'dedup' ? [op.id] : []));
  const tags = sideOutputTagsOf(operators);
  const list = (names: readonly string[]): string => (names.length === 0 ? 'none' : [...new Set(names)].map((n) => `'${n}'`).join(', '));
  const check = (section: string, names: readonly string[], known: readonly string[], say: (name: string) => string): void => {
    for (const name of names) if (!known.includes(name)) r.issue(child(child('$.expect', section), name), say(name));
  };
  check('sinks', Object.keys(expect.sinks), sinks, (n) => `the job has no sink '${n}' (its sinks: ${list(sinks)})`);
  check('sideOutputs', Object.keys(expect.sideOutputs), tags, (n) => `the job has no side output '${n}' (its side outputs: ${list(tags)}; a window's or an intervalJoin's lateOutput and a process function's sideOutput action make them)`);
  check('dedup', Object.keys(expect.dedup ?? {}), dedups, (n) => `the job has no dedup operator '${n}' (its dedup operators: ${list(dedups)})`);
}

/**
 * The side-output tags the job can write, all known from the file: a window's `lateOutput`,
 * an intervalJoin's `lateOutput.left` and `.right`, and every `sideOutput` action of a
 * process function, however deep in its actions (a tag is a literal, never computed).
 */
function sideOutputTagsOf(operators: readonly OperatorSpec[]): string[] {
  const tags: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const obj = value as Record<string, unknown>;
    if (obj['kind'] === 'sideOutput' && typeof obj['tag'] === 'string') tags.push(obj['tag']);
    if (typeof obj['lateOutputTag'] === 'string') tags.push(obj['lateOutputTag']);
    Object.values(obj).forEach(walk);
  };
  for (const op of operators) {
    if (op.type === 'sequence') continue; // its items are records, whose values are data
    if (op.type === 'intervalJoin') for (const tag of [op.lateOutput.left, op.lateOutput.right]) if (tag !== null) tags.push(tag);
    walk(op);
  }
  return tags;
}

/** `every`: an expression over a record, as a filter's; a syntax error is reported at its path. */
function readEvery(r: Reader, raw: Record<string, unknown>, at: string): string | null {
  const source = r.string(raw, 'every', at);
  if (source === null) return null;
  try {
    compileExpression(source);
    return source;
  } catch (e) {
    if (!(e instanceof ExprSyntaxError)) throw e;
    r.issue(child(at, 'every'), `expression does not parse: ${e.message}`);
    return null;
  }
}

/**
 * `{"counts": {"k0": 4, "k1": 3}}`: each table's exact final contents, row key to value, as
 * the report's `tables` shows them (the expectation of an idempotent sink's output).
 */
function readTables(r: Reader, value: unknown, path: string): Record<string, Record<string, JsonValue>> | null {
  const byName = r.object(value, path, 'tables by name, such as {"counts": {"k0": 4}}');
  if (byName === null) return null;
  // Null-prototype objects, as the report's: a table or row named `__proto__` is data.
  const out = Object.create(null) as Record<string, Record<string, JsonValue>>;
  for (const name of Object.keys(byName)) {
    const rows = r.object(byName[name], child(path, name), 'the rows of a table, key to value, such as {"k0": 4}');
    if (rows === null) continue;
    const table = Object.create(null) as Record<string, JsonValue>;
    for (const key of Object.keys(rows)) table[key] = rows[key] as JsonValue;
    out[name] = table;
  }
  return out;
}

/** `{"COMPLETED": 3, "FAILED": 1}`: how many checkpoints ended with each status. */
function readCheckpointCounts(r: Reader, value: unknown, path: string): ExpectSpec['checkpoints'] {
  if (value === undefined) return null;
  const obj = r.object(value, path, 'checkpoint counts by status, such as {"COMPLETED": 3, "FAILED": 1}');
  if (obj === null) return null;
  r.onlyKeys(obj, path, CHECKPOINT_STATUSES);
  const counts: NonNullable<ExpectSpec['checkpoints']> = {};
  for (const status of CHECKPOINT_STATUSES) {
    const n = r.int(obj, status, path, { min: 0 }, null);
    if (n !== null) counts[status] = n;
  }
  return counts;
}

function readRecords(r: Reader, value: unknown, path: string): { value: JsonValue; timestamp: number | null }[] | null {
  const list = r.list(value, path);
  if (list === null) return null;
  const out: { value: JsonValue; timestamp: number | null }[] = [];
  list.forEach((item, i) => {
    const at = child(path, i);
    const rec = r.object(item, at, 'a record {"value": …, "timestamp": t}');
    if (rec === null) return;
    r.onlyKeys(rec, at, ['value', 'timestamp']);
    if (!('value' in rec)) return r.issue(at, "missing required field 'value'");
    out.push({ value: rec['value'] as JsonValue, timestamp: r.int(rec, 'timestamp', at, {}, null) });
  });
  return out;
}
