// The report's `checkpoints` and `restarts` are a fold of the trace. Folding the events a
// run recorded (level summary or full) gives exactly what its report says, in the same
// order and with the same keys, whatever level the report's own run traced at (`off`
// included), for every shipped scenario and for random fault plans over them. A checker or
// the playground that holds only a summary trace sees what the report says.
// (Written first against the report's old source, the coordinator's statistics and the
// JobManager's restart list: the fold matched it on every shipped scenario and on 400 plans.)
import { join } from 'node:path';
import { test as fcTest, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { checkExpectations, createSimulation, LimitExceededError, validateFaultPlan, type FaultSpec, type ReportCheckpoint, type Scenario, type Simulation, type TraceLevel } from '../../core/index.ts';
import { foldCheckpoints, foldRestarts } from '../../core/check/index.ts';
import { faultSpaceOf, planArbitrary, type FaultJson, type FaultSpace } from '../../core/testing.ts';
import { weir } from '../cli/in-process.ts';
import { checkpointed, SCENARIO_DIR, shipped } from './shipped-runs.ts';

const scenarios = shipped();
const dir = SCENARIO_DIR;

interface Run {
  /** The report's checkpoints and restarts, as JSON (key order counts: `weir run --json` prints them). */
  readonly report: string;
  /** The fold of the events the run recorded, as JSON. */
  readonly fold: string;
  /** The CheckpointCoordinator's own statistics, in the report's shape: a witness that is no fold. */
  readonly coordinator: string;
}

/** The coordinator's statistics as the report showed them before it folded the trace. */
function coordinatorView(sim: Simulation): ReportCheckpoint[] {
  return (sim.jobManager.coordinator?.stats ?? []).map((c) => {
    const out: ReportCheckpoint = { id: c.id, status: c.status, triggeredAt: c.triggeredAt, stateSize: c.stateSize, checkpointedSize: c.checkpointedSize, alignmentMs: c.alignmentMs };
    if (c.completedAt !== null) out.completedAt = c.completedAt;
    if (c.failureReason !== null) out.failureReason = c.failureReason;
    if (c.failureCause !== null) out.failureCause = c.failureCause;
    if (c.savepoint) out.savepoint = true;
    return out;
  });
}

/** One run; null when it stopped on a limit (a plan that makes the job restart without end). */
function runOf(scenario: Scenario, level: TraceLevel, faults?: FaultSpec[]): Run | null {
  const sim = createSimulation({ scenario, traceLevel: level, retainTrace: level !== 'off', limits: { maxTraceEvents: 200_000 }, ...(faults === undefined ? {} : { faults }) });
  try {
    sim.run();
  } catch (e) {
    if (!(e instanceof LimitExceededError)) throw e;
    return null;
  }
  const report = sim.report();
  return {
    report: JSON.stringify({ checkpoints: report.checkpoints, restarts: report.restarts }),
    fold: JSON.stringify({ checkpoints: foldCheckpoints(sim.trace.events), restarts: foldRestarts(sim.trace.events) }),
    coordinator: JSON.stringify(coordinatorView(sim)),
  };
}

function validFaults(plan: readonly FaultJson[], scenario: Scenario): FaultSpec[] {
  const v = validateFaultPlan(plan, scenario);
  if (!v.ok) throw new Error(`a drawn plan is not valid: ${JSON.stringify(plan)}`);
  return v.faults;
}

describe("the fold of a shipped scenario's trace is the report's checkpoints and restarts", () => {
  for (const { name, scenario } of scenarios) {
    it(`${name}: the fold of its summary and full traces, and its report at every level`, () => {
      const full = runOf(scenario, 'full')!;
      const summary = runOf(scenario, 'summary')!;
      const off = runOf(scenario, 'off')!;
      expect(full.fold, `${name}: fold of the full trace`).toBe(full.report);
      expect(summary.fold, `${name}: fold of the summary trace`).toBe(full.report);
      expect(summary.report, `${name}: report at level summary`).toBe(full.report);
      expect(off.report, `${name}: report at level off, which records nothing`).toBe(full.report);
      expect(off.fold).toBe(JSON.stringify({ checkpoints: [], restarts: [] }));
      expect(JSON.stringify((JSON.parse(full.report) as { checkpoints: unknown }).checkpoints), `${name}: the coordinator's statistics`).toBe(full.coordinator);
    });
  }

  it("meets what the scenarios' `expect` says of restarts and checkpoints", () => {
    let stated = 0;
    for (const { name, scenario } of scenarios) {
      if (scenario.expect === null || (scenario.expect.restarts === null && scenario.expect.checkpoints === null)) continue;
      stated++;
      const sim = createSimulation({ scenario, traceLevel: 'summary' });
      sim.run();
      const events = sim.trace.events;
      const folded = { ...sim.report(), checkpoints: foldCheckpoints(events), restarts: foldRestarts(events) };
      const failures = checkExpectations(scenario.expect, folded).filter((f) => f.path.startsWith('$.expect.restarts') || f.path.startsWith('$.expect.checkpoints'));
      expect(failures, name).toEqual([]);
    }
    expect(stated).toBeGreaterThanOrEqual(5);
  });

  it('is what `weir run --json` prints', async () => {
    for (const { name, scenario } of scenarios) {
      const r = await weir('run', join(dir, name), '--json');
      expect(r.stderr, name).toBe('');
      const printed = JSON.parse(r.stdout) as { checkpoints: unknown; restarts: unknown };
      const sim = createSimulation({ scenario, traceLevel: 'summary' });
      sim.run();
      expect(JSON.stringify({ checkpoints: printed.checkpoints, restarts: printed.restarts }), name).toBe(
        JSON.stringify({ checkpoints: foldCheckpoints(sim.trace.events), restarts: foldRestarts(sim.trace.events) }),
      );
    }
  });

  it('the scenarios have something to fold: completed and failed checkpoints, savepoints, alignments, restarts restored or not', () => {
    const reports = scenarios.map(({ scenario }) => {
      const sim = createSimulation({ scenario, traceLevel: 'off' });
      sim.run();
      return sim.report();
    });
    const checkpoints = reports.flatMap((r) => r.checkpoints);
    const restarts = reports.flatMap((r) => r.restarts);
    expect(checkpoints.some((c) => c.status === 'COMPLETED')).toBe(true);
    expect(checkpoints.some((c) => c.status === 'FAILED')).toBe(true);
    expect(checkpoints.some((c) => c.savepoint === true)).toBe(true);
    expect(checkpoints.some((c) => c.alignmentMs > 0)).toBe(true);
    expect(restarts.some((r) => r.restoredFrom !== null)).toBe(true);
    expect(restarts.some((r) => r.restoredFrom === null)).toBe(true);
  });
});

/** Per scenario, the fault space `weir check` draws from, found from a fault-free run. */
const spaces = new Map<string, FaultSpace>();
function spaceOf(name: string, scenario: Scenario): FaultSpace {
  let space = spaces.get(name);
  if (space === undefined) {
    const sim = createSimulation({ scenario, traceLevel: 'off', retainTrace: false });
    sim.run();
    const r = sim.report();
    space = faultSpaceOf(scenario, sim.jobGraph, {
      virtualTime: r.virtualTime,
      checkpointIds: r.checkpoints.filter((c) => c.savepoint !== true).map((c) => c.id),
      maxRecordsIn: Math.max(0, ...r.tasks.map((t) => t.recordsIn)),
    });
    spaces.set(name, space);
  }
  return space;
}

describe("under random fault plans (weir check's fault space)", () => {
  const run = fc.constantFrom(...checkpointed()).chain(({ name, scenario }) => planArbitrary(spaceOf(name, scenario), 4).map((plan) => ({ name, scenario, plan })));
  fcTest.prop([run], { numRuns: 40 })("the fold of the summary trace is the report's checkpoints and restarts, at level summary and off", ({ name, scenario, plan }) => {
    const faults = validFaults(plan, scenario);
    const summary = runOf(scenario, 'summary', faults);
    fc.pre(summary !== null);
    expect(summary.fold, `${name} with faults ${JSON.stringify(plan)}`).toBe(summary.report);
    expect(JSON.stringify((JSON.parse(summary.report) as { checkpoints: unknown }).checkpoints), `${name}: the coordinator's statistics`).toBe(summary.coordinator);
    expect(runOf(scenario, 'off', faults)?.report, `${name} at level off with faults ${JSON.stringify(plan)}`).toBe(summary.report);
  });
});
