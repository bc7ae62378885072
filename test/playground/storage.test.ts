// The playground's IndexedDB storage, in Node with fake-indexeddb: a round trip, the
// migration from an empty database, an upgrade that keeps data, and every kind of refusal.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { openStorage } from '../../playground/src/storage/db.ts';
import { storageOpener } from './storage-helpers.ts';
import { DB_NAME, DB_VERSION, MIGRATIONS, asLastOpened, type Migration } from '../../playground/src/storage/schema.ts';

const { freshName, open } = storageOpener('weir-test-storage');

describe('schema', () => {
  it('is version 3 of the database named weir, one migration per version', () => {
    expect(DB_NAME).toBe('weir');
    expect(DB_VERSION).toBe(3);
    expect(MIGRATIONS).toHaveLength(DB_VERSION);
  });

  it('accepts only well-formed lastOpened values', () => {
    expect(asLastOpened({ scenario: 'a', seed: -3 })).toEqual({ scenario: 'a', seed: -3 });
    expect(asLastOpened({ scenario: 'a', seed: 1.5 })).toBeNull();
    expect(asLastOpened({ scenario: '', seed: 1 })).toBeNull();
    expect(asLastOpened('hello')).toBeNull();
    expect(asLastOpened(undefined)).toBeNull();
  });
});

describe('openStorage', () => {
  it('creates the settings, drafts and branches stores in an empty database (migrations 0 -> 1 -> 2 -> 3)', async () => {
    const name = freshName();
    const storage = await open(name);
    expect(storage.version).toBe(3);
    expect(await storage.loadLastOpened()).toBeNull();
    storage.close();
    const raw = await openDB(name);
    expect([...raw.objectStoreNames]).toEqual(['branches', 'drafts', 'settings']);
    expect(raw.version).toBe(3);
    raw.close();
  });

  it('round-trips the last opened scenario and seed', async () => {
    const name = freshName();
    const first = await open(name);
    await first.saveLastOpened({ scenario: 'orders-by-customer', seed: 42 });
    await first.saveLastOpened({ scenario: 'hello-map-filter', seed: -7 });
    first.close();
    const second = await open(name);
    expect(await second.loadLastOpened()).toEqual({ scenario: 'hello-map-filter', seed: -7 });
  });

  it('keeps saved settings through an upgrade to a later version', async () => {
    const name = freshName();
    const v1 = await open(name);
    await v1.saveLastOpened({ scenario: 'hello-map-filter', seed: 9 });
    v1.close();
    const addRuns: Migration = (db) => {
      db.createObjectStore('runs', { autoIncrement: true });
    };
    const v2 = await open(name, [...MIGRATIONS, addRuns]);
    expect(v2.version).toBe(DB_VERSION + 1);
    expect(await v2.loadLastOpened()).toEqual({ scenario: 'hello-map-filter', seed: 9 });
    v2.close();
    const raw = await openDB(name);
    expect([...raw.objectStoreNames].sort()).toEqual(['branches', 'drafts', 'runs', 'settings']);
    raw.close();
  });

  it('runs every migration in order for a browser that never saw Weir', async () => {
    const seen: number[] = [];
    const migrations: Migration[] = [
      (db) => {
        seen.push(1);
        MIGRATIONS[0]?.(db, undefined as never);
      },
      () => seen.push(2),
      () => seen.push(3),
    ];
    const storage = await open(freshName(), migrations);
    expect(storage.version).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('reads damaged settings as none', async () => {
    const name = freshName();
    (await open(name)).close();
    const raw = await openDB(name, DB_VERSION);
    await raw.put('settings', { scenario: 42 }, 'lastOpened');
    raw.close();
    expect(await (await open(name)).loadLastOpened()).toBeNull();
  });

  it('reports a browser with no IndexedDB as a refusal', async () => {
    const result = await openStorage({ indexedDB: undefined });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('no IndexedDB') });
  });

  it('reports an open that throws (e.g. SecurityError) as a refusal', async () => {
    const refusing = {
      open() {
        throw new DOMException('access to IndexedDB is denied', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const result = await openStorage({ indexedDB: refusing });
    expect(result).toEqual({ ok: false, message: 'SecurityError: access to IndexedDB is denied' });
  });

  it('reports an open that fails (a failing migration) as a refusal and keeps the old data', async () => {
    const name = freshName();
    const v1 = await open(name);
    await v1.saveLastOpened({ scenario: 'hello-map-filter', seed: 5 });
    v1.close();
    const broken: Migration = () => {
      throw new Error('boom');
    };
    const result = await openStorage({ indexedDB, name, migrations: [...MIGRATIONS, broken] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('boom');
    expect(await (await open(name)).loadLastOpened()).toEqual({ scenario: 'hello-map-filter', seed: 5 });
  });

  it('refuses a database newer than this build instead of touching it', async () => {
    const name = freshName();
    const raw = await openDB(name, DB_VERSION + 1, { upgrade: (db) => void db.createObjectStore('settings') });
    raw.close();
    const result = await openStorage({ indexedDB, name });
    expect(result.ok).toBe(false);
  });

  it('gives up on an open that never answers', async () => {
    const silent = { open: () => new EventTarget() } as unknown as IDBFactory;
    const timers: (() => void)[] = [];
    const pending = openStorage({ indexedDB: silent, timeoutMs: 50, setTimeout: (callback) => timers.push(callback) });
    expect(timers).toHaveLength(1);
    timers[0]?.();
    expect(await pending).toEqual({ ok: false, message: 'opening storage took longer than 50 ms' });
  });

  it('tells the page when another tab upgrades the database', async () => {
    const name = freshName();
    const lost: string[] = [];
    const result = await openStorage({ indexedDB, name, onLost: (message) => lost.push(message) });
    expect(result.ok).toBe(true);
    const newer = await openDB(name, DB_VERSION + 1);
    expect(newer.version).toBe(DB_VERSION + 1);
    newer.close();
    expect(lost).toEqual([expect.stringContaining('another tab')]);
  });
});
