// The commit points of a two-phase-commit sink in a job whose commit does not come from a
// periodic checkpoint. Without checkpointing the sink commits once, at the end of its input
// (as Flink's sink committer does for a bounded job): `crash-at commit` and `after-commit`
// are valid there, and only there, and `weir check` draws them. With checkpointing on but a
// job that ends before the first periodic checkpoint, the commit is that of the final
// checkpoint (checkpoints after tasks finish, FLIP-147).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Campaign, formatIssue, validateFaultPlan, validateScenario, type Scenario } from '../../core/index.ts';
import { planArbitrary, runCampaign } from '../../core/testing.ts';
import { smallJob, type Json } from './jobs.ts';

const TWO_PC = { type: 'two-phase-commit', topic: 'results' };

/** The small check job without periodic checkpoints, its sink at parallelism 1 (one commit, at the end of the input). */
function withoutCheckpoints(sink: Json = TWO_PC): Json {
  const job = smallJob(sink) as { config: Json; job: { operators: Json[] } };
  const { checkpointing: _, ...config } = job.config;
  return { ...job, config, job: { ...job.job, operators: job.job.operators.map((o) => (o['id'] === 'out' ? { ...o, parallelism: 1 } : o)) } };
}

function validated(input: Json): Scenario {
  const r = validateScenario(input, 'end.json');
  if (!r.ok) throw new Error(r.issues.map(formatIssue).join('\n'));
  return r.scenario;
}

/** The one issue of a fault plan, as `weir validate` prints it. */
function issueOf(scenario: Scenario, fault: Json): string {
  const r = validateFaultPlan([fault], scenario);
  if (r.ok) throw new Error(`expected ${JSON.stringify(fault)} to be refused`);
  expect(r.issues).toHaveLength(1);
  return formatIssue(r.issues[0]!);
}

describe('validation of crash-at in a run without checkpoints', () => {
  const scenario = validated(withoutCheckpoints());

  it('accepts commit and after-commit of a two-phase-commit sink: its commit at the end of the input', () => {
    for (const point of ['commit', 'after-commit']) {
      const r = validateFaultPlan([{ type: 'crash-at', operator: 'out', point }], scenario);
      expect(r.ok, point).toBe(true);
    }
  });

  it('refuses the points of the checkpoint protocol, naming the file, the fault and the points that remain', () => {
    for (const point of ['snapshot', 'after-ack', 'pre-commit']) {
      expect(issueOf(scenario, { type: 'crash-at', operator: 'out', point })).toBe(
        `end.json: $.faults[0]: a crash-at fault needs checkpoints, but this run takes none: checkpointing is off (set config.checkpointing) and no action takes a savepoint; without checkpoints only a two-phase-commit sink's commit at the end of its input has points to crash at ('commit', 'after-commit'), found '${point}'`,
      );
    }
  });

  it('refuses a checkpoint id, since the one commit is not of a checkpoint', () => {
    expect(issueOf(scenario, { type: 'crash-at', operator: 'out', point: 'commit', checkpoint: 1 })).toBe(
      "end.json: $.faults[0].checkpoint: this run takes no checkpoints, so the sink commits once, at the end of its input, and not for checkpoint 1: leave 'checkpoint' out",
    );
  });

  it('refuses commit points of a sink that is not two-phase commit, and of one whose input never ends', () => {
    expect(issueOf(validated(withoutCheckpoints({ type: 'print' })), { type: 'crash-at', operator: 'out', point: 'commit' })).toMatch(
      /^end\.json: \$\.faults\[0\]\.point: operator 'out' is a print sink; 'commit' is a point of two-phase-commit sinks$/,
    );
    const unbounded = withoutCheckpoints() as { job: { operators: Json[] } };
    const input = { ...unbounded, run: { until: 2000 }, job: { ...unbounded.job, operators: unbounded.job.operators.map((o) => (o['type'] === 'source' ? { ...o, bounded: false } : o)) } };
    expect(issueOf(validated(input), { type: 'crash-at', operator: 'out', point: 'after-commit' })).toBe(
      `end.json: $.faults[0].point: without checkpoints 'after-commit' is the commit at the end of the input, and 'out' reads from source 'src', which is unbounded ("bounded": false): its input never ends, so the point is never reached`,
    );
  });

  it('a file with such a fault validates as a whole, and the point fires where the sink commits', () => {
    const input = { ...withoutCheckpoints(), faults: [{ type: 'crash-at', operator: 'out', point: 'commit' }] };
    const c = new Campaign(input, 'end.json', { runs: 1 });
    const run = c.runPlan([{ type: 'crash-at', operator: 'out', point: 'commit' }]);
    expect(run.faults).toEqual([{ type: 'crash-at', point: 'commit', fired: true }]);
    // Before the log applied the commit: the restart from scratch fences it and commits the replay once.
    expect(run.verdict.holds).toBe(true);
  });
});

describe('weir check on a two-phase-commit job without checkpoints (seed 2)', () => {
  const campaign = new Campaign(withoutCheckpoints(), 'end.json', { runs: 100, seed: 2, maxFaults: 3 });

  it('has crash-at in its fault space, at commit and after-commit only, and never names a checkpoint', () => {
    expect(campaign.space.types).toContain('crash-at');
    expect(campaign.space.points).toEqual(['commit', 'after-commit']);
    expect(campaign.space.notApplicable.map((n) => n.type)).toEqual(['fail-checkpoint']);
    for (const plan of fc.sample(planArbitrary(campaign.space, 3), { seed: 2, numRuns: 300 })) {
      expect(validateFaultPlan(plan, campaign.scenario).ok).toBe(true);
      for (const f of plan) if (f['type'] === 'crash-at') expect(f['checkpoint']).toBeUndefined();
    }
  });

  const result = runCampaign(campaign);

  it('reports both points as fired in its coverage', () => {
    const { points, neverFired } = result.coverage;
    expect(Object.keys(points)).toEqual(['commit', 'after-commit']);
    expect(points['commit']!.fired).toBeGreaterThan(0);
    expect(points['after-commit']!.fired).toBeGreaterThan(0);
    expect(neverFired).not.toContain('crash-at:commit');
    expect(neverFired).not.toContain('crash-at:after-commit');
  });

  it('finds what a restart without checkpoints does after the commit: every record again, shrunk to the one crash', () => {
    expect(result.violated).toBe(true);
    expect(result.violation!.shrunk).toEqual([{ type: 'crash-at', operator: 'out', subtask: 0, point: 'after-commit' }]);
    expect(result.duplicated).toBe(campaign.reference.sinks['out']!.committed.length);
    expect(result.lost).toBe(0);
  });
});

describe('a job that ends before its first periodic checkpoint commits at the final checkpoint', () => {
  const input = { ...smallJob(TWO_PC), config: { ...(smallJob(TWO_PC)['config'] as Json), checkpointing: { interval: 5000 } } };
  const campaign = new Campaign(input, 'final.json', { runs: 1 });

  it('the reference ends its input at about 1 s and takes one checkpoint, the final one, at 5 s', () => {
    expect(campaign.reference.checkpoints.map((c) => c.id)).toEqual([1]);
    expect(campaign.reference.virtualTime).toBeGreaterThan(5000);
    expect(campaign.space.points).toEqual(['snapshot', 'after-ack', 'pre-commit', 'commit', 'after-commit']);
  });

  for (const point of ['commit', 'after-commit']) {
    it(`crash-at ${point} of checkpoint 1 fires there and keeps the output exactly-once`, () => {
      for (const subtask of [0, 1]) {
        const run = campaign.runPlan([{ type: 'crash-at', operator: 'out', subtask, point, checkpoint: 1 }]);
        expect(run.faults).toEqual([{ type: 'crash-at', point, fired: true }]);
        expect(run.verdict.holds).toBe(true);
        expect(run.report.restarts).toHaveLength(1);
      }
    });
  }

  it('a campaign (seed 5, 30 runs) holds and reports commit and after-commit as fired', () => {
    const result = runCampaign(new Campaign(input, 'final.json', { runs: 30, seed: 5, maxFaults: 3 }));
    expect(result.violated).toBe(false);
    expect(result.coverage.points['commit']!.fired).toBeGreaterThan(0);
    expect(result.coverage.points['after-commit']!.fired).toBeGreaterThan(0);
  });
});
