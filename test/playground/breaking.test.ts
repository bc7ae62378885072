// Faults added from the page are faults of the scenario format: they validate like a
// file's, and the run with one added is the run of the file with it in `faults`.
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario } from '../../core/index.ts';
import { describeFault, faultAt, withFaults } from '../../playground/src/lib/breaking.ts';
import { readFileSync } from 'node:fs';
import { SCENARIO_DIR } from '../scenarios/shipped.ts';

const data = JSON.parse(readFileSync(`${SCENARIO_DIR}/checkpoint-recovery.json`, 'utf8')) as { faults: unknown[] };

describe('breaking from the page', () => {
  it('writes each kind as the scenario format does, on the chain head operator of the subtask', () => {
    expect(faultAt('kill-task', 'counts#1', 1500)).toEqual({ type: 'kill-task', operator: 'counts', subtask: 1, at: 1500 });
    expect(faultAt('throw-in-operator', 'clicks#0', 10)).toEqual({ type: 'throw-in-operator', operator: 'clicks', subtask: 0, at: 10 });
    expect(faultAt('slow-task', 'my#op#3', 7)).toEqual({ type: 'slow-task', operator: 'my#op', subtask: 3, factor: 10, for: 1000, at: 7 });
    expect(describeFault(faultAt('kill-task', 'counts#1', 1500))).toBe('kill-task counts#1 at 1,500 ms');
  });

  it('appends to the plan without changing the file, and each kind validates and runs', () => {
    const kinds = ['kill-task', 'throw-in-operator', 'slow-task'] as const;
    for (const kind of kinds) {
      const added = withFaults(data, [faultAt(kind, 'counts#1', 1500)]) as { faults: unknown[] };
      expect(added.faults).toHaveLength(data.faults.length + 1);
      expect(data.faults).toHaveLength(1);
      const result = validateScenario(added, 'checkpoint-recovery.json');
      expect(result.ok, kind).toBe(true);
      if (!result.ok) continue;
      const sim = createSimulation({ scenario: result.scenario });
      sim.run();
      expect(sim.report().faults.map((f) => f.fired)).toEqual([true, true]);
    }
    expect(withFaults(data, [])).toBe(data);
  });
});
