// weir check's campaign: a fault-free reference, plans drawn from (seed, index) over every
// fault type of the job, the oracle on each run, and the first violation shrunk into a
// counterexample scenario that fails its own expectations.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Campaign, CampaignInputError, checkExpectations, createSimulation, FAULT_TYPES, validateFaultPlan, validateScenario, type Scenario } from '../../core/index.ts';
import { planArbitrary, runCampaign, runSeed } from '../../core/testing.ts';
import { smallJob, type Json } from './jobs.ts';

const PRINT = smallJob({ type: 'print' });
const TWO_PC = smallJob({ type: 'two-phase-commit', topic: 'results' });
const WAL = smallJob({ type: 'write-ahead-log', topic: 'results' });

function validated(input: Json): Scenario {
  const r = validateScenario(input, 'test.json');
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.scenario;
}

describe('a print sink under faults with checkpointing (seed 0)', () => {
  const campaign = new Campaign(PRINT, 'print.json', { runs: 50, seed: 0, maxFaults: 3 });
  const result = runCampaign(campaign);

  it('is found to duplicate output, and the plan is shrunk to at most 3 faults', () => {
    expect(result.violated).toBe(true);
    expect(result.duplicated).toBeGreaterThan(0);
    expect(result.faults).toBeGreaterThanOrEqual(1);
    expect(result.faults).toBeLessThanOrEqual(3);
    expect(result.violation!.shrunk.length).toBeLessThanOrEqual(result.violation!.drawn.length);
    expect(result.runs).toBe(result.violation!.index + 1);
    // The shrunk plan still violates, when run again from scratch.
    expect(campaign.runPlan(result.violation!.shrunk).verdict.holds).toBe(false);
  });

  it('writes a counterexample: the input with the shrunk faults and the reference output as expect, which a run fails', () => {
    const ce = result.counterexample as Json;
    expect(ce['faults']).toEqual(result.violation!.shrunk);
    expect(ce['job']).toEqual(PRINT['job']);
    const expected = (ce['expect'] as { sinks: { out: { committed: unknown[] } } }).sinks.out.committed;
    expect(expected).toEqual(campaign.reference.sinks['out']!.committed);
    const scenario = validated(ce);
    const sim = createSimulation({ scenario });
    sim.run();
    const failures = checkExpectations(scenario.expect!, sim.report());
    expect(failures.map((f) => f.path)).toContain('$.expect.sinks.out.committed');
    // Without the faults, the same file meets its expectations: the faults are the cause.
    const clean = createSimulation({ scenario, faults: [] });
    clean.run();
    expect(checkExpectations(scenario.expect!, clean.report())).toEqual([]);
  });

  it('with no faults at all every run holds: the reference equals itself', () => {
    const holds = new Campaign(PRINT, 'print.json', { runs: 20, seed: 0, maxFaults: 0 });
    const r = runCampaign(holds);
    expect(r).toMatchObject({ violated: false, runs: 20, lost: 0, duplicated: 0, unexpected: 0, faults: 0, shrinkSteps: 0, counterexample: null });
  });
});

describe('plans are a pure function of (seed, index)', () => {
  const a = new Campaign(TWO_PC, 'a.json', { runs: 10, seed: 42, maxFaults: 3 });
  const b = new Campaign(TWO_PC, 'b.json', { runs: 10, seed: 42, maxFaults: 3 });
  it('the same in two campaigns, different from index to index and from seed to seed', () => {
    const plans = Array.from({ length: 10 }, (_, i) => JSON.stringify(a.planOf(i)));
    expect(Array.from({ length: 10 }, (_, i) => JSON.stringify(b.planOf(9 - i))).reverse()).toEqual(plans);
    expect(new Set(plans).size).toBe(10);
    const other = new Campaign(TWO_PC, 'c.json', { runs: 10, seed: 43, maxFaults: 3 });
    expect(other.planOf(0)).not.toEqual(a.planOf(0));
    expect(runSeed(0, 1)).not.toBe(runSeed(0, 2));
    expect(runSeed(2 ** 40, 0)).not.toBe(runSeed(0, 0));
  });
  it('a run under the same plan gives the same report as a fresh simulation of the file (the reused StreamGraph changes nothing)', () => {
    const plan = a.planOf(3);
    const fromCampaign = a.runPlan(plan).report;
    const scenario = validated(TWO_PC);
    const v = validateFaultPlan(plan, scenario);
    if (!v.ok) throw new Error('invalid');
    const sim = createSimulation({ scenario, faults: v.faults, traceLevel: 'off', retainTrace: false });
    sim.run();
    expect(fromCampaign).toEqual(sim.report());
  });
});

describe('the fault space covers every fault type of CONTRACT 1.2 the job has a target for', () => {
  it('a two-phase-commit job: every type, and the crash points of checkpoints and of 2PC, none of a WAL', () => {
    const c = new Campaign(TWO_PC, '2pc.json', { runs: 1, seed: 0, maxFaults: 3 });
    expect([...c.space.types].sort()).toEqual([...FAULT_TYPES].sort());
    expect(c.space.points).toEqual(['snapshot', 'after-ack', 'pre-commit', 'commit', 'after-commit']);
    expect(c.space.taskManagers).toEqual(['tm-1']);
    expect(c.space.subtasks).toContainEqual({ operator: 'counts', subtask: 1 });
    expect(c.space.subtasks).not.toContainEqual({ operator: 'counts', subtask: 2 });
    // Every drawn plan is valid, and together they reach every type and point.
    const seen = new Set<string>();
    const scenario = c.scenario;
    for (const plan of fc.sample(planArbitrary(c.space, 3), { seed: 1, numRuns: 400 })) {
      expect(plan.length).toBeGreaterThanOrEqual(1);
      expect(plan.length).toBeLessThanOrEqual(3);
      const v = validateFaultPlan(plan, scenario);
      expect(v.ok).toBe(true);
      for (const f of plan) {
        seen.add(String(f['type']));
        if (f['type'] === 'crash-at') seen.add(`crash-at:${String(f['point'])}`);
        if (typeof f['at'] === 'number') expect(f['at']).toBeLessThanOrEqual(c.reference.virtualTime);
        if (typeof f['checkpoint'] === 'number') expect(f['checkpoint']).toBeLessThanOrEqual(Math.max(...c.reference.checkpoints.map((x) => x.id)));
      }
    }
    expect([...seen].sort()).toEqual([...FAULT_TYPES, ...c.space.points.map((p) => `crash-at:${p}`)].sort());
  });
  it('a write-ahead-log job has wal-send and after-wal-send; a print job no commit points and no fail-commit', () => {
    expect(new Campaign(WAL, 'wal.json', { runs: 1 }).space.points).toEqual(['snapshot', 'after-ack', 'wal-send', 'after-wal-send']);
    const print = new Campaign(PRINT, 'print.json', { runs: 1 });
    expect(print.space.points).toEqual(['snapshot', 'after-ack']);
    expect(print.space.types).not.toContain('fail-commit');
    expect(print.space.notApplicable).toEqual([{ type: 'fail-commit', reason: expect.stringMatching(/no sink that commits/) }]);
  });
});

describe('coverage', () => {
  it('counts, per fault type and crash point, the faults planned and fired, and lists what never fired', () => {
    const result = runCampaign(new Campaign(TWO_PC, '2pc.json', { runs: 60, seed: 5, maxFaults: 3 }));
    expect(result.violated).toBe(false);
    expect(result.runs).toBe(60);
    const { types, points, neverFired } = result.coverage;
    expect(Object.keys(points)).toEqual(['snapshot', 'after-ack', 'pre-commit', 'commit', 'after-commit']);
    const planned = Object.values(types).reduce((n, c) => n + c.planned, 0);
    expect(planned).toBeGreaterThanOrEqual(60);
    expect(planned).toBeLessThanOrEqual(180);
    for (const c of [...Object.values(types), ...Object.values(points)]) expect(c.fired).toBeLessThanOrEqual(c.planned);
    expect(types['crash-at']!.planned).toBe(Object.values(points).reduce((n, c) => n + c.planned, 0));
    expect(neverFired).toEqual([
      ...Object.entries(types).filter(([, c]) => c.fired === 0).map(([t]) => t),
      ...Object.entries(points).filter(([, c]) => c.fired === 0).map(([p]) => `crash-at:${p}`),
    ]);
    expect(types['kill-task']!.fired).toBeGreaterThan(0);
  });
  it('a fault whose time never comes shows in the run report as not fired', () => {
    const c = new Campaign(TWO_PC, '2pc.json', { runs: 1 });
    const run = c.runPlan([
      { type: 'kill-task', operator: 'counts', subtask: 0, at: 150 },
      { type: 'kill-task', operator: 'counts', subtask: 1, at: 10_000_000 },
      { type: 'crash-at', operator: 'out', subtask: 0, point: 'commit', checkpoint: 2 },
    ]);
    expect(run.report.faults).toEqual([
      { type: 'kill-task', path: '$.faults[0]', fired: true, firedAt: 150 },
      { type: 'kill-task', path: '$.faults[1]', fired: false, firedAt: null },
      { type: 'crash-at', path: '$.faults[2]', fired: true, firedAt: expect.any(Number), point: 'commit' },
    ]);
    expect(run.verdict.holds).toBe(true);
  });
});

describe('the counterexample of a table sink expects the table', () => {
  it('expect.tables holds the reference table, and a changed row fails it', () => {
    const c = new Campaign(smallJob({ type: 'idempotent', table: 'counts', key: 'key' }), 'idem.json', { runs: 1 });
    expect(c.tableSinks).toEqual(['out']);
    const ce = c.counterexampleOf([]) as { expect: { sinks: Json; tables: Record<string, Record<string, unknown>> } };
    expect(ce.expect.sinks).toEqual({});
    expect(ce.expect.tables).toEqual(c.reference.tables);
    expect(Object.keys(ce.expect.tables['counts']!)).toEqual(['k0', 'k1', 'k2', 'k3']);
    const scenario = validated(ce as unknown as Json);
    const sim = createSimulation({ scenario });
    sim.run();
    expect(checkExpectations(scenario.expect!, sim.report())).toEqual([]);
    const wrong = structuredClone(ce);
    wrong.expect.tables['counts']!['k0'] = 'nope';
    delete wrong.expect.tables['counts']!['k1'];
    const failures = checkExpectations(validated(wrong as unknown as Json).expect!, sim.report());
    expect(failures).toHaveLength(1);
    expect(failures[0]!.path).toBe('$.expect.tables.counts');
    expect(failures[0]!.message).toMatch(/rows with another value "k0": .* \(expected "nope"\); unexpected rows "k1"/);
  });
  it('expect.tables is validated', () => {
    const bad = { ...smallJob({ type: 'print' }), expect: { tables: { counts: [1, 2] } } };
    const r = validateScenario(bad, 'bad.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ file: 'bad.json', path: '$.expect.tables.counts', message: expect.stringMatching(/expected the rows of a table/) }]);
  });
});

describe('inputs that cannot be checked', () => {
  it('an unbounded source without run.until: the job never ends', () => {
    const job = smallJob({ type: 'print' }) as { job: { operators: Json[] } };
    job.job.operators[0]!['bounded'] = false;
    expect(() => new Campaign(job, 'unbounded.json')).toThrow(CampaignInputError);
    expect(() => new Campaign(job, 'unbounded.json')).toThrow(/unbounded.json: \$\.job\.operators\[0\]\.bounded: source 'src' is unbounded/);
  });
  it('a reference that stops RUNNING at run.until is not a complete output', () => {
    const job = smallJob({ type: 'print' }) as Json & { job: { operators: Json[] } };
    job.job.operators[0]!['bounded'] = false;
    job['run'] = { until: 500 };
    expect(() => new Campaign(job, 'until.json')).toThrow(/ended RUNNING, not FINISHED/);
  });
  it('a reference that commits nothing proves nothing', () => {
    const job = smallJob({ type: 'print' }) as { job: { operators: Json[] } };
    job.job.operators[1] = { id: 'double', type: 'filter', expr: 'n < 0', input: 'src' };
    expect(() => new Campaign(job, 'empty.json')).toThrow(/a check that saw no output proves nothing/);
  });
  it('an invalid scenario lists its issues', () => {
    expect(() => new Campaign({ format: 'weir/scenario@1' }, 'bad.json')).toThrow(/bad\.json: \$/);
  });
});
