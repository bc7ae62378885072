// The end-to-end exactly-once lessons of scenarios/: each meets its own `expect`, and the
// fact it teaches is checked again from the report and the trace, with the variants its
// description invites ("change the point to wal-send", "raise transactionTimeout").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExpectations, createSimulation, formatIssue, parseScenarioText, type RunReport, type TraceEvent } from '../../core/index.ts';
import { SCENARIO_DIR } from './shipped.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- scenario files as plain JSON, to edit variants
type Json = any;

const load = (name: string): Json => JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8'));

function run(json: Json): { report: RunReport; events: readonly TraceEvent[] } {
  const parsed = parseScenarioText(JSON.stringify(json), 'variant.json');
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

function shipped(name: string): { json: Json; report: RunReport; events: readonly TraceEvent[] } {
  const json = load(name);
  const result = run(json);
  it('meets its own expect', () => {
    const parsed = parseScenarioText(JSON.stringify(json), `${name}.json`);
    expect(parsed.ok && parsed.scenario.expect !== null).toBe(true);
    if (parsed.ok) expect(checkExpectations(parsed.scenario.expect!, result.report)).toEqual([]);
  });
  return { json, ...result };
}

const key = (r: { value: unknown; timestamp: number | null }): string => JSON.stringify(r);
const duplicates = (records: readonly { value: unknown; timestamp: number | null }[]): number => records.length - new Set(records.map(key)).size;
const commitSteps = (events: readonly TraceEvent[]) => events.filter((e): e is Extract<TraceEvent, { tag: 'sink.commit' }> => e.tag === 'sink.commit');

describe('exactly-once-vs-at-least-once', () => {
  const { report } = shipped('exactly-once-vs-at-least-once');
  it('the same results reach both sinks; only the at-least-once one has the four replayed twice', () => {
    const eo = report.sinks['exactlyOnce']!;
    const alo = report.sinks['atLeastOnce']!;
    expect(duplicates(eo.committed)).toBe(0);
    expect(duplicates(alo.committed)).toBe(4);
    expect(new Set(alo.committed.map(key))).toEqual(new Set(eo.committed.map(key)));
    expect(eo.uncommitted).toHaveLength(4);
  });
});

describe('two-phase-commit-lifecycle', () => {
  const { events, report } = shipped('two-phase-commit-lifecycle');
  it("the zombie's transactions are fenced by the restored subtasks' new epoch, at the restart", () => {
    const restoredAt = report.restarts[0]!.at + report.restarts[0]!.delay;
    const fenced = events.filter((e) => e.tag === 'log.transaction' && e.status === 'ABORTED' && /^fenced/.test(e.reason ?? ''));
    expect(fenced.map((e) => [e.timeMs, (e as { transactionalId: string }).transactionalId])).toEqual([
      [restoredAt, 'out-0-3'],
      [restoredAt, 'out-1-3'],
    ]);
  });
  it('every committed transaction was pre-committed first, by a completed checkpoint', () => {
    const steps = commitSteps(events);
    const completed = new Set(report.checkpoints.filter((c) => c.status === 'COMPLETED').map((c) => c.id));
    for (const c of steps.filter((s) => s.step === 'commit')) {
      expect(completed.has(c.checkpoint)).toBe(true);
      expect(steps.some((p) => p.step === 'pre-commit' && p.transactionalId === c.transactionalId && p.timeMs <= c.timeMs)).toBe(true);
    }
  });
});

describe('write-ahead-log-corner', () => {
  const { json, report } = shipped('write-ahead-log-corner');
  it('the three results of checkpoint 3 come twice; halfway (wal-send) only one; without the fault none', () => {
    expect(duplicates(report.sinks['out']!.committed)).toBe(3);
    const halfway = structuredClone(json);
    halfway.faults[0].point = 'wal-send';
    delete halfway.expect;
    expect(duplicates(run(halfway).report.sinks['out']!.committed)).toBe(1);
    const clean = structuredClone(json);
    clean.faults = [];
    delete clean.expect;
    expect(run(clean).report.sinks['out']!.committed).toHaveLength(16);
  });
});

describe('idempotent-sink', () => {
  const { json, report } = shipped('idempotent-sink');
  it('rows were written twice, and the table ends as in a run without the failure', () => {
    const clean = structuredClone(json);
    clean.faults = [];
    delete clean.expect;
    const reference = run(clean).report;
    expect(report.sinks['out']!.committed.length).toBeGreaterThan(reference.sinks['out']!.committed.length);
    expect(report.tables).toEqual(reference.tables);
  });
});

describe('transaction-timeout-loses-data', () => {
  const { json, events, report } = shipped('transaction-timeout-loses-data');
  it('the log aborts the pre-committed transaction before the recovery commits it; a longer timeout loses nothing', () => {
    const lost = commitSteps(events).filter((s) => s.step === 'lost');
    expect(lost.map((s) => [s.transactionalId, s.records])).toEqual([['out-1-3', 3]]);
    expect(report.sinks['out']!.committed).toHaveLength(13);
    const longer = structuredClone(json);
    longer.job.operators.at(-1).sink.transactionTimeout = 10000;
    delete longer.expect;
    const kept = run(longer).report.sinks['out']!.committed;
    expect(kept).toHaveLength(16);
    expect(duplicates(kept)).toBe(0);
  });
});

describe('traffic-peak', () => {
  const { report } = shipped('traffic-peak');
  it('the log absorbs the peak: lag rises at the peak and falls back, the sources wait back-pressured, nothing is lost', () => {
    const lag = report.consumerLag['orders']!;
    expect(lag).toHaveLength(2);
    for (const p of lag) {
      expect(p.max).toBeGreaterThan(1000);
      expect(p.maxAt).toBe(1000);
      expect(p.last).toBeLessThan(10);
    }
    expect(report.metrics.recordsIn).toBe(3600);
    expect(report.sinks['out']!.committed).toHaveLength(3600);
    for (const t of report.tasks.filter((t) => t.id.startsWith('orders#'))) expect(t.backPressuredTimeMs).toBeGreaterThan(1000);
  });
});
