/**
 * A sink's reference output, prepared once for the many runs a campaign judges against it.
 * The oracle compares outputs as multisets of records, and a multiset needs one key per
 * record: the value's canonical JSON text and the timestamp. Building that text is the
 * oracle's whole cost (object keys sorted, strings joined, for every record of every run),
 * so a run's record first looks for its key among the reference's records of the same
 * timestamp, by structural equality, which builds nothing; only a record the reference
 * never wrote (or one whose timestamp the reference has too many records at to try them
 * all) has its text built.
 *
 * The key found is exactly the key built: `jsonEqual` compares what `canonicalJson`
 * encodes (the same own keys, the same leaves), so two values it finds equal have the same
 * canonical text. Only the cost differs, never the verdict.
 */
import { canonicalJson, jsonEqual, type JsonValue } from '../model/index.ts';

/** A committed record, as the run report shows it. */
export interface OracleRecord {
  readonly value: JsonValue;
  readonly timestamp: number | null;
}

/**
 * At most this many distinct reference records of one timestamp are compared with a run's
 * record before its key is built instead: a job whose records share a timestamp (or have
 * none) would otherwise compare each record with all of them.
 */
export const MAX_CANDIDATES = 8;

// The value's canonical text, then the timestamp after a NUL (which canonical JSON text
// never holds raw): one key per record, without wrapping each record in another object.
export const keyOf = (r: OracleRecord): string => `${canonicalJson(r.value)}\u0000${r.timestamp}`;

interface Candidate {
  readonly value: JsonValue;
  readonly key: string;
}

/**
 * @example
 * const out = new ReferenceOutput([{ value: { key: 'k1', n: 2 }, timestamp: 99 }]);
 * out.keyOf({ value: { n: 2, key: 'k1' }, timestamp: 99 }); // '{"key":"k1","n":2}\u000099', without building it
 */
export class ReferenceOutput {
  /** Copies of each record, by key, in the order the reference first wrote them. */
  readonly counts = new Map<string, number>();
  /** The first record of each key, for examples. */
  readonly sample = new Map<string, OracleRecord>();
  /** Per timestamp, one record of each distinct key, while there are at most MAX_CANDIDATES. */
  readonly #candidates = new Map<number | null, Candidate[]>();

  constructor(records: readonly OracleRecord[]) {
    for (const r of records) {
      const k = keyOf(r);
      const n = this.counts.get(k);
      if (n !== undefined) {
        this.counts.set(k, n + 1);
        continue;
      }
      this.counts.set(k, 1);
      this.sample.set(k, r);
      let list = this.#candidates.get(r.timestamp);
      if (list === undefined) this.#candidates.set(r.timestamp, (list = []));
      list.push({ value: r.value, key: k });
    }
    for (const [timestamp, list] of this.#candidates) if (list.length > MAX_CANDIDATES) this.#candidates.delete(timestamp);
  }

  /** `keyOf(r)`, found among the reference's keys when the reference wrote an equal record. */
  keyOf(r: OracleRecord): string {
    const list = this.#candidates.get(r.timestamp);
    if (list !== undefined) {
      for (const c of list) if (jsonEqual(r.value, c.value)) return c.key;
    }
    return keyOf(r);
  }
}
