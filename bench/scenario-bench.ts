/**
 * The `scenario.*` lines of `weir bench` (Node): bench/scenarios/windowed-100k.json run to
 * its end at a trace level, timed by `timeScenarioRun`.
 */
import { fileURLToPath } from 'node:url';
import type { TraceLevel } from '../core/index.ts';
import { timeScenarioRun } from './scenario-run.ts';

/** The scenario the `scenario.*` lines of `weir bench` run. */
export const SCENARIO_FILE = fileURLToPath(new URL('./scenarios/windowed-100k.json', import.meta.url));

/** A `scenario.*` line's measurement: the checksum is the trace hash's first 8 hex digits (same scenario, same checksum). */
export function measureScenario(text: string, level: TraceLevel): { ms: number; checksum: number; extra: Record<string, number | string> } {
  const r = timeScenarioRun(text, SCENARIO_FILE, level, () => performance.now());
  return {
    ms: r.ms,
    checksum: parseInt(r.traceHash.slice(0, 8), 16),
    extra: { records: r.records, traceEvents: r.traceEvents, nsPerTraceEvent: r.nsPerTraceEvent, traceHash: r.traceHash },
  };
}
