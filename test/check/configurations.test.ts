// Which sink and checkpointing configurations are exactly-once, found by `weir check`'s
// campaign rather than argued: the ones that hold survive a campaign of random fault
// plans, and each one that must break is found, shrunk to a plan of at most three faults,
// and written as a counterexample that fails its own expectations when run, as
// `weir run` of it would (exit 3). Seeds are fixed, so each campaign finds the same thing
// every time; every title names its seed.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Campaign, checkExpectations, createSimulation, validateFaultPlan, validateScenario, type CampaignResult, type ExpectationFailure, type FaultJson, type FaultSpec, type OracleExample, type Scenario } from '../../core/index.ts';
import { runCampaign } from '../../core/testing.ts';
import { RESTARTS_OUTLASTING_AN_UNNOTICED_LOSS, smallJob, type Json } from './jobs.ts';

const TWO_PC = { type: 'two-phase-commit', topic: 'results' };

function withCheckpointing(job: Json, checkpointing: Json): Json {
  const out = structuredClone(job) as Json & { config: { checkpointing: Json } };
  out.config.checkpointing = { ...out.config.checkpointing, ...checkpointing };
  return out;
}

/**
 * Two inputs whose barriers reach the window at different times: topic `a` has its whole
 * backlog at time 0 and goes through a slow map (1 record per ms) whose input queues fill,
 * so its barriers wait behind buffers; topic `b` is light and goes straight to the window,
 * so its barriers arrive at once. Aligned, the window blocks `b` until `a`'s barrier comes;
 * at-least-once, it goes on counting `b`'s records past the barrier.
 */
function twoSpeedJob(mode: 'exactly-once' | 'at-least-once', unaligned = false): Json {
  return {
    format: 'weir/scenario@1',
    name: `two inputs at two speeds (${mode}${unaligned ? ', unaligned' : ''})`,
    seed: 1,
    config: { parallelism: 2, checkpointing: { interval: 200, mode, unaligned }, restartStrategy: RESTARTS_OUTLASTING_AN_UNNOTICED_LOSS },
    topics: {
      a: { partitions: 1, generator: { count: 600, interval: 0, keys: 4, outOfOrderness: 0, value: '{key: key, n: i}' } },
      b: { partitions: 1, generator: { count: 100, interval: 10, keys: 4, outOfOrderness: 0, value: '{key: key, n: i}' } },
    },
    job: {
      name: 'two speeds',
      operators: [
        { id: 'srcA', type: 'source', topic: 'a', parallelism: 1, watermarks: { strategy: 'monotonous' } },
        { id: 'slow', type: 'map', input: 'srcA', parallelism: 2, throughput: 1, expr: '$' },
        { id: 'srcB', type: 'source', topic: 'b', parallelism: 1, watermarks: { strategy: 'monotonous' } },
        { id: 'both', type: 'union', input: ['slow', 'srcB'] },
        { id: 'byKey', type: 'keyBy', input: 'both', key: 'key' },
        { id: 'counts', type: 'window', input: 'byKey', assigner: { type: 'tumbling', size: 2000 }, aggregate: 'count' },
        { id: 'out', type: 'sink', input: 'counts', sink: TWO_PC },
      ],
    },
  };
}

/** A 2PC job whose transactions time out (300 ms) long before a restart is over (1 s delay). */
function timeoutJob(transactionTimeout: number | null): Json {
  const job = smallJob(transactionTimeout === null ? TWO_PC : { ...TWO_PC, transactionTimeout }) as Json & { config: Json };
  job.config['restartStrategy'] = { type: 'fixed-delay', attempts: 5, delay: 1000 };
  return job;
}

function faultSpecs(plan: readonly FaultJson[], scenario: Scenario): readonly FaultSpec[] {
  const v = validateFaultPlan(plan, scenario);
  if (!v.ok) throw new Error(`an invalid plan: ${JSON.stringify(v.issues)}`);
  return v.faults;
}

/** What `weir run` does with a file: validate it, run it with its own faults, check its expectations. */
function runAsWeirRun(file: Json): ExpectationFailure[] {
  const v = validateScenario(file, 'counterexample.json');
  if (!v.ok) throw new Error(`the counterexample is not a valid scenario: ${JSON.stringify(v.issues)}`);
  expect(v.scenario.expect).not.toBeNull();
  const sim = createSimulation({ scenario: v.scenario });
  sim.run();
  return checkExpectations(v.scenario.expect!, sim.report());
}

function holds(input: Json, name: string, runs: number, seed: number): CampaignResult {
  const result = runCampaign(new Campaign(input, name, { runs, seed, maxFaults: 3 }));
  // A violation here is a bug in Weir's engine, not in the test: the plan is in the message.
  expect(result.violation?.shrunk ?? null, `${name} seed ${seed}: counterexample plan`).toBeNull();
  expect(result).toMatchObject({ violated: false, runs, lost: 0, duplicated: 0, unexpected: 0 });
  // The campaign really hurt the job: faults of several kinds fired, restarts among them.
  const fired = Object.entries(result.coverage.types).filter(([, c]) => c.fired > 0).map(([t]) => t);
  expect(fired).toEqual(expect.arrayContaining(['kill-task', 'kill-taskmanager', 'crash-at']));
  return result;
}

interface Broken {
  readonly campaign: Campaign;
  readonly result: CampaignResult;
  readonly shrunk: FaultJson[];
}

/** The configuration breaks: found, shrunk to at most 3 faults, and its counterexample fails when run, at the sink. */
function breaks(input: Json, name: string, runs: number, seed: number): Broken {
  const campaign = new Campaign(input, name, { runs, seed, maxFaults: 3 });
  const result = runCampaign(campaign);
  expect(result.violated, `${name} seed ${seed}: no violation in ${runs} runs`).toBe(true);
  const shrunk = result.violation!.shrunk;
  expect(shrunk.length).toBeGreaterThanOrEqual(1);
  expect(shrunk.length).toBeLessThanOrEqual(3);
  expect(validateFaultPlan(shrunk, campaign.scenario).ok).toBe(true);
  expect(campaign.runPlan(shrunk).verdict.holds).toBe(false);
  const failures = runAsWeirRun(result.counterexample as Json);
  expect(failures.map((f) => f.path)).toContain('$.expect.sinks.out.committed');
  // The counterexample's expectation is the fault-free output: without the plan the file passes.
  const clean = structuredClone(result.counterexample) as Json;
  clean['faults'] = [];
  expect(runAsWeirRun(clean)).toEqual([]);
  return { campaign, result, shrunk };
}

describe('configurations that are exactly-once hold under random fault plans', () => {
  it('2PC sink, aligned exactly-once checkpoints (150 runs, seed 11)', () => {
    holds(smallJob(TWO_PC), '2pc-aligned.json', 150, 11);
  });

  it('2PC sink, unaligned checkpoints (150 runs, seed 12)', () => {
    const result = holds(withCheckpointing(smallJob(TWO_PC), { unaligned: true }), '2pc-unaligned.json', 150, 12);
    expect(result.coverage.points['pre-commit']!.fired).toBeGreaterThan(0);
  });

  it('2PC sink, aligned and unaligned, with barriers that reach the window at different times (100 runs each, seed 13)', () => {
    holds(twoSpeedJob('exactly-once'), 'two-speed-aligned.json', 100, 13);
    holds(twoSpeedJob('exactly-once', true), 'two-speed-unaligned.json', 100, 13);
  });

  it("2PC sink with Flink's buffer timeout: 100 ms aligned, -1 unaligned (100 runs each, seed 15)", () => {
    // Records and watermarks wait in partial buffers; barriers and the end of the data end them.
    const withTimeout = (job: Json, bufferTimeout: number): Json => ({ ...job, config: { ...(job['config'] as Json), bufferTimeout } });
    holds(withTimeout(smallJob(TWO_PC), 100), '2pc-buffer-timeout.json', 100, 15);
    holds(withTimeout(withCheckpointing(smallJob(TWO_PC), { unaligned: true }), -1), '2pc-unaligned-full-buffers.json', 100, 15);
  });

  it('idempotent upserts keyed deterministically by key and window (150 runs, seed 14)', () => {
    const job = smallJob({ type: 'idempotent', table: 'counts', key: 'key + "@" + str(window.start)' });
    const result = holds(job, 'idempotent.json', 150, 14);
    // It held by the table, not because nothing was replayed: the same plans duplicate a print sink's output.
    const print = runCampaign(new Campaign(smallJob({ type: 'print' }), 'print.json', { runs: 150, seed: 14, maxFaults: 3 }));
    expect(print.violated).toBe(true);
    expect(result.runs).toBe(150);
  });
});

describe('configurations that are not exactly-once break, with a counterexample of at most 3 faults', () => {
  it('a print sink duplicates (seed 21)', () => {
    const { result } = breaks(smallJob({ type: 'print' }), 'print.json', 50, 21);
    expect(result).toMatchObject({ lost: 0, unexpected: 0 });
    expect(result.duplicated).toBeGreaterThan(0);
  });

  it('an at-least-once sink duplicates, and loses nothing (seed 22)', () => {
    const { result } = breaks(smallJob({ type: 'at-least-once', topic: 'results' }), 'alo-sink.json', 50, 22);
    expect(result).toMatchObject({ lost: 0, unexpected: 0 });
    expect(result.duplicated).toBeGreaterThan(0);
  });

  it('a 2PC sink behind at-least-once checkpoints counts records twice in the window: its results differ (seed 23)', () => {
    const { result } = breaks(twoSpeedJob('at-least-once'), 'two-speed-alo.json', 100, 23);
    // Not duplicated results: different ones. Each window's count is too high, never too low.
    expect(result.duplicated).toBe(0);
    expect(result.lost).toBeGreaterThan(0);
    expect(result.unexpected).toBe(result.lost);
    const examples = result.violation!.run.verdict.differences[0]!.examples;
    type Row = { key: string; window: { start: number }; value: number };
    const row = (e: OracleExample): Row => (e.kind === 'lost' || e.kind === 'unexpected' ? (e.record.value as unknown as Row) : expect.unreachable(`a table example in a topic sink: ${e.kind}`));
    const lost = examples.filter((e) => e.kind === 'lost').map(row);
    const unexpected = examples.filter((e) => e.kind === 'unexpected').map(row);
    expect(unexpected.length).toBeGreaterThan(0);
    for (const u of unexpected) {
      const was = lost.find((l) => l.key === u.key && l.window.start === u.window.start);
      expect(was, `window ${u.key}@${u.window.start}`).toBeDefined();
      expect(u.value).toBeGreaterThan(was!.value);
    }
  });

  it('a write-ahead-log sink duplicates in its corner: a crash at wal-send or after-wal-send (seed 24)', () => {
    const { result, shrunk } = breaks(smallJob({ type: 'write-ahead-log', topic: 'results' }), 'wal.json', 50, 24);
    expect(result).toMatchObject({ lost: 0, unexpected: 0 });
    expect(result.duplicated).toBeGreaterThan(0);
    expect(shrunk.some((f) => f['type'] === 'crash-at' && (f['point'] === 'wal-send' || f['point'] === 'after-wal-send'))).toBe(true);
  });

  it('a 2PC transaction timeout shorter than the recovery loses data, as with Kafka (seed 25)', () => {
    const { campaign, result, shrunk } = breaks(timeoutJob(300), 'txn-timeout.json', 50, 25);
    expect(result).toMatchObject({ duplicated: 0, unexpected: 0 });
    expect(result.lost).toBeGreaterThan(0);
    // The log aborted the transactions: a commit found them gone (the sink's 'lost' step).
    const sim = createSimulation({ scenario: campaign.scenario, faults: faultSpecs(shrunk, campaign.scenario) });
    sim.run();
    const lostSteps = sim.trace.events.filter((e) => e.tag === 'sink.commit' && (e as { step?: string }).step === 'lost');
    expect(lostSteps.length).toBeGreaterThan(0);
    // With the default timeout (15 minutes) the same plan loses nothing: the timeout is the cause.
    expect(new Campaign(timeoutJob(null), 'txn-default.json', { runs: 1 }).runPlan(shrunk).verdict.holds).toBe(true);
  });
});

describe('weir check on the shipped scenarios', () => {
  const ROOT = join(import.meta.dirname, '..', '..');
  const tmp = mkdtempSync(join(tmpdir(), 'weir-configurations-'));
  const weir = (...args: string[]): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [join(ROOT, 'cli', 'weir.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const lastLine = (stdout: string): Record<string, unknown> => JSON.parse(stdout.trim().split('\n').at(-1)!);
  const scenario = (name: string): Json => JSON.parse(readFileSync(join(ROOT, 'scenarios', `${name}.json`), 'utf8'));
  /** The committed output of a file run without its faults: what weir check must use as its reference. */
  const faultFree = (file: Json): unknown[] => {
    const v = validateScenario(file, 'x.json');
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    const sim = createSimulation({ scenario: v.scenario, faults: [] });
    sim.run();
    return sim.report().sinks['out']!.committed;
  };

  for (const name of ['write-ahead-log-corner', 'transaction-timeout-loses-data']) {
    it(`${name}.json: a violation, and a counterexample that weir run reproduces (exit 3)`, () => {
      const out = join(tmp, `${name}-ce.json`);
      const r = weir('check', join('scenarios', `${name}.json`), '--runs', '50', '--json', '--out', out);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(3);
      const line = lastLine(r.stdout);
      expect(line).toMatchObject({ format: 'weir/check@1', violated: true, counterexample: out });
      expect(line['faults']).toBeLessThanOrEqual(3);
      const ce = JSON.parse(readFileSync(out, 'utf8')) as Json & { expect: { sinks: { out: { committed: unknown[] } } } };
      // The scenario's own faults make its point, so the reference dropped them (CONTRACT 2.1):
      // the counterexample expects the fault-free output, not what the file's own faults leave.
      const file = scenario(name);
      expect(file['faults']).not.toEqual([]);
      expect(ce['faults']).toEqual(line['plan']);
      expect(ce.expect.sinks.out.committed).toEqual(faultFree(file));
      const own = validateScenario(file, 'x.json');
      if (!own.ok) throw new Error(JSON.stringify(own.issues));
      const withOwnFaults = createSimulation({ scenario: own.scenario });
      withOwnFaults.run();
      expect(withOwnFaults.report().sinks['out']!.committed).not.toEqual(ce.expect.sinks.out.committed);
      const run = weir('run', out, '--json');
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('$.expect.sinks.out.committed: expectation failed');
    });
  }

  for (const name of ['two-phase-commit-lifecycle', 'idempotent-sink']) {
    it(`${name}.json holds under weir check (exit 0)`, () => {
      const out = join(tmp, `${name}-never.json`);
      const r = weir('check', join('scenarios', `${name}.json`), '--runs', '30', '--json', '--out', out);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(lastLine(r.stdout)).toMatchObject({ format: 'weir/check@1', runs: 30, violated: false, lost: 0, duplicated: 0, unexpected: 0, counterexample: null });
      expect(() => readFileSync(out)).toThrow();
    });
  }
});

describe('a campaign run judges without the full report, as runPlan does with it', () => {
  it('the same verdict and fired faults for 40 plans each of a print, an idempotent and a WAL sink (seed 31)', () => {
    let violated = 0;
    for (const sink of [{ type: 'print' }, { type: 'idempotent', table: 'counts', key: 'key' }, { type: 'write-ahead-log', topic: 'results' }]) {
      const campaign = new Campaign(smallJob(sink), 'same.json', { runs: 40, seed: 31, maxFaults: 3 });
      for (let i = 0; i < 40; i++) {
        const fast = campaign.runIndex(i);
        const full = campaign.runPlan(campaign.planOf(i));
        expect(fast.violated, `${sink.type} run ${i}`).toBe(!full.verdict.holds);
        expect(fast.faults).toEqual(full.faults);
        if (fast.violated) violated++;
      }
    }
    // Both kinds of verdict were compared, not only runs that held.
    expect(violated).toBeGreaterThan(5);
  });
});
