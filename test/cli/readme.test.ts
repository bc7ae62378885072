// Every `weir run`, `weir list` and `weir validate` line of the README works as written,
// through the command's own entry function (weir check and weir bench have their own tests).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/entry.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const commands = [...readme.matchAll(/^npx weir ([^#\n]+?)\s*(?:#.*)?$/gm)].map((m) => m[1]!.split(/\s+/));

describe('the README commands', () => {
  it('lists the ones this test runs', () => {
    expect(commands.filter((c) => c[0] === 'run').length).toBeGreaterThanOrEqual(4);
  });

  for (const args of commands.filter((c) => c[0] === 'run' || c[0] === 'list' || c[0] === 'validate')) {
    it(`weir ${args.join(' ')}`, async () => {
      let err = '';
      const resolved = args.map((a) => (a.startsWith('scenarios/') ? join(ROOT, a) : a));
      const code = await main(resolved, { out: () => {}, err: (t) => void (err += t) });
        // `my-scenario.json` stands for the reader's own file: it is not in the checkout.
      if (args[1] === 'my-scenario.json') {
        expect(code).toBe(2);
        expect(err).toBe('my-scenario.json: cannot read the file: no such file\n');
      } else {
        expect(err).toBe('');
        expect(code).toBe(0);
      }
    });
  }
});
