import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenarioText } from '../../core/index.ts';
import { timeScenarioRun } from '../../bench/scenario-run.ts';

const root = join(import.meta.dirname, '../..');

describe('the scenario benchmark', () => {
  it('runs a scenario file as weir run does: same trace hash, its trace events and its sink records counted, timed by the clock it is given', () => {
    const file = join(root, 'scenarios/late-data.json');
    const text = readFileSync(file, 'utf8');
    let clock = 0;
    const r = timeScenarioRun(text, file, 'full', () => (clock += 5));
    const parsed = parseScenarioText(text, file, { client: { parallelism: null } });
    if (!parsed.ok) throw new Error('late-data.json does not parse');
    const sim = createSimulation({ scenario: parsed.scenario, traceLevel: 'full' });
    sim.run();
    const report = sim.report();
    expect(r.traceHash).toBe(report.traceHash);
    expect(r.traceEvents).toBe(sim.trace.count);
    expect(r.records).toBe(Object.values(report.sinks).reduce((n, s) => n + s.committed.length, 0));
    expect(r.records).toBeGreaterThan(0);
    expect(r.ms).toBe(5);
    expect(r.status).toBe('FINISHED');
  });

  it('refuses a scenario with a mistake, naming the file', () => {
    expect(() => timeScenarioRun('{"format": "weir/scenario@1"}', 'bad.json', 'summary', () => 0)).toThrow(/bad\.json/);
  });

  it('ships a benchmark scenario of 100,000 records that validates', () => {
    const file = join(root, 'bench/scenarios/windowed-100k.json');
    const parsed = parseScenarioText(readFileSync(file, 'utf8'), file, { client: { parallelism: null } });
    expect(parsed.ok).toBe(true);
  });
});
