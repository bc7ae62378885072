/**
 * The JSON examples of docs/windows.md are valid: each fragment with an `assigner` reads
 * as a window operator's fields without a problem, and the complete scenario validates. A
 * teacher copies these; a typo in them would teach a mistake.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createSimulation, validateScenario } from '../../../core/index.ts';
import { readWindowFields } from '../../../core/api/scenario/read-window.ts';
import { Reader } from '../../../core/api/scenario/reader.ts';

const docs = readFileSync(new URL('../../../docs/windows.md', import.meta.url), 'utf8');
const blocks = [...docs.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
const parsed = blocks.map((text) => JSON.parse(text.startsWith('"') ? `{${text}}` : text) as Record<string, unknown>);

describe('docs/windows.md examples', () => {
  test('there are examples of every new part', () => {
    const all = blocks.join('\n');
    for (const part of ['"global"', '"count", "size"', '"dynamicGap"', '"stagger"', '"continuous-event-time"', '"delta"', '"evictor"', '"process"', '"initial"']) expect(all).toContain(part);
  });

  test.each(parsed.filter((p) => 'assigner' in p && !('format' in p)).map((p, i) => [i, p] as const))('window fields example %i reads without a problem', (_i, fields) => {
    const r = new Reader('docs/windows.md');
    const all = fields['type'] === 'windowAll';
    const config = readWindowFields(r, { aggregate: 'count', ...fields }, '$', 'example', all);
    expect(r.issues).toEqual([]);
    expect(config).not.toBeNull();
  });

  test('the complete scenario validates', () => {
    const scenarios = parsed.filter((p) => 'format' in p);
    expect(scenarios.length).toBeGreaterThan(0);
    for (const s of scenarios) expect(validateScenario(s, 'docs/windows.md').ok).toBe(true);
  });

  test('the aggregate function job prints what the text says it prints', () => {
    const job = parsed.find((p) => p['name'] === 'Average speed per session');
    const result = validateScenario(job, 'docs/windows.md');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const sim = createSimulation({ scenario: result.scenario });
    sim.run();
    const printed = sim.report().sinks['out']!.committed.map((r) => JSON.stringify(r.value));
    const said = docs.slice(docs.indexOf('"Average speed per session"'));
    const stated = [...said.slice(said.indexOf('The sink prints'), said.indexOf('\n\n', said.indexOf('The sink prints'))).matchAll(/`(\{[^`]*\})`/g)].map((m) => m[1]);
    expect(stated).toHaveLength(3);
    expect(printed).toEqual(stated);
  });
});
