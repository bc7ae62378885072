/**
 * One timed run of a scenario file's text, at a trace level, as `weir run` and the
 * playground do it: parse and validate, build the simulation, run to the end, read the
 * report. Pure engine code with a clock passed in, so that the same function is timed in
 * Node (`weir bench scenario.*`) and in Chromium (`bench/browser.ts` bundles this file).
 */
import { createSimulation, parseScenarioText, type TraceLevel } from '../core/index.ts';

export interface ScenarioRunResult {
  readonly ms: number;
  readonly traceEvents: number;
  readonly nsPerTraceEvent: number;
  readonly records: number;
  readonly traceHash: string;
  readonly status: string;
}

/** Runs `text` (a scenario file) to its end and times it with `now` (milliseconds). */
export function timeScenarioRun(text: string, file: string, level: TraceLevel, now: () => number): ScenarioRunResult {
  const t0 = now();
  const parsed = parseScenarioText(text, file, { client: { parallelism: null } });
  if (!parsed.ok) throw new Error(`${file}: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const sim = createSimulation({ scenario: parsed.scenario, traceLevel: level });
  sim.run();
  const report = sim.report();
  const ms = now() - t0;
  const records = Object.values(report.sinks).reduce((n, s) => n + s.committed.length, 0);
  const traceEvents = sim.trace.count;
  return { ms, traceEvents, nsPerTraceEvent: traceEvents === 0 ? 0 : Math.round((ms * 1e6) / traceEvents), records, traceHash: report.traceHash, status: report.status };
}
