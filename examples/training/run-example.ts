/**
 * Runs a training solution as a script (`npx tsx examples/training/hourly-tips.ts`): over
 * the topics its scenario file generates, with the file's seed, and prints what the sink
 * wrote, one record a line, then how the run ended. A module imported by a test does nothing.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ArrayPartition,
  canonicalJson,
  createSimulation,
  formatIssue,
  generateTaxiTopic,
  parseScenarioText,
  type RunReport,
  type Scenario,
  type StreamGraph,
  type Topic,
} from '../../core/index.ts';

/** The topic a scenario's source reads, made as the scenario makes it. */
export function topicOf(scenario: Scenario, name: string): Topic {
  const spec = scenario.topics[name];
  if (spec === undefined) throw new Error(`the scenario has no topic '${name}'`);
  if (spec.generator?.type !== undefined) return generateTaxiTopic(name, spec.partitions, spec.generator, scenario.seed);
  return { name, partitions: spec.records.map((records) => new ArrayPartition(records)) };
}

/** The exercise's scenario file, validated. */
export function trainingScenario(exercise: string): Scenario {
  const file = fileURLToPath(new URL(`../../scenarios/training/${exercise}.json`, import.meta.url));
  const result = parseScenarioText(readFileSync(file, 'utf8'), file);
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

/** Runs `job` over the exercise's topics; the report of the run. */
export function runSolution(exercise: string, job: (topic: (name: string) => Topic) => StreamGraph): RunReport {
  const scenario = trainingScenario(exercise);
  const simulation = createSimulation({ streamGraph: job((name) => topicOf(scenario, name)), seed: scenario.seed });
  simulation.run();
  return simulation.report();
}

/** When `moduleUrl` is the script node was started with, runs the solution and prints its output. */
export function printWhenRunAsScript(moduleUrl: string, exercise: string, job: (topic: (name: string) => Topic) => StreamGraph): void {
  if (process.argv[1] === undefined || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  const report = runSolution(exercise, job);
  let records = 0;
  for (const sink of Object.values(report.sinks)) {
    for (const record of sink.committed) {
      process.stdout.write(`${canonicalJson(record.value)} @ ${record.timestamp ?? '-'}\n`);
      records++;
    }
  }
  process.stdout.write(`${exercise}: ${report.status} at t = ${report.virtualTime} ms, ${records} records written\n`);
  if (report.status !== 'FINISHED') process.exitCode = 1;
}
