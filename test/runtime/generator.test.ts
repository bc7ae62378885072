// Generated topics: made from the run's seed, so the same seed gives the same records and
// another seed gives other data with the same shape.
import { describe, expect, it } from 'vitest';
import { createSimulation, formatIssue, validateScenario, type JsonValue } from '../../core/index.ts';

const scenario = (generator: Record<string, JsonValue>, partitions = 2) =>
  validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'generated',
      topics: { t: { partitions, generator } },
      job: { operators: [{ id: 's', type: 'source', topic: 't', watermarks: { strategy: 'monotonous' } }, { id: 'out', type: 'sink', input: 's', sink: { type: 'print' } }] },
    } as JsonValue,
    'gen.json',
  );

function records(seed: number, generator: Record<string, JsonValue>) {
  const result = scenario(generator);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: result.scenario, seed });
  sim.run();
  return sim.report().sinks['out']!.committed;
}

describe('topic generators', () => {
  const gen = { count: 200, interval: 5, keys: 4, outOfOrderness: 30, value: '{key: key, i: i, v: r % 10, at: at}' };

  it('makes count records with keys, append times and bounded lag as declared', () => {
    const out = records(1, gen);
    expect(out).toHaveLength(200);
    for (const r of out) {
      const v = r.value as { key: string; i: number; v: number; at: number };
      expect(['k0', 'k1', 'k2', 'k3']).toContain(v.key);
      expect(v.at).toBe(v.i * 5);
      expect(v.at - r.timestamp!).toBeGreaterThanOrEqual(0);
      expect(v.at - r.timestamp!).toBeLessThanOrEqual(30);
      expect(v.v).toBeGreaterThanOrEqual(0);
      expect(v.v).toBeLessThan(10);
    }
  });

  it('is a function of the seed', () => {
    expect(records(7, gen)).toEqual(records(7, gen));
    expect(records(8, gen)).not.toEqual(records(7, gen));
  });

  it('reports a bad generator with its path', () => {
    const bad = scenario({ count: -1, value: 'key +' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      const text = bad.issues.map(formatIssue).join('\n');
      expect(text).toMatch(/gen\.json: \$\.topics\.t\.generator\.count: must be between 0 and/);
      expect(text).toMatch(/gen\.json: \$\.topics\.t\.generator\.value: generator value does not parse: column/);
    }
  });
});
