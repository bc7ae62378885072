// Opening the playground's storage in Node tests (fake-indexeddb), each database closed
// after its test.
import { afterEach } from 'vitest';
import { openStorage, type WeirStorage } from '../../playground/src/storage/db.ts';
import type { Migration } from '../../playground/src/storage/schema.ts';

/** A fresh database name per call, with `prefix`, and `open` that closes what it opened after each test. */
export function storageOpener(prefix: string): { freshName: () => string; open: (name: string, migrations?: readonly Migration[]) => Promise<WeirStorage> } {
  let counter = 0;
  const opened: WeirStorage[] = [];
  afterEach(() => {
    for (const storage of opened.splice(0)) storage.close();
  });
  return {
    freshName: () => `${prefix}-${++counter}`,
    async open(name, migrations) {
      const result = await openStorage({ indexedDB, name, ...(migrations ? { migrations } : {}) });
      if (!result.ok) throw new Error(`storage refused: ${result.message}`);
      opened.push(result.storage);
      return result.storage;
    },
  };
}
