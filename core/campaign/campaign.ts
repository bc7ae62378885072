/**
 * A fault campaign: `weir check`'s property run. The job runs once without faults, and
 * that run's output is the reference; then it runs again and again, each time under a
 * fault plan drawn at random from everything that can go wrong with it (fault-space.ts),
 * and the exactly-once oracle (core/check) compares each run's output with the reference.
 * The first plan that breaks the property is shrunk with fast-check, fewer faults, earlier
 * and simpler, while the violation persists, and becomes a counterexample: the scenario
 * file with that plan as its `faults` and the reference output as its `expect`, so that
 * `weir run` of it fails exactly as the campaign saw.
 *
 * The plan of run i is a pure function of (seed, i): runs can be split across workers in
 * any way and the campaign's answer is the same, the lowest-index violation, shrunk in one
 * place. As TigerBeetle's VOPR and FoundationDB's simulation, one seed reproduces it all.
 */
import fc from 'fast-check';
import { formatIssue, validateFaultPlan, validateScenario, type CrashPoint, type FaultSpec, type FaultType, type Scenario } from '../api/index.ts';
import { checkReference, createExactlyOnceOracle, type ExactlyOnceOracle, type ExactlyOnceVerdict, type OracleRecord, type OracleRun } from '../check/index.ts';
import { JobGraphError, type JobGraph, type StreamGraph } from '../graph/index.ts';
import { LimitExceededError, type Limits } from '../kernel/index.ts';
import { cloneJson, type JsonValue } from '../model/index.ts';
import type { RunReport } from '../report.ts';
import { createSimulation, type Simulation } from '../simulation.ts';
import { faultSpaceOf, planArbitrary, type FaultJson, type FaultSpace } from './fault-space.ts';
import { limitErrorForCheck, limitMessageForCheck } from './limit-message.ts';

export const CHECK_FORMAT = 'weir/check@1';

/** Defaults of `weir check` (CONTRACT 2.1). */
export const DEFAULT_CHECK_RUNS = 100;
export const DEFAULT_MAX_FAULTS = 3;
/** Runs tried while shrinking, at most: shrinking ends with the smallest plan found by then. */
export const MAX_SHRINK_RUNS = 2000;
/** A bound on the campaign, as on everything: a million runs is already hours. */
export const MAX_CHECK_RUNS = 1_000_000;

export interface CampaignOptions {
  /** How many fault plans to try (default 100). */
  readonly runs?: number;
  /** The seed the plans are drawn from (default 0); not the simulation's seed, which is the scenario's. */
  readonly seed?: number;
  /** At most this many faults per plan (default 3). */
  readonly maxFaults?: number;
  readonly limits?: Partial<Limits>;
}

/** The input cannot be checked: invalid, never ending, or its fault-free run proves nothing. `lines` say why (exit 2). */
export class CampaignInputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'CampaignInputError';
  }
}

/** A run broke Weir itself (not the property): an assertion failed. It carries the plan that reproduces it. */
export class CampaignRunError extends Error {
  constructor(
    readonly index: number,
    readonly plan: readonly FaultJson[],
    readonly error: unknown,
  ) {
    super(`run ${index} with faults ${JSON.stringify(plan)} failed: ${error instanceof Error ? error.message : String(error)}`);
    this.name = 'CampaignRunError';
  }
}

/** What became of one fault of a plan, as the coverage counts it. */
export interface FiredFault {
  readonly type: FaultType;
  readonly point: CrashPoint | null;
  readonly fired: boolean;
}

/** One run of the campaign, as plain data (a worker sends these back). */
export interface RunOutcome {
  readonly index: number;
  readonly violated: boolean;
  readonly faults: readonly FiredFault[];
}

/** A plan run once: the oracle's verdict and the run's report. */
export interface PlanRun {
  readonly verdict: ExactlyOnceVerdict;
  readonly report: RunReport;
  readonly faults: readonly FiredFault[];
}

export interface ShrinkResult {
  readonly index: number;
  /** The plan as drawn, and as shrunk. */
  readonly drawn: FaultJson[];
  readonly shrunk: FaultJson[];
  /** Successful shrinking steps (fast-check's numShrinks). */
  readonly shrinkSteps: number;
  /** Runs tried while shrinking. */
  readonly shrinkRuns: number;
  /** What became of the faults of each run the shrink made (the shrunk plan's among them), for the coverage. */
  readonly shrinkFaults: readonly (readonly FiredFault[])[];
  /** The shrunk plan's run. */
  readonly run: PlanRun;
}

export interface CoverageCount {
  /** Faults of this kind in the plans that ran. */
  planned: number;
  /** How many of them fired (their time, record count or point came). */
  fired: number;
}

/** Faults planned and fired per fault type and crash point, over some runs. */
export interface CoverageCounts {
  readonly types: Record<string, CoverageCount>;
  readonly points: Record<string, CoverageCount>;
}

export interface CampaignCoverage extends CoverageCounts {
  /**
   * The same counts over the runs the shrink made, apart from the campaign's (`types` and
   * `points` count only the campaign's runs, so that they do not depend on what it found);
   * null when nothing was shrunk. The counterexample's faults fired in one of these runs.
   */
  readonly shrink: (CoverageCounts & { readonly runs: number }) | null;
  /** Fault types and crash points (as `crash-at:POINT`) of the space that never fired, in the campaign's runs nor the shrink's. */
  readonly neverFired: string[];
  /** Fault types the job offers no target for, and why. */
  readonly notApplicable: readonly { readonly type: FaultType; readonly reason: string }[];
}

export interface CampaignResult {
  readonly format: typeof CHECK_FORMAT;
  /** Runs made: all of them, or up to and including the first violation. */
  readonly runs: number;
  readonly violated: boolean;
  /** Counts of the shrunk counterexample (zeros when nothing was violated). */
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
  /** Faults in the shrunk plan. */
  readonly faults: number;
  readonly shrinkSteps: number;
  readonly seed: number;
  readonly maxFaults: number;
  readonly violation: ShrinkResult | null;
  readonly coverage: CampaignCoverage;
  /** The counterexample scenario (JSON, to write to a file), or null. */
  readonly counterexample: JsonValue | null;
}

/** A 32-bit seed for run `index`, mixed from the campaign's seed (murmur3's finalizer), so neighbouring runs draw unrelated plans. */
export function runSeed(seed: number, index: number): number {
  const lo = seed | 0;
  const hi = Math.floor(seed / 0x1_0000_0000) | 0;
  let h = Math.imul(lo ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(hi + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(index + 1, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * A campaign ready to run: the input validated, the reference run made and judged fit,
 * the fault space drawn from it. Every method is deterministic.
 */
export class Campaign {
  readonly scenario: Scenario;
  readonly reference: RunReport;
  readonly space: FaultSpace;
  readonly runs: number;
  readonly seed: number;
  readonly maxFaults: number;
  /** Sinks that write a table (idempotent sinks), judged by the table. */
  readonly tableSinks: readonly string[];
  readonly #input: Record<string, unknown>;
  readonly #oracle: ExactlyOnceOracle;
  readonly #arbitrary: fc.Arbitrary<FaultJson[]>;
  /** The job compiled once, by the reference run, and deployed afresh by every run. */
  readonly #streamGraph: StreamGraph;
  readonly #jobGraph: JobGraph;
  readonly #limits: Partial<Limits> | undefined;

  constructor(input: unknown, file: string, options: CampaignOptions = {}) {
    this.runs = options.runs ?? DEFAULT_CHECK_RUNS;
    this.seed = options.seed ?? 0;
    this.maxFaults = options.maxFaults ?? DEFAULT_MAX_FAULTS;
    this.#limits = options.limits;
    if (!Number.isSafeInteger(this.runs) || this.runs < 1 || this.runs > MAX_CHECK_RUNS) throw new RangeError(`runs must be a whole number from 1 to ${MAX_CHECK_RUNS}, got ${this.runs}`);
    if (!Number.isSafeInteger(this.maxFaults) || this.maxFaults < 0) throw new RangeError(`maxFaults must be a whole number of at least 0, got ${this.maxFaults}`);
    if (!Number.isSafeInteger(this.seed)) throw new RangeError(`seed must be a whole number, got ${this.seed}`);
    const result = validateScenario(input, file);
    if (!result.ok) throw new CampaignInputError(result.issues.map(formatIssue));
    this.scenario = result.scenario;
    this.#input = input as Record<string, unknown>;
    let sim;
    try {
      sim = createSimulation({ scenario: this.scenario, faults: [], traceLevel: 'off', retainTrace: false, limits: this.#limits });
    } catch (e) {
      if (e instanceof JobGraphError) throw new CampaignInputError([`${file}: ${e.path}: ${e.message}`]);
      throw e;
    }
    this.#streamGraph = sim.streamGraph;
    this.#jobGraph = sim.jobGraph;
    try {
      sim.run();
    } catch (e) {
      if (e instanceof LimitExceededError) throw limitErrorForCheck(e);
      throw e;
    }
    this.reference = sim.report();
    const unfit = checkReference(this.reference);
    if (unfit !== null) throw new CampaignInputError([`${file}: ${unfit}`]);
    this.tableSinks = Object.keys(this.reference.sinks).filter((id) => sim.world.sinkTarget(id)?.kind === 'table');
    this.#oracle = createExactlyOnceOracle(this.reference, { tableSinks: this.tableSinks });
    this.space = faultSpaceOf(this.scenario, sim.jobGraph, {
      virtualTime: this.reference.virtualTime,
      checkpointIds: this.reference.checkpoints.filter((c) => c.savepoint !== true).map((c) => c.id),
      maxRecordsIn: Math.max(0, ...this.reference.tasks.map((t) => t.recordsIn)),
    });
    this.#arbitrary = planArbitrary(this.space, this.maxFaults);
  }

  /** The plan of run `index`: a pure function of (seed, index). */
  planOf(index: number): FaultJson[] {
    return fc.sample(this.#arbitrary, { seed: runSeed(this.seed, index), numRuns: 1 })[0]!;
  }

  /** The plan validated as the scenario validator reads a file's `faults`. */
  #validated(plan: readonly FaultJson[]): FaultSpec[] {
    const result = validateFaultPlan(plan, this.scenario);
    if (!result.ok) throw new RangeError(`a drawn fault plan is not valid (a bug in the fault space): ${result.issues.map(formatIssue).join('; ')}`);
    return result.faults;
  }

  /** Runs the job under `plan` and judges its output. A run that hits a limit violates the property (it did not finish); other errors are Weir's bugs and propagate. */
  runPlan(plan: readonly FaultJson[]): PlanRun {
    const { sim, stopped } = this.#simulate(plan);
    const report = sim.report();
    const judged = stopped === null ? report : { ...report, status: 'STOPPED', failureCause: `the run stopped on a limit: ${stopped}` };
    return { verdict: this.#oracle.check(judged), report, faults: firedFaults(sim) };
  }

  /**
   * Run `index` of the campaign. It judges what the oracle reads straight from the
   * simulation instead of building the whole run report (trace hash, checkpoints, tasks,
   * metrics): the same verdict as runPlan's, at a fraction of the cost of each of a
   * campaign's hundreds of runs.
   */
  runIndex(index: number): RunOutcome {
    const plan = this.planOf(index);
    try {
      const { sim, stopped } = this.#simulate(plan);
      return { index, violated: !this.#oracle.check(oracleRunOf(sim, stopped)).holds, faults: firedFaults(sim) };
    } catch (e) {
      throw new CampaignRunError(index, plan, e);
    }
  }

  /** The job run under `plan`, and the limit it stopped on, if one. */
  #simulate(plan: readonly FaultJson[]): { sim: Simulation; stopped: string | null } {
    const faults = this.#validated(plan);
    const sim = createSimulation({ scenario: this.scenario, streamGraph: this.#streamGraph, jobGraph: this.#jobGraph, faults, traceLevel: 'off', retainTrace: false, limits: this.#limits });
    try {
      sim.run();
    } catch (e) {
      if (!(e instanceof LimitExceededError)) throw e;
      return { sim, stopped: limitMessageForCheck(e) };
    }
    return { sim, stopped: null };
  }

  /**
   * Shrinks the plan of run `index` (which violated the property) with fast-check: the same
   * seed draws the same plan, and fast-check's shrinking tries smaller ones, keeping each
   * that still violates it.
   */
  shrink(index: number): ShrinkResult {
    const drawn = this.planOf(index);
    let tried = 0;
    let first = true;
    const shrinkFaults: (readonly FiredFault[])[] = [];
    const judge = (plan: readonly FaultJson[]): boolean => {
      const run = this.runPlan(plan);
      shrinkFaults.push(run.faults);
      return run.verdict.holds;
    };
    const property = fc.property(this.#arbitrary, (plan) => {
      if (first) {
        first = false;
        // The shrink starts from the plan the run drew: fc.check and fc.sample draw alike.
        if (JSON.stringify(plan) !== JSON.stringify(drawn)) throw new RangeError(`fast-check drew ${JSON.stringify(plan)} for run ${index}, not its plan ${JSON.stringify(drawn)}`);
      }
      if (++tried > MAX_SHRINK_RUNS) return true; // the limit: keep the smallest found so far
      try {
        return judge(plan);
      } catch (e) {
        // A smaller plan that breaks Weir itself is another finding, not this violation.
        if (tried === 1) throw e;
        return true;
      }
    });
    const details = fc.check(property, { seed: runSeed(this.seed, index), numRuns: 1 });
    if (!details.failed || details.counterexample === null) {
      const error: unknown = details.errorInstance;
      const why = error instanceof Error ? `: ${error.message}` : '';
      throw new RangeError(`run ${index} violated the property, but its plan ${JSON.stringify(drawn)} held when run again${why}`);
    }
    // fast-check shrinks the plan as one value and can keep a fault the violation does not
    // need (a kill at 0 beside the crash that matters). Dropping faults one at a time, while
    // the violation stays, leaves a plan from which no single fault can be removed.
    let shrunk = details.counterexample[0];
    let steps = details.numShrinks;
    for (let i = 0; i < shrunk.length && shrunk.length > 1 && tried < MAX_SHRINK_RUNS; ) {
      const without = [...shrunk.slice(0, i), ...shrunk.slice(i + 1)];
      tried++;
      if (this.#violates(without, judge)) {
        shrunk = without;
        steps++;
      } else i++;
    }
    // The shrunk plan ran already, as one of the shrink's runs; this run of it again is not counted.
    return { index, drawn, shrunk, shrinkSteps: steps, shrinkRuns: Math.min(tried, MAX_SHRINK_RUNS), shrinkFaults, run: this.runPlan(shrunk) };
  }

  #violates(plan: readonly FaultJson[], judge: (plan: readonly FaultJson[]) => boolean): boolean {
    try {
      return !judge(plan);
    } catch {
      return false; // a smaller plan that breaks Weir itself is another finding, not this violation
    }
  }

  /** The counterexample: the input file with `faults` set to `plan` and `expect` set to the reference's output. */
  counterexampleOf(plan: readonly FaultJson[]): JsonValue {
    const out = cloneJson(this.#input as JsonValue) as Record<string, JsonValue>;
    out['faults'] = cloneJson(plan as JsonValue);
    // Null-prototype: a sink's id is the user's, and `__proto__` is a valid one.
    const sinks = Object.create(null) as Record<string, JsonValue>;
    for (const [id, output] of Object.entries(this.reference.sinks)) {
      if (!this.tableSinks.includes(id)) sinks[id] = { committed: output.committed.map((r) => ({ value: r.value, timestamp: r.timestamp })) };
    }
    const expect: Record<string, JsonValue> = { status: 'FINISHED', sinks };
    if (Object.keys(this.reference.tables).length > 0) expect['tables'] = cloneJson(this.reference.tables as JsonValue);
    out['expect'] = expect;
    return out;
  }

  /** The campaign's result from the outcomes of its runs (any order, any extra runs after a violation) and the shrink of the first violation. */
  result(outcomes: readonly RunOutcome[], shrunk: ShrinkResult | null): CampaignResult {
    const sorted = [...outcomes].sort((a, b) => a.index - b.index);
    const firstViolation = sorted.find((o) => o.violated)?.index ?? null;
    const counted = firstViolation === null ? sorted : sorted.filter((o) => o.index <= firstViolation);
    if (shrunk !== null && shrunk.index !== firstViolation) throw new RangeError(`the shrink is of run ${shrunk.index}, the first violation is run ${firstViolation}`);
    const verdict = shrunk?.run.verdict ?? null;
    return {
      format: CHECK_FORMAT,
      runs: counted.length,
      violated: shrunk !== null,
      lost: verdict?.lost ?? 0,
      duplicated: verdict?.duplicated ?? 0,
      unexpected: verdict?.unexpected ?? 0,
      faults: shrunk?.shrunk.length ?? 0,
      shrinkSteps: shrunk?.shrinkSteps ?? 0,
      seed: this.seed,
      maxFaults: this.maxFaults,
      violation: shrunk,
      coverage: this.#coverage(counted, shrunk),
      counterexample: shrunk === null ? null : this.counterexampleOf(shrunk.shrunk),
    };
  }

  #coverage(outcomes: readonly RunOutcome[], shrunk: ShrinkResult | null): CampaignCoverage {
    const { types, points } = this.#counts(outcomes.map((o) => o.faults));
    const shrink = shrunk === null ? null : { runs: shrunk.shrinkFaults.length, ...this.#counts(shrunk.shrinkFaults) };
    const fired = (c: CoverageCount | undefined) => (c?.fired ?? 0) > 0;
    const neverFired = [
      ...Object.entries(types).filter(([t, c]) => c.fired === 0 && !fired(shrink?.types[t])).map(([t]) => t),
      ...Object.entries(points).filter(([p, c]) => c.fired === 0 && !fired(shrink?.points[p])).map(([p]) => `crash-at:${p}`),
    ];
    return { types, points, shrink, neverFired, notApplicable: this.space.notApplicable };
  }

  #counts(runs: readonly (readonly FiredFault[])[]): CoverageCounts {
    const types: Record<string, CoverageCount> = {};
    const points: Record<string, CoverageCount> = {};
    for (const t of this.space.types) types[t] = { planned: 0, fired: 0 };
    for (const p of this.space.points) points[p] = { planned: 0, fired: 0 };
    for (const faults of runs) {
      for (const f of faults) {
        const t = (types[f.type] ??= { planned: 0, fired: 0 });
        t.planned++;
        if (f.fired) t.fired++;
        if (f.point !== null) {
          const p = (points[f.point] ??= { planned: 0, fired: 0 });
          p.planned++;
          if (f.fired) p.fired++;
        }
      }
    }
    return { types, points };
  }
}

function firedFaults(sim: Simulation): FiredFault[] {
  return sim.faults.map((f) => ({ type: f.type, point: f.point ?? null, fired: f.fired }));
}

/** What the oracle reads of a run, as `buildReport` would give it (sinks in id order, tables as null-prototype objects), and nothing else. */
function oracleRunOf(sim: Simulation, stopped: string | null): OracleRun {
  const sinks = Object.create(null) as Record<string, { committed: readonly OracleRecord[] }>;
  for (const [id, output] of sim.world.sinkOutputs()) sinks[id] = { committed: output.committed };
  const tables = Object.create(null) as Record<string, Record<string, JsonValue>>;
  for (const [name, rows] of sim.world.tables.entries()) {
    const table = Object.create(null) as Record<string, JsonValue>;
    for (const [key, value] of rows) table[key] = value;
    tables[name] = table;
  }
  if (stopped !== null) return { status: 'STOPPED', failureCause: `the run stopped on a limit: ${stopped}`, sinks, tables };
  return { status: sim.status, failureCause: sim.jobManager.failureCause, sinks, tables };
}

/**
 * Runs a whole campaign in this thread: every run in index order until the first violation,
 * which it shrinks. (`weir check --workers N` splits the runs across threads with the same
 * `Campaign` methods and gets the same result.)
 * @example
 * const result = runCampaign(new Campaign(JSON.parse(text), file, { runs: 100, seed: 0, maxFaults: 3 }));
 * result.violated; // true: a print sink under a kill-task writes some records twice
 */
export function runCampaign(campaign: Campaign, onRun?: (outcome: RunOutcome) => void): CampaignResult {
  const outcomes: RunOutcome[] = [];
  for (let i = 0; i < campaign.runs; i++) {
    const outcome = campaign.runIndex(i);
    outcomes.push(outcome);
    onRun?.(outcome);
    if (outcome.violated) return campaign.result(outcomes, campaign.shrink(i));
  }
  return campaign.result(outcomes, null);
}
