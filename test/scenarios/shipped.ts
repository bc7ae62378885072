// The shipped scenarios, loaded and validated once for the tests that run them all.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseScenarioText, formatIssue, type Scenario } from '../../core/index.ts';

export const SCENARIO_DIR = join(import.meta.dirname, '..', '..', 'scenarios');

export function shippedScenarios(): { name: string; file: string; scenario: Scenario }[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(SCENARIO_DIR, f);
      const result = parseScenarioText(readFileSync(file, 'utf8'), `scenarios/${f}`);
      if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
      return { name: basename(f, '.json'), file, scenario: result.scenario };
    });
}
