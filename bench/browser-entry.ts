/**
 * What bench/browser.ts puts in the page: the scenario benchmark, timed with the page's
 * clock, as `weirBench.run(text, file, level)`.
 */
import type { TraceLevel } from '../core/index.ts';
import { timeScenarioRun, type ScenarioRunResult } from './scenario-run.ts';

export function run(text: string, file: string, level: TraceLevel): ScenarioRunResult {
  return timeScenarioRun(text, file, level, () => performance.now());
}
