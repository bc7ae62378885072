/**
 * Key/value tables that idempotent sinks upsert into, like a database table with a primary
 * key (Flink's JDBC sink in upsert mode, or Cassandra). Writing the same record twice leaves
 * the same row: that is why an idempotent sink is exactly-once in effect although records
 * replayed after a restore are written again, provided the key and the value are
 * deterministic. Keys are strings; a key that is not a string is stored by its JSON text.
 *
 * Rows live in maps, never in plain objects, so that a key such as `__proto__` is a row
 * like any other.
 */
import { canonicalJson, type JsonValue } from '../model/index.ts';

export class Tables {
  readonly #tables = new Map<string, Map<string, JsonValue>>();

  /** Makes sure the table shows up in the report even if nothing is written to it. */
  declare(table: string): void {
    if (!this.#tables.has(table)) this.#tables.set(table, new Map());
  }

  upsert(table: string, key: JsonValue, value: JsonValue): void {
    this.declare(table);
    this.#tables.get(table)!.set(rowKey(key), value);
  }

  /** Table names in sorted order, each with its rows in key order. */
  entries(): [string, [string, JsonValue][]][] {
    return [...this.#tables.entries()].sort(([a], [b]) => compare(a, b)).map(([name, rows]) => [name, [...rows.entries()].sort(([a], [b]) => compare(a, b))]);
  }
}

/** The row key of a record's key: a string as it is, anything else as its canonical JSON. */
export function rowKey(key: JsonValue): string {
  return typeof key === 'string' ? key : canonicalJson(key);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
