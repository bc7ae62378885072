// The examples in the docs are what a new user copies first: they must validate as written.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { formatIssue, validateScenario } from '../../core/index.ts';

it("docs/expressions.md's first example operators validate (timestamp beside watermarks, not inside)", () => {
  const doc = readFileSync(new URL('../../docs/expressions.md', import.meta.url), 'utf8');
  const block = /```jsonc\n([\s\S]*?)```/.exec(doc)![1]!;
  const operators = block.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(operators.map((o) => o['id'])).toEqual(['triple', 'drop', 'byKey', 'src']);
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'docs example',
      topics: { events: { records: [{ value: { ts: 5 }, timestamp: 5 }] } },
      job: {
        operators: [
          { id: 'numbers', type: 'sequence', items: [{ value: { key: 'a', value: 1 }, timestamp: 1 }] },
          ...operators,
          { id: 'out1', type: 'sink', input: 'byKey', sink: { type: 'print' } },
          { id: 'out2', type: 'sink', input: 'src', sink: { type: 'print' } },
        ],
      },
    },
    'docs/expressions.md',
  );
  expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual([]);
});

it('the operator id rule in docs/scenario-format.md matches the validator: ASCII letters only', () => {
  const doc = readFileSync(new URL('../../docs/scenario-format.md', import.meta.url), 'utf8');
  expect(doc).toMatch(/`id` \(ASCII letters/);
  const withId = (id: string) =>
    validateScenario({ format: 'weir/scenario@1', name: 'n', job: { operators: [{ id, type: 'sequence', items: [] }, { id: 'o', type: 'sink', input: id, sink: { type: 'print' } }] } }, 'f.json');
  expect(withId('Zaehler_1-a').ok).toBe(true);
  const r = withId('zähler');
  expect(r.ok ? [] : r.issues.map(formatIssue)).toContainEqual(expect.stringMatching(/operator ids are ASCII letters \(A-Z, a-z\)/));
});
