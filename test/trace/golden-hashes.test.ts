/**
 * The trace hash of every shipped scenario (seed 0, trace level full), pinned. A change that
 * keeps behaviour (a faster state backend, timer queue or window path) must keep every one;
 * a change that moves them (an encoding change, a semantic fix) updates this file in the same
 * commit and says why. Regenerate with `WEIR_UPDATE_GOLDEN=1 npx vitest run test/trace/golden-hashes.test.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSimulation, parseScenarioText } from '../../core/index.ts';

const dir = join(import.meta.dirname, '../../scenarios');
const goldenFile = join(import.meta.dirname, 'golden-hashes.json');
const golden = JSON.parse(readFileSync(goldenFile, 'utf8')) as Record<string, string>;
const update = process.env['WEIR_UPDATE_GOLDEN'] === '1';
const seen: Record<string, string> = {};

function shipped(): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.json')) files.push(entry.name);
    else if (entry.isDirectory()) for (const f of readdirSync(join(dir, entry.name))) if (f.endsWith('.json')) files.push(`${entry.name}/${f}`);
  }
  return files.sort();
}

describe('golden trace hashes', () => {
  for (const name of shipped()) {
    it(`${name} (seed 0, full) keeps its trace hash`, () => {
      const parsed = parseScenarioText(readFileSync(join(dir, name), 'utf8'), name, { client: { parallelism: null } });
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      const sim = createSimulation({ scenario: parsed.scenario, seed: 0, traceLevel: 'full' });
      sim.run();
      const hash = sim.report().traceHash;
      seen[name] = hash;
      if (!update) expect(hash, `${name} has no pinned hash or a different one: if the change means to move it, regenerate (see the file's comment)`).toBe(golden[name]);
    });
  }
  // Two different runs with one hash would mean the trace leaves out something that differs
  // between them (it once left out where attempts are deployed and which table row a sink wrote).
  it('no two shipped scenarios share a pinned hash', () => {
    const byHash = new Map<string, string[]>();
    for (const [name, hash] of Object.entries(golden)) byHash.set(hash, [...(byHash.get(hash) ?? []), name]);
    expect([...byHash.values()].filter((names) => names.length > 1)).toEqual([]);
  });
  afterAll(() => {
    if (update) writeFileSync(goldenFile, JSON.stringify(seen, Object.keys(seen).sort(), 2) + '\n');
  });
});
