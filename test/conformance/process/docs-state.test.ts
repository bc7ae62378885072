/**
 * The JSON examples of docs/state.md are valid process operators that do what the page
 * says: the click counter with a TTL starts again for a user away longer than a minute,
 * and the aggregating average reads the mean of what was added.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { dsl, harness } from './helpers.ts';

const page = readFileSync(new URL('../../../docs/state.md', import.meta.url), 'utf8');
const blocks = [...page.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1]!);

describe('docs/state.md', () => {
  test('the click counter with a TTL of a minute counts again after a minute away', () => {
    const block = blocks.find((b) => b.includes('"visits"'))!;
    const [, visits] = JSON.parse(`[${block}]`) as Record<string, unknown>[];
    const { id: _id, type: _type, input: _input, ...fields } = visits!;
    const h = harness(dsl(fields), 'user');
    h.processElement({ user: 'ann' });
    h.setProcessingTime(30_000).processElement({ user: 'ann' });
    h.setProcessingTime(95_000).processElement({ user: 'ann' });
    expect(h.records().map((r) => r.value)).toEqual([
      { user: 'ann', clicksThisVisit: 1 },
      { user: 'ann', clicksThisVisit: 2 },
      { user: 'ann', clicksThisVisit: 1 },
    ]);
  });

  test('the aggregating average', () => {
    const block = blocks.find((b) => b.includes('"aggregating"'))!;
    const fields = JSON.parse(`{${block}}`) as Record<string, unknown>;
    const h = harness(dsl(fields));
    h.processElement({ key: 'a', amount: 2 }).processElement({ key: 'a', amount: 6 });
    expect(h.records().map((r) => r.value)).toEqual([
      { key: 'a', average: 2 },
      { key: 'a', average: 4 },
    ]);
  });
});
