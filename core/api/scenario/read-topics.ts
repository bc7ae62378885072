/**
 * The `topics` section: Kafka-like partitioned logs with their records. A record without
 * a `partition` goes where Kafka's default partitioner would put it: by a hash of its key,
 * or to partition 0 when it has no key. Within a partition, records keep the file's order
 * (their offsets) and their append times (`at`) may not go backwards.
 */
import { compileExpression, ExprSyntaxError, stableHash32 } from '../../expr/index.ts';
import { MAX_TIME_MS, type JsonValue } from '../../model/index.ts';
import { child, Reader } from './reader.ts';
import type { TaxiGeneratorSpec, TopicGeneratorSpec, TopicRecordSpec, TopicSpec } from './types.ts';

/** The names a generator's `value` expression sees. */
export const GENERATOR_BINDINGS = ['i', 'key', 'r', 'at'] as const;

const MAX_PARTITIONS = 1024;
const MAX_RECORDS = 1_000_000;

export function readTopics(r: Reader, value: unknown): Record<string, TopicSpec> {
  // Null-prototype: a topic named `__proto__` or `constructor` is a topic like any other.
  const topics = Object.create(null) as Record<string, TopicSpec>;
  if (value === undefined) return topics;
  const obj = r.object(value, '$.topics', 'an object of topics by name');
  if (obj === null) return topics;
  for (const name of Object.keys(obj).sort()) {
    const path = child('$.topics', name);
    const topic = r.object(obj[name], path, 'a topic: {"partitions": n, "records": [...]}');
    if (topic === null) continue;
    r.onlyKeys(topic, path, ['partitions', 'records', 'generator']);
    const partitions = r.int(topic, 'partitions', path, { min: 1, max: MAX_PARTITIONS }, 1);
    if (partitions === null) continue;
    if (topic['generator'] !== undefined) {
      if (topic['records'] !== undefined) r.issue(child(path, 'records'), 'a topic has either records or a generator, not both');
      const generator = readGenerator(r, topic['generator'], child(path, 'generator'));
      if (generator !== null) topics[name] = { name, partitions, records: Array.from({ length: partitions }, () => []), generator };
      continue;
    }
    const list = topic['records'] === undefined ? [] : r.list(topic['records'], child(path, 'records'));
    if (list === null) continue;
    if (list.length > MAX_RECORDS) {
      r.issue(child(path, 'records'), `at most ${MAX_RECORDS} records, found ${list.length}`);
      continue;
    }
    const byPartition: TopicRecordSpec[][] = Array.from({ length: partitions }, () => []);
    list.forEach((raw, i) => {
      const recordPath = child(child(path, 'records'), i);
      const rec = r.object(raw, recordPath, 'a record: {"value": …, "timestamp": t, "at": t}');
      if (rec === null) return;
      r.onlyKeys(rec, recordPath, ['partition', 'key', 'value', 'timestamp', 'at']);
      if (!('value' in rec)) return r.issue(recordPath, "missing required field 'value'");
      const key = (rec['key'] ?? null) as JsonValue;
      const fallback = key === null ? 0 : stableHash32(key) % partitions;
      const partition = r.int(rec, 'partition', recordPath, { min: 0, max: partitions - 1 }, fallback);
      const timestamp = r.int(rec, 'timestamp', recordPath, { min: -MAX_TIME_MS, max: MAX_TIME_MS }, null);
      const at = r.int(rec, 'at', recordPath, { min: 0, max: MAX_TIME_MS }, 0);
      if (partition === null || at === null) return;
      const log = byPartition[partition]!;
      const previous = log[log.length - 1];
      if (previous !== undefined && at < previous.at) {
        return r.issue(child(recordPath, 'at'), `partition ${partition} is append-only: this record is appended at ${at}, after one appended at ${previous.at}`);
      }
      log.push({ partition, key, value: rec['value'] as JsonValue, timestamp, at });
    });
    topics[name] = { name, partitions, records: byPartition, generator: null };
  }
  return topics;
}

function readGenerator(r: Reader, value: unknown, path: string): TopicGeneratorSpec | TaxiGeneratorSpec | null {
  const obj = r.object(value, path, 'a generator such as {"count": 1000, "interval": 10, "keys": 5}');
  if (obj === null) return null;
  if (obj['type'] !== undefined) return readTaxiGenerator(r, obj, path);
  r.onlyKeys(obj, path, ['count', 'interval', 'keys', 'outOfOrderness', 'value', 'peaks']);
  const count = r.int(obj, 'count', path, { min: 0, max: MAX_RECORDS });
  const intervalMs = r.int(obj, 'interval', path, { min: 0, max: 3_600_000 }, 1);
  const keys = r.int(obj, 'keys', path, { min: 1, max: 1_000_000 }, 1);
  const outOfOrdernessMs = r.int(obj, 'outOfOrderness', path, { min: 0, max: 3_600_000_000 }, 0);
  const source = r.string(obj, 'value', path, '{key: key, i: i}');
  if (source !== null) {
    try {
      const { fields } = compileExpression(source, { bindings: GENERATOR_BINDINGS });
      // A generated record has no value yet to read fields of: such a read fails on every record.
      if (fields.length > 0) {
        r.issue(child(path, 'value'), `a generator's value sees only the names ${GENERATOR_BINDINGS.join(', ')} (there is no record to read fields of yet), found ${fields.map((f) => `'${f}'`).join(', ')}`);
        return null;
      }
    } catch (e) {
      if (!(e instanceof ExprSyntaxError)) throw e;
      r.issue(child(path, 'value'), `generator value does not parse: ${e.message}`);
      return null;
    }
  }
  const peaks = readPeaks(r, obj['peaks'], child(path, 'peaks'));
  if (count !== null && peaks !== null && count + peaks.reduce((n, p) => n + p.count, 0) > MAX_RECORDS) {
    r.issue(child(path, 'peaks'), `a generator makes at most ${MAX_RECORDS} records, with its peaks; found ${count + peaks.reduce((n, p) => n + p.count, 0)}`);
    return null;
  }
  if (count === null || intervalMs === null || keys === null || outOfOrdernessMs === null || source === null || peaks === null) return null;
  return { count, intervalMs, keys, outOfOrdernessMs, value: source, peaks };
}

/** The generator types besides the generic one (which has no `type`). */
const GENERATOR_TYPES = ['taxi-rides', 'taxi-fares'] as const;
/**
 * At most this many rides: 200,000 ride events, generated in about two seconds. The course's
 * rides start 20 s apart, so this is 23 days of taxi traffic.
 */
export const MAX_TAXI_RIDES = 100_000;

/** `{"type": "taxi-rides" | "taxi-fares", "count": n}`: the training course's data (docs/training.md). */
function readTaxiGenerator(r: Reader, obj: Record<string, unknown>, path: string): TaxiGeneratorSpec | null {
  const type = obj['type'];
  if (type !== 'taxi-rides' && type !== 'taxi-fares') {
    r.issue(child(path, 'type'), `unknown generator type ${JSON.stringify(type)} (known: ${GENERATOR_TYPES.join(', ')}; or no type for the generic generator)`);
    return null;
  }
  r.onlyKeys(obj, path, ['type', 'count']);
  const count = r.int(obj, 'count', path, { min: 1, max: MAX_TAXI_RIDES });
  return count === null ? null : { type, count };
}

/** `peaks`: a list of {"at": ms, "count": n}, each n records appended at once at that time. */
function readPeaks(r: Reader, value: unknown, path: string): { atMs: number; count: number }[] | null {
  if (value === undefined) return [];
  const list = r.list(value, path);
  if (list === null) return null;
  if (list.length > 1000) {
    r.issue(path, `at most 1000 peaks, found ${list.length}`);
    return null;
  }
  const peaks: { atMs: number; count: number }[] = [];
  let ok = true;
  list.forEach((item, i) => {
    const at = child(path, i);
    const peak = r.object(item, at, 'a peak such as {"at": 2000, "count": 500}');
    if (peak === null) return void (ok = false);
    r.onlyKeys(peak, at, ['at', 'count']);
    const atMs = r.int(peak, 'at', at, { min: 0, max: 3_600_000_000 });
    const count = r.int(peak, 'count', at, { min: 1, max: MAX_RECORDS });
    if (atMs === null || count === null) ok = false;
    else peaks.push({ atMs, count });
  });
  return ok ? peaks : null;
}
