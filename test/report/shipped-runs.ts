// Every shipped scenario (the training ones too, as the golden hashes test reads them), for
// the tests of the report's folds.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenarioText, type Scenario } from '../../core/index.ts';

export const SCENARIO_DIR = join(import.meta.dirname, '../../scenarios');

export function shipped(): { name: string; scenario: Scenario }[] {
  const files: string[] = [];
  for (const entry of readdirSync(SCENARIO_DIR, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.json')) files.push(entry.name);
    else if (entry.isDirectory()) for (const f of readdirSync(join(SCENARIO_DIR, entry.name))) if (f.endsWith('.json')) files.push(`${entry.name}/${f}`);
  }
  return files.sort().map((name) => {
    const parsed = parseScenarioText(readFileSync(join(SCENARIO_DIR, name), 'utf8'), name, { client: { parallelism: null } });
    if (!parsed.ok) throw new Error(`${name} does not validate`);
    return { name, scenario: parsed.scenario };
  });
}

/** Those with checkpointing or savepoints: their checkpoints fail, expire and are given up under faults, and the job restarts. */
export function checkpointed(): { name: string; scenario: Scenario }[] {
  return shipped().filter(({ scenario }) => scenario.config.checkpointing !== null || scenario.actions.length > 0);
}
