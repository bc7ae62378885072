// Variants of a shipped scenario, edited as plain JSON and run to the end: the fault-tolerance
// tests change a cluster, a restart strategy or a fault plan and read the run's trace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSimulation, formatIssue, parseScenarioText, type RunReport, type TraceEvent } from '../../core/index.ts';
import { SCENARIO_DIR } from '../scenarios/shipped.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the scenario file as plain JSON, to edit variants
export type ScenarioJson = any;

/** Shipped scenario `name` without its `expect`, edited by `edit`, run to the end. */
export function runVariant(name: string, edit: (s: ScenarioJson) => void): { report: RunReport; events: readonly TraceEvent[] } {
  const json = JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8'));
  delete json.expect;
  edit(json);
  const parsed = parseScenarioText(JSON.stringify(json), `${name}-variant.json`);
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

export function ofTag<T extends TraceEvent['tag']>(events: readonly TraceEvent[], tag: T): Extract<TraceEvent, { tag: T }>[] {
  return events.filter((e): e is Extract<TraceEvent, { tag: T }> => e.tag === tag);
}
