// The scenario editor's drafts in IndexedDB (fake-indexeddb): the migration from version 1
// that adds the drafts store and keeps the saved settings, a round trip, and damaged drafts
// listed apart instead of breaking the load.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { storageOpener } from './storage-helpers.ts';
import { asSavedDraft, DB_VERSION, MIGRATIONS } from '../../playground/src/storage/schema.ts';

const { freshName, open } = storageOpener('weir-test-drafts');

describe('drafts', () => {
  it('the upgrade from version 1 adds the drafts (and branches) stores and keeps the last opened scenario', async () => {
    const name = freshName();
    const v1 = await open(name, MIGRATIONS.slice(0, 1));
    expect(v1.version).toBe(1);
    await v1.saveLastOpened({ scenario: 'late-data', seed: 5 });
    expect(await v1.loadDrafts()).toEqual({ drafts: [], damaged: [] });
    v1.close();
    const v2 = await open(name);
    expect(v2.version).toBe(DB_VERSION);
    expect(await v2.loadLastOpened()).toEqual({ scenario: 'late-data', seed: 5 });
    expect(await v2.loadDrafts()).toEqual({ drafts: [], damaged: [] });
    v2.close();
    const raw = await openDB(name);
    expect([...raw.objectStoreNames]).toEqual(['branches', 'drafts', 'settings']);
    raw.close();
  });

  it('round-trips drafts by scenario name, and deletes one', async () => {
    const name = freshName();
    const first = await open(name);
    await first.saveDraft({ scenario: 'late-data', text: '{"a": 1}' });
    await first.saveDraft({ scenario: 'training/hourly-tips', text: '{}' });
    await first.saveDraft({ scenario: 'late-data', text: '{"a": 2}' });
    first.close();
    const second = await open(name);
    expect(await second.loadDrafts()).toEqual({
      drafts: [
        { scenario: 'late-data', text: '{"a": 2}' },
        { scenario: 'training/hourly-tips', text: '{}' },
      ],
      damaged: [],
    });
    await second.deleteDraft('late-data');
    await second.deleteDraft('never-saved');
    expect((await second.loadDrafts()).drafts.map((d) => d.scenario)).toEqual(['training/hourly-tips']);
  });

  it('lists a damaged draft apart and reads the others', async () => {
    const name = freshName();
    (await open(name)).close();
    const raw = await openDB(name, DB_VERSION);
    await raw.put('drafts', { scenario: 'late-data', text: 42 }, 'late-data');
    await raw.put('drafts', 'not a draft', 'backpressure');
    await raw.put('drafts', { scenario: 'other-name', text: '{}' }, 'idle-partition');
    await raw.put('drafts', { scenario: 'hello-map-filter', text: '{}' }, 'hello-map-filter');
    raw.close();
    const storage = await open(name);
    expect(await storage.loadDrafts()).toEqual({
      drafts: [{ scenario: 'hello-map-filter', text: '{}' }],
      damaged: ['backpressure', 'idle-partition', 'late-data'],
    });
  });

  it('accepts only well-formed drafts', () => {
    expect(asSavedDraft({ scenario: 'a', text: '{}' }, 'a')).toEqual({ scenario: 'a', text: '{}' });
    expect(asSavedDraft({ scenario: 'a', text: '{}' }, 'b')).toBeNull();
    expect(asSavedDraft({ scenario: '', text: '{}' }, '')).toBeNull();
    expect(asSavedDraft({ scenario: 'a' }, 'a')).toBeNull();
    expect(asSavedDraft(null, 'a')).toBeNull();
  });
});
