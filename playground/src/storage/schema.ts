/**
 * The playground's IndexedDB schema, written as a list of migrations.
 *
 * Migration `i` takes a database from version `i` to version `i + 1`, so the current
 * version is simply `MIGRATIONS.length`. A browser that last saw version 1 runs only the
 * migrations after it; a browser that never saw Weir runs them all. Migrations only ever
 * add (stores, indexes, derived records): nothing a user saved is deleted by an upgrade.
 * To change the shape of old records, copy them into a new store and leave the old one.
 */
import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';
import { asBranchHistory, type BranchHistory } from '../lib/branches.ts';

/** The database's name in the origin's IndexedDB. */
export const DB_NAME = 'weir';

/** What was last opened in the playground: restored when the page opens without an address. */
export interface LastOpened {
  /** The scenario's name: the base name of its file in `scenarios/`. */
  scenario: string;
  seed: number;
}

/** The keys of the `settings` store and the type of value each holds. */
export interface Settings {
  lastOpened: LastOpened;
}

export type SettingKey = keyof Settings;

/**
 * A scenario edited in the playground: the text of its draft (well-formed JSON, not
 * necessarily a valid scenario), kept under the shipped scenario's name.
 */
export interface SavedDraft {
  /** The shipped scenario the draft was made from (its name, as `LastOpened.scenario`). */
  scenario: string;
  text: string;
}

/** The tree of fault plans tried on one scenario (lib/branches.ts), kept under the scenario's name. */
export interface SavedBranches {
  scenario: string;
  history: BranchHistory;
}

/**
 * Version 1: one key/value store of settings (out-of-line string keys).
 * Version 2: adds `drafts`, the edited scenarios, keyed by scenario name.
 * Version 3: adds `branches`, the tree of fault plans tried per scenario, keyed by scenario name.
 */
export interface WeirSchema extends DBSchema {
  settings: { key: SettingKey; value: Settings[SettingKey] };
  drafts: { key: string; value: SavedDraft };
  branches: { key: string; value: SavedBranches };
}

/** One step of the schema. It gets the upgrade transaction, to read and copy old data. */
export type Migration = (
  db: IDBPDatabase<unknown>,
  transaction: IDBPTransaction<unknown, string[], 'versionchange'>,
) => void;

export const MIGRATIONS: readonly Migration[] = [
  // 0 -> 1: the settings store.
  (db) => {
    if (!db.objectStoreNames.contains('settings')) db.createObjectStore('settings');
  },
  // 1 -> 2: the scenario editor's drafts (settings stay as they are).
  (db) => {
    if (!db.objectStoreNames.contains('drafts')) db.createObjectStore('drafts');
  },
  // 2 -> 3: the fault plans tried per scenario (drafts and settings stay as they are).
  (db) => {
    if (!db.objectStoreNames.contains('branches')) db.createObjectStore('branches');
  },
];

/** The schema version this build of the playground opens. */
export const DB_VERSION = MIGRATIONS.length;

/**
 * Runs the migrations from `oldVersion` up to `newVersion`, in order.
 *
 * @example
 * upgrade(db, oldVersion, newVersion, tx) { runMigrations(MIGRATIONS, db, tx, oldVersion, newVersion ?? DB_VERSION); }
 */
export function runMigrations(
  migrations: readonly Migration[],
  db: IDBPDatabase<unknown>,
  transaction: IDBPTransaction<unknown, string[], 'versionchange'>,
  oldVersion: number,
  newVersion: number,
): void {
  if (newVersion > migrations.length) {
    throw new Error(`no migration to schema version ${newVersion} (this build knows ${migrations.length})`);
  }
  for (let version = oldVersion; version < newVersion; version++) {
    const migration = migrations[version];
    if (migration === undefined) throw new Error(`missing migration ${version} -> ${version + 1}`);
    migration(db, transaction);
  }
}

/** Checks a stored `lastOpened` value, which may come from another build or be damaged. */
export function asLastOpened(value: unknown): LastOpened | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { scenario, seed } = record;
  if (typeof scenario !== 'string' || scenario.length === 0) return null;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) return null;
  return { scenario, seed };
}

/** Largest draft text kept (characters): a draft is a scenario file, not a data set. */
export const MAX_DRAFT_CHARS = 5_000_000;

/** Checks a stored draft, which may come from another build or be damaged; `key` is its key in the store. */
export function asSavedDraft(value: unknown, key: unknown): SavedDraft | null {
  if (typeof value !== 'object' || value === null) return null;
  const { scenario, text } = value as Record<string, unknown>;
  if (typeof scenario !== 'string' || scenario.length === 0 || scenario !== key) return null;
  if (typeof text !== 'string' || text.length > MAX_DRAFT_CHARS) return null;
  return { scenario, text };
}

/** Checks a stored tree of fault plans; `key` is its key in the store. */
export function asSavedBranches(value: unknown, key: unknown): SavedBranches | null {
  if (typeof value !== 'object' || value === null) return null;
  const { scenario, history } = value as Record<string, unknown>;
  if (typeof scenario !== 'string' || scenario.length === 0 || scenario !== key) return null;
  const checked = asBranchHistory(history);
  return checked === null ? null : { scenario, history: checked };
}
