/**
 * The playground's storage: IndexedDB through idb, opened with the migrations of
 * `schema.ts`. Browsers may refuse storage (private windows, disabled site data, sandboxed
 * frames, quota); then `openStorage` resolves to a refusal with a message and the page
 * carries on without it. The factory is passed in, so Node tests use fake-indexeddb.
 */
import { wrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { mergeHistories, type BranchHistory } from '../lib/branches.ts';
import {
  asLastOpened,
  asSavedBranches,
  asSavedDraft,
  DB_NAME,
  MIGRATIONS,
  runMigrations,
  type LastOpened,
  type Migration,
  type SavedDraft,
  type WeirSchema,
} from './schema.ts';

/** The saved drafts: those that read well, and the keys of those that do not (damaged, or from another build). */
export interface LoadedDrafts {
  drafts: SavedDraft[];
  damaged: string[];
}

export interface OpenStorageOptions {
  /** The browser's `indexedDB`, or undefined where there is none (or reading it threw). */
  indexedDB: IDBFactory | undefined;
  /** Database name; tests use their own. */
  name?: string;
  /** The schema's migrations; the version opened is their count. */
  migrations?: readonly Migration[];
  /** Give up on an open that neither succeeds nor fails within this time. */
  timeoutMs?: number;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  /** Called when an open connection is lost (another tab upgrades, or the browser closes it). */
  onLost?: (message: string) => void;
}

export type OpenStorageResult = { ok: true; storage: WeirStorage } | { ok: false; message: string };

const DEFAULT_TIMEOUT_MS = 5_000;

function describeError(error: unknown): string {
  if (error instanceof Error || (typeof DOMException !== 'undefined' && error instanceof DOMException)) {
    return error.message ? `${error.name}: ${error.message}` : error.name;
  }
  return String(error);
}

/**
 * Opens (creating or upgrading) the playground's database.
 *
 * @example
 * const opened = await openStorage({ indexedDB: window.indexedDB });
 * if (opened.ok) await opened.storage.saveLastOpened({ scenario: 'hello-map-filter', seed: 0 });
 */
export function openStorage(options: OpenStorageOptions): Promise<OpenStorageResult> {
  const factory = options.indexedDB;
  if (factory === undefined) {
    return Promise.resolve({ ok: false, message: 'this browser offers no IndexedDB here' });
  }
  const name = options.name ?? DB_NAME;
  const migrations = options.migrations ?? MIGRATIONS;
  const version = migrations.length;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const schedule = options.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms));

  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: OpenStorageResult): void => {
      if (settled) {
        // A late success after we gave up: do not hold a connection nobody uses.
        if (result.ok) result.storage.close();
        return;
      }
      settled = true;
      resolve(result);
    };

    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, version);
    } catch (error) {
      finish({ ok: false, message: describeError(error) });
      return;
    }

    let migrationError: unknown = null;
    request.addEventListener('upgradeneeded', (event) => {
      const transaction = request.transaction;
      if (transaction === null) return;
      const upgrade = wrap(transaction) as unknown as IDBPTransaction<unknown, string[], 'versionchange'>;
      // idb makes a `done` promise for every wrapped transaction; an aborted upgrade rejects
      // it, and the request's error event already reports that.
      upgrade.done.catch(() => undefined);
      try {
        runMigrations(migrations, wrap(request.result) as IDBPDatabase<unknown>, upgrade, event.oldVersion, event.newVersion ?? version);
      } catch (error) {
        migrationError = error;
        transaction.abort();
      }
    });
    request.addEventListener('blocked', () => {
      finish({ ok: false, message: 'another Weir tab holds an older version of the storage; close it and reload' });
    });
    request.addEventListener('error', (event) => {
      event.preventDefault();
      const cause = migrationError ?? request.error;
      finish({ ok: false, message: migrationError === null ? describeError(cause) : `upgrade failed: ${describeError(cause)}` });
    });
    request.addEventListener('success', () => {
      const raw = request.result;
      const db = wrap(raw) as unknown as IDBPDatabase<WeirSchema>;
      raw.addEventListener('versionchange', () => {
        // A newer playground in another tab wants to upgrade: step aside rather than block it.
        raw.close();
        options.onLost?.('a newer Weir opened in another tab; reload to keep saving settings');
      });
      raw.addEventListener('close', () => {
        options.onLost?.('the browser closed the storage');
      });
      finish({ ok: true, storage: new WeirStorage(db, raw.version) });
    });

    if (timeoutMs > 0) {
      schedule(() => finish({ ok: false, message: `opening storage took longer than ${timeoutMs} ms` }), timeoutMs);
    }
  });
}

/** An open connection to the playground's database. */
export class WeirStorage {
  readonly #db: IDBPDatabase<WeirSchema>;
  /** The schema version of the open database. */
  readonly version: number;

  constructor(db: IDBPDatabase<WeirSchema>, version: number) {
    this.#db = db;
    this.version = version;
  }

  /** The last opened scenario and seed, or null when none was saved (or it is unreadable). */
  async loadLastOpened(): Promise<LastOpened | null> {
    return asLastOpened(await this.#db.get('settings', 'lastOpened'));
  }

  async saveLastOpened(value: LastOpened): Promise<void> {
    await this.#db.put('settings', { scenario: value.scenario, seed: value.seed }, 'lastOpened');
  }

  /** Every saved draft; one that cannot be read is listed in `damaged` and left where it is. */
  async loadDrafts(): Promise<LoadedDrafts> {
    const loaded: LoadedDrafts = { drafts: [], damaged: [] };
    if (!this.#db.objectStoreNames.contains('drafts')) return loaded;
    let cursor = await this.#db.transaction('drafts').store.openCursor();
    while (cursor !== null) {
      const draft = asSavedDraft(cursor.value as unknown, cursor.key);
      if (draft === null) loaded.damaged.push(String(cursor.key));
      else loaded.drafts.push(draft);
      cursor = await cursor.continue();
    }
    return loaded;
  }

  async saveDraft(draft: SavedDraft): Promise<void> {
    await this.#db.put('drafts', { scenario: draft.scenario, text: draft.text }, draft.scenario);
  }

  async deleteDraft(scenario: string): Promise<void> {
    await this.#db.delete('drafts', scenario);
  }

  /**
   * The tree of fault plans tried on `scenario`: null when none was kept, 'damaged' when the
   * stored one cannot be read (it is left where it is, so a newer build may still read it).
   */
  async loadBranches(scenario: string): Promise<BranchHistory | null | 'damaged'> {
    if (!this.#db.objectStoreNames.contains('branches')) return null;
    const raw: unknown = await this.#db.get('branches', scenario);
    if (raw === undefined) return null;
    return asSavedBranches(raw, scenario)?.history ?? 'damaged';
  }

  /**
   * Keeps `history` for `scenario`, merged with what is stored (another tab may have added
   * plans since this one read it), in one transaction; resolves to the tree now stored.
   */
  async saveBranches(scenario: string, history: BranchHistory): Promise<BranchHistory> {
    const tx = this.#db.transaction('branches', 'readwrite');
    const stored = asSavedBranches((await tx.store.get(scenario)) as unknown, scenario);
    const merged = stored === null ? history : mergeHistories(history, stored.history);
    await tx.store.put({ scenario, history: merged }, scenario);
    await tx.done;
    return merged;
  }

  close(): void {
    this.#db.close();
  }
}
