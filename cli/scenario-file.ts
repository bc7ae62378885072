// Reading a scenario file from disk: a missing file or bad JSON is invalid input
// (exit 2) with the file named, like every other scenario mistake.
import { readFileSync } from 'node:fs';
import { formatIssue, parseScenarioText, type Scenario, type ValidationOptions } from '../core/index.ts';

export class InvalidInput extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'InvalidInput';
  }
}

/** `untilGiven`: `weir run --until` gives the end time the file may lack. */
export function loadScenarioFile(file: string, options: ValidationOptions = {}): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InvalidInput([`${file}: cannot read the file${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`]);
  }
  const result = parseScenarioText(text, file, options);
  if (!result.ok) throw new InvalidInput(result.issues.map(formatIssue));
  return result.scenario;
}
