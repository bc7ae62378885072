/**
 * The trace says where each attempt is deployed (the DEPLOYING task.status names its slot)
 * and which row an upsert went to, so two runs that differ only there have different
 * trace hashes: the hash identifies the run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenarioText, type JsonValue } from '../../core/index.ts';

const dir = join(import.meta.dirname, '../../scenarios');

function run(name: string, change: (s: Record<string, JsonValue>) => void = () => undefined) {
  const raw = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, JsonValue>;
  change(raw);
  const parsed = parseScenarioText(JSON.stringify(raw), name);
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  const sim = createSimulation({ scenario: parsed.scenario, seed: 0, traceLevel: 'full' });
  sim.run();
  return sim;
}

describe('placement and rows are in the trace', () => {
  it('DEPLOYING names the slot; with one slot per TaskManager the subtasks spread over more TaskManagers, and the hash differs', () => {
    const two = run('checkpoint-recovery.json', (s) => (s['cluster'] = { taskManagers: 2, slotsPerTaskManager: 2 }));
    const one = run('checkpoint-recovery.json', (s) => (s['cluster'] = { taskManagers: 2, slotsPerTaskManager: 1 }));
    const slots = (sim: ReturnType<typeof run>) => sim.trace.events.flatMap((e) => (e.tag === 'task.status' && e.status === 'DEPLOYING' ? [`${e.task}@${e.slot}`] : []));
    expect(slots(two)).toContain('clicks#1@tm-1/slot-1');
    expect(slots(one)).toContain('clicks#1@tm-2/slot-0');
    expect(slots(one).length).toBe(slots(two).length);
    expect(one.report().traceHash).not.toBe(two.report().traceHash);
  });

  it('an upsert names its table and row', () => {
    const sim = run('idempotent-sink.json');
    const writes = sim.trace.events.filter((e) => e.tag === 'sink.wrote');
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) {
      if (w.tag !== 'sink.wrote') continue;
      const v = w.value as { key: string; window: { start: number } };
      expect(w.table).toBe('counts');
      expect(w.row).toBe(`${v.key}@${v.window.start}`);
    }
  });
});
