// What `weir check` found when deployments onto a dead TaskManager began to fail (the
// counterexamples of test/check/configurations, 2PC unaligned seed 12 and idempotent seed
// 14): not records lost or duplicated by recovery, but a job that gave up. A task fails,
// and the only TaskManager dies with it; until its heartbeat times out (50 s) every restart
// is deployed onto it and fails, each one more failure for the restart strategy (Flink does
// the same: FLINK-24706's review found its own recovery test failing so, and gave it more
// attempts). Fixed-delay's 5 attempts of 100 ms are gone in half a second and the job FAILS,
// having committed nothing; with attempts for the whole gap it restarts on the replacement
// and commits exactly the fault-free output.
import { describe, expect, it } from 'vitest';
import { Campaign, type FaultJson } from '../../core/index.ts';
import { smallJob, type Json } from '../check/jobs.ts';

const SINKS: Readonly<Record<string, Json>> = {
  '2pc, unaligned': { type: 'two-phase-commit', topic: 'results' },
  idempotent: { type: 'idempotent', table: 'counts', key: 'key + "@" + str(window.start)' },
};

/** The shrunk counterexamples, as the campaigns printed them. */
const PLANS: Readonly<Record<string, FaultJson[]>> = {
  '2pc, unaligned': [
    { type: 'kill-taskmanager', taskManager: 'tm-1', at: 1 },
    { type: 'kill-task', operator: 'src', subtask: 0, at: 0 },
  ],
  idempotent: [
    { type: 'kill-task', operator: 'src', subtask: 0, at: 0 },
    { type: 'kill-taskmanager', taskManager: 'tm-1', at: 0 },
  ],
};

function job(name: string, attempts: number): Json {
  const out = structuredClone(smallJob(SINKS[name]!)) as Json & { config: { checkpointing: Json; restartStrategy: Json } };
  if (name === '2pc, unaligned') out.config.checkpointing = { ...out.config.checkpointing, unaligned: true };
  out.config.restartStrategy = { type: 'fixed-delay', attempts, delay: 100 };
  return out;
}

const failedDeployments = (causes: readonly string[]) => causes.filter((c) => /^deployment of .* to tm-1 failed: TaskManager lost$/.test(c));

describe.each(Object.keys(PLANS))('a task failure while the only TaskManager dies unnoticed (%s)', (name) => {
  it('fixed-delay, 5 attempts of 100 ms: each restart onto tm-1 fails, the job FAILS, and nothing of its attempts is committed', () => {
    const { verdict, report } = new Campaign(job(name, 5), `${name}.json`, { runs: 1 }).runPlan(PLANS[name]!);
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toMatch(/^deployment of .* to tm-1 failed: TaskManager lost \(recovery is suppressed by fixed-delay/);
    expect(failedDeployments(report.restarts.map((r) => r.cause))).toHaveLength(4);
    expect(verdict.holds).toBe(false);
    // Missing output, all of it, because the job gave up: no record duplicated, none that should not be there.
    expect(verdict.statusViolation).toContain('not FINISHED');
    expect(verdict).toMatchObject({ duplicated: 0, unexpected: 0 });
    expect(verdict.lost).toBe(40);
  });

  it('attempts for the whole gap: the restarts fail until the heartbeat timeout, then run on the replacement, exactly once', () => {
    const { verdict, report } = new Campaign(job(name, 1000), `${name}.json`, { runs: 1 }).runPlan(PLANS[name]!);
    const failed = failedDeployments(report.restarts.map((r) => r.cause));
    // One a restart delay apart from 100 ms until tm-1's heartbeat times out at 50 s.
    expect(failed.length).toBeGreaterThan(400);
    expect(report.restarts.every((r) => r.at <= 50_001)).toBe(true);
    expect(report.status).toBe('FINISHED');
    expect(verdict.holds).toBe(true);
    expect(verdict).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
  });
});
