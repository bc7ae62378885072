/**
 * The playground's only door into the engine (`core/index.ts`), and the loop that drives a
 * simulation in slices: a few milliseconds of kernel steps, then a pause so the browser can
 * paint progress and take a click on Stop. Slicing changes nothing in the run: the same
 * steps happen in the same order as in `Simulation.run()`, so the trace hash is the one
 * `weir run` prints.
 */
import type { RunCharts } from './charts.ts';
import type { GraphLayout } from './graph-layout.ts';
import {
  createSimulation,
  formatIssue,
  JobGraphError,
  validateScenario,
  type RunReport,
  type Scenario,
  type Simulation,
  type TraceEvent,
} from '../../../core/index.ts';
import { describeThrown } from './format.ts';
import { NetworkRecorder, type NetworkTimeline } from './network-timeline.ts';

/** What the playground needs from the engine; tests pass their own. */
export interface Engine {
  validateScenario: typeof validateScenario;
  createSimulation: typeof createSimulation;
}

export const CORE_ENGINE: Engine = { validateScenario, createSimulation };

export type Checked = { ok: true; scenario: Scenario } | { ok: false; issues: string[] };

/** Validates a scenario's JSON; issues are formatted as the CLI prints them. */
export function checkScenario(engine: Engine, data: unknown, file: string): Checked {
  try {
    const result = engine.validateScenario(data, file);
    return result.ok ? { ok: true, scenario: result.scenario } : { ok: false, issues: result.issues.map(formatIssue) };
  } catch (error) {
    return { ok: false, issues: [`${file}: $: the validator failed: ${describeThrown(error)}`] };
  }
}

export interface RunProgress {
  steps: number;
  virtualTimeMs: number;
  traceEvents: number;
}

/** A run that ended (or was stopped): its report and its trace. */
export interface FinishedRun {
  report: RunReport;
  events: readonly TraceEvent[];
  /** What the network held through the run, for the job graph view. */
  network: NetworkTimeline;
  steps: number;
  /** True when the person stopped the run before its end: the report is partial. */
  stoppedEarly: boolean;
  wallMs: number;
  /**
   * Views of the whole run that the worker works out before it answers (the charts over the
   * trace, the graph's layout), so that the page does not; absent from a run made in the page.
   */
  precomputed?: { charts: RunCharts; layout: GraphLayout };
}

export type RunOutcome =
  | { kind: 'done'; scenario: string; seed: number; run: FinishedRun }
  /** The job cannot be built as written (the engine's JobGraphError). */
  | { kind: 'invalid'; scenario: string; seed: number; issues: string[] }
  /** The engine threw while running: a bug or a limit. `partial` is what the run had done. */
  | { kind: 'error'; scenario: string; seed: number; message: string; steps: number; partial: RunReport | null };

export interface DriveOptions {
  engine: Engine;
  scenario: Scenario;
  /** The scenario's name (file base name) and file, for messages. */
  name: string;
  file: string;
  seed: number;
  /** Wall-clock budget of one slice, in ms. */
  sliceMs?: number;
  now: () => number;
  /** Lets the browser paint; resolves when the next slice may start. */
  pause: () => Promise<void>;
  onProgress?: (progress: RunProgress) => void;
  /** Checked between slices: true stops the run and keeps what it did. */
  shouldStop?: () => boolean;
  /** Checked between slices: true abandons the run (the person moved on). */
  isAbandoned?: () => boolean;
}

/**
 * What the session asks of whatever runs a scenario: in the page (`inPageRunner`, Node
 * tests) or in a Web Worker (`workerRunner`, the browser). `data` is the JSON that was
 * validated into `scenario`, for a runner that must validate it again on its side.
 */
export interface RunRequest {
  scenario: Scenario;
  data: unknown;
  name: string;
  file: string;
  seed: number;
  onProgress?: (progress: RunProgress) => void;
  shouldStop?: () => boolean;
  isAbandoned?: () => boolean;
}

export type Runner = (request: RunRequest) => Promise<RunOutcome | null>;

/** Runs in this thread, in slices that yield with `pause`. */
export function inPageRunner(engine: Engine, now: () => number, pause: () => Promise<void>): Runner {
  return (request) => {
    const { data: _data, ...rest } = request;
    return driveRun({ ...rest, engine, now, pause });
  };
}

const DEFAULT_SLICE_MS = 12;

function progressOf(sim: Simulation, steps: number): RunProgress {
  return { steps, virtualTimeMs: sim.kernel.clock.nowMs, traceEvents: sim.trace.count };
}

/**
 * Runs a scenario to its end (or `run.until`) in slices; resolves to the outcome, or to
 * null when the run was abandoned. Never rejects: engine exceptions become `error`.
 */
export async function driveRun(options: DriveOptions): Promise<RunOutcome | null> {
  const { engine, scenario, name, file, seed, now, pause } = options;
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const started = now();
  let sim: Simulation;
  try {
    sim = engine.createSimulation({ scenario, seed, traceLevel: 'full' });
  } catch (error) {
    if (error instanceof JobGraphError) {
      return { kind: 'invalid', scenario: name, seed, issues: [`${file}: $.job: ${error.message}`] };
    }
    return { kind: 'error', scenario: name, seed, message: describeThrown(error), steps: 0, partial: null };
  }
  let steps = 0;
  let stoppedEarly = false;
  const network = new NetworkRecorder();
  try {
    for (;;) {
      // One kernel step can carry a whole batch of records, so look at the clock after each.
      const sliceEnd = now() + sliceMs;
      let more = sim.step();
      network.observe(sim);
      while (more) {
        steps++;
        if (now() >= sliceEnd) break;
        more = sim.step();
        network.observe(sim);
      }
      if (!more) break;
      options.onProgress?.(progressOf(sim, steps));
      await pause();
      if (options.isAbandoned?.()) return null;
      if (options.shouldStop?.()) {
        stoppedEarly = true;
        break;
      }
    }
    const report = sim.report();
    return {
      kind: 'done',
      scenario: name,
      seed,
      run: { report, events: sim.trace.events, network: network.finish(), steps, stoppedEarly, wallMs: Math.max(0, now() - started) },
    };
  } catch (error) {
    let partial: RunReport | null = null;
    try {
      partial = sim.report();
    } catch {
      partial = null;
    }
    return { kind: 'error', scenario: name, seed, message: describeThrown(error), steps, partial };
  }
}
