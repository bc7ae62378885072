/**
 * A simulation: one scenario, one seed, one kernel. `createSimulation` validates nothing
 * (give it a validated Scenario), builds the StreamGraph and the JobGraph, starts a Client
 * and a JobManager on a fresh kernel, and submits the job at virtual time 0. From there
 * the run is a sequence of kernel steps, each one deterministic, until the job ends or
 * `run.until` is reached.
 *
 * This is the pure core that the `weir` command and the playground both drive; they only
 * decide how fast to step and what to show.
 */
import { Observable } from 'rxjs';
import { scenarioToStreamGraph, type ClusterSpec, type FaultSpec, type Scenario, type ScenarioConnectors } from './api/index.ts';
import { ActionPlayer } from './actions.ts';
import { FaultInjector, type FaultOutcome } from './faults/index.ts';
import { buildJobGraph, JobGraphError, type JobGraph, type StreamGraph } from './graph/index.ts';
import { assert, Kernel, resolveLimits, type Limits } from './kernel/index.ts';
import { buildReport, reportFoldsOf, type RunReport } from './report.ts';
import { Client, JobManager } from './runtime/index.ts';
import { World } from './world/index.ts';
import { TraceLog, type JobStatus, type TraceEvent, type TraceLevel } from './trace/index.ts';

export interface SimulationOptions {
  /** A validated scenario file; or give `streamGraph` (from the DataStream API) instead. */
  scenario?: Scenario;
  /**
   * `env.getStreamGraph()` of a job built with the DataStream API. Given with a `scenario`,
   * it is that scenario's graph built once (`sim.streamGraph` of an earlier simulation of the
   * same scenario and seed), reused so that many runs (a `weir check` campaign) build it once.
   */
  streamGraph?: StreamGraph;
  /**
   * The JobGraph of `streamGraph` at this `parallelism` (`sim.jobGraph` of an earlier
   * simulation with both the same), reused as `streamGraph` is: a JobGraph is immutable, and
   * a campaign's runs all deploy the same one. Give it only with that `streamGraph`.
   */
  jobGraph?: JobGraph;
  /** The cluster for a `streamGraph` job (a scenario brings its own). */
  cluster?: Partial<ClusterSpec>;
  /** Defaults to the scenario's own seed (0 for a `streamGraph`). */
  seed?: number;
  /** Client-level parallelism (`weir run --parallelism N`). */
  parallelism?: number | null;
  /** Stop at this virtual time; defaults to the scenario's `run.until`, else the job's end. */
  untilMs?: number | null;
  /** Defaults to `full`; the trace hash covers the events of this level. */
  traceLevel?: TraceLevel;
  /** Keep trace events in memory (default true); false keeps only the hash and count. */
  retainTrace?: boolean;
  limits?: Partial<Limits>;
  /** How long a job waits for slots before failing, as Flink's slot.request.timeout. */
  slotRequestTimeoutMs?: number;
  /** A fault plan; defaults to the scenario's `faults` (give [] to run without them). */
  faults?: readonly FaultSpec[];
  /** With a `scenario` (and no `streamGraph`): a host's topics and sinks in place of the file's (the benchmark's input and checksum). */
  connectors?: ScenarioConnectors;
}

export interface Simulation {
  /** The scenario's name, or the job's name for a DataStream API job. */
  readonly scenario: { readonly name: string };
  readonly seed: number;
  readonly kernel: Kernel;
  readonly trace: TraceLog;
  /** The JobGraph the job runs (reusable, with `streamGraph`, by another simulation at the same parallelism). */
  readonly jobGraph: JobGraph;
  /** The StreamGraph the job graph was built from (reusable by another simulation of the same scenario and seed). */
  readonly streamGraph: StreamGraph;
  readonly jobManager: JobManager;
  /** The outside world: the log, tables and outputs the job's sinks write to. */
  readonly world: World;
  /** True once the run has ended (the job reached a terminal state, or `until` was reached). */
  readonly ended: boolean;
  /** The fault plan, in plan order, with whether and when each fault fired so far. */
  readonly faults: readonly FaultOutcome[];
  readonly status: JobStatus;
  /** One kernel step; false when the run has ended. */
  step(): boolean;
  /** Steps until the run ends. */
  run(): void;
  /** The `weir/report@1` of the run so far. */
  report(): RunReport;
  /** Trace events as they are recorded, for live views. */
  readonly trace$: Observable<TraceEvent>;
  /** Where the run is, as plain data: enough for `restoreSimulation` to bring a new simulation to the same point. */
  snapshot(): SimulationSnapshot;
}

/**
 * A point of a run, as plain data. Weir restores it by deterministic replay: a fresh
 * simulation from the same options steps to the same kernel step, and the trace count and
 * hash prove it arrived at the same state. (A capture of every object's state, so that a
 * restore does not cost the replay, is still to come; the playground's rewind will use
 * these points with replay from the nearest one.)
 */
export interface SimulationSnapshot {
  readonly format: 'weir/simulation-snapshot@1';
  readonly seed: number;
  readonly steps: number;
  readonly timeMs: number;
  readonly traceEvents: number;
  readonly traceHash: string;
  readonly ended: boolean;
}

/**
 * Brings a new simulation, made from the same `options`, to `snapshot`'s point.
 * @example
 * const point = sim.snapshot();
 * const again = restoreSimulation(options, point); // again.trace.hash() === point.traceHash
 */
export function restoreSimulation(options: SimulationOptions, snapshot: SimulationSnapshot): Simulation {
  const sim = createSimulation(options);
  if (sim.seed !== snapshot.seed) throw new RangeError(`the snapshot is of seed ${snapshot.seed}, these options give seed ${sim.seed}`);
  while (sim.kernel.steps < snapshot.steps && sim.step()) {
    /* replay */
  }
  if (snapshot.ended) sim.step();
  if (sim.kernel.steps !== snapshot.steps || sim.trace.count !== snapshot.traceEvents || sim.trace.hash() !== snapshot.traceHash) {
    throw new RangeError(
      `the snapshot does not belong to these options: at step ${sim.kernel.steps} the trace has ${sim.trace.count} events (hash ${sim.trace.hash()}), the snapshot has step ${snapshot.steps}, ${snapshot.traceEvents} events (hash ${snapshot.traceHash})`,
    );
  }
  return sim;
}

/** A local cluster that sizes itself to the job, as Flink's local environment does. */
const DEFAULT_CLUSTER: ClusterSpec = { taskManagers: 1, slotsPerTaskManager: 0, heartbeatTimeoutMs: 50_000, replacementDelayMs: 5_000, networkLatencyMs: 1, buffersPerChannel: 2, bufferSize: 64 };

/** Flink's default slot.request.timeout: 5 minutes. */
export const DEFAULT_SLOT_REQUEST_TIMEOUT_MS = 300_000;

/**
 * @example
 * const result = validateScenario(JSON.parse(text), file);
 * if (result.ok) {
 *   const sim = createSimulation({ scenario: result.scenario, seed: 7 });
 *   sim.run();
 *   sim.report().traceHash; // same for the same scenario and seed, everywhere
 * }
 */
export function createSimulation(options: SimulationOptions): Simulation {
  const source = options.scenario;
  const seed = options.seed ?? source?.seed ?? 0;
  const streamGraph = options.streamGraph ?? (source !== undefined ? scenarioToStreamGraph(source, seed, options.connectors === undefined ? {} : { connectors: options.connectors }) : undefined);
  if (streamGraph === undefined) throw new TypeError('createSimulation needs a scenario or a streamGraph');
  const scenario = { name: source?.name ?? streamGraph.config.jobName };
  const cluster = { ...DEFAULT_CLUSTER, ...(source?.cluster ?? options.cluster) };
  const limits = resolveLimits({ ...source?.run.limits, ...options.limits });
  const kernel = new Kernel({ seed, limits });
  const trace = new TraceLog({ level: options.traceLevel ?? 'full', maxEvents: limits.maxTraceEvents, maxBytes: limits.maxTraceBytes, retain: options.retainTrace ?? true });
  const folds = reportFoldsOf(trace);
  const world = new World(kernel, trace);
  const jobGraph = options.jobGraph ?? buildJobGraph(streamGraph, { clientParallelism: options.parallelism ?? null });
  if (options.jobGraph !== undefined) {
    // A JobGraph of another StreamGraph would run operators that this one's topics and actions do not know.
    const nodes = new Set(streamGraph.nodes);
    if (options.streamGraph === undefined || !jobGraph.vertices.every((v) => v.operators.every((n) => nodes.has(n)))) {
      throw new TypeError('createSimulation: give a reused jobGraph with the streamGraph it was built from');
    }
  }
  const untilMs = options.untilMs !== undefined ? options.untilMs : (source?.run.untilMs ?? null);
  const unbounded = source?.job.operators.find((op) => op.type === 'source' && !op.bounded);
  if (unbounded !== undefined && untilMs === null) {
    throw new JobGraphError(`source '${unbounded.id}' is unbounded ("bounded": false), so the job never ends: give run.until (or weir run --until)`);
  }
  const jobManager = new JobManager(
    kernel,
    trace,
    world,
    {
      taskManagers: cluster.taskManagers,
      slotsPerTaskManager: cluster.slotsPerTaskManager,
      networkLatencyMs: cluster.networkLatencyMs,
      buffersPerChannel: cluster.buffersPerChannel,
      bufferSize: cluster.bufferSize,
      slotRequestTimeoutMs: options.slotRequestTimeoutMs ?? DEFAULT_SLOT_REQUEST_TIMEOUT_MS,
      heartbeatTimeoutMs: cluster.heartbeatTimeoutMs,
      replacementDelayMs: cluster.replacementDelayMs,
    },
    jobGraph,
    (source?.actions ?? []).some((a) => a.type !== 'resume'),
  );
  const faults = options.faults ?? source?.faults ?? [];
  const injector = faults.length > 0 ? new FaultInjector(kernel, trace, jobManager, jobGraph, faults, (source?.actions ?? []).some((a) => a.type === 'resume' && a.parallelism !== null)) : null;
  const client = new Client(kernel, trace);
  client.submit(jobGraph, jobManager);
  const actions = source?.actions ?? [];
  const player = actions.length === 0 ? null : new ActionPlayer(kernel, trace, jobManager, streamGraph, actions, options.parallelism ?? null, () => client.newJobId());

  let ended = false;
  const end = (reason: string): void => {
    ended = true;
    trace.emit({ tag: 'run.ended', timeMs: kernel.clock.nowMs, status: jobManager.status, reason });
  };
  const step = (): boolean => {
    if (ended) return false;
    if (jobManager.ended && !(player?.pending ?? false)) {
      end(jobManager.status === 'FINISHED' ? 'the job finished' : `the job ${jobManager.status.toLowerCase()}`);
      return false;
    }
    const next = kernel.nextTimeMs;
    if (next === null) {
      // An unbounded source read to its end, with no periodic watermarks or checkpoints to
      // schedule, waits for records that never come: the job is idle, not deadlocked, and
      // the run ends at run.until like any other.
      if (untilMs !== null) {
        kernel.runUntil(untilMs);
        end(`run.until (${untilMs} ms) reached`);
        return false;
      }
      // A bounded job always has something on the agenda (a source, a timer, a buffer in
      // flight); an empty agenda means tasks wait for each other: a bug in Weir, say so.
      assert(false, () => `the job is ${jobManager.status} but nothing is scheduled: the tasks are deadlocked`);
    }
    if (untilMs !== null && next > untilMs) {
      kernel.runUntil(untilMs);
      end(`run.until (${untilMs} ms) reached`);
      return false;
    }
    kernel.step();
    return true;
  };

  const sim: Simulation = {
    scenario,
    seed,
    kernel,
    trace,
    jobGraph,
    streamGraph,
    jobManager,
    world,
    get ended() {
      return ended;
    },
    get faults() {
      return injector?.outcomes ?? [];
    },
    get status() {
      return jobManager.status;
    },
    step,
    run() {
      while (step()) {
        /* each step does the work */
      }
    },
    report: () => buildReport(sim, folds),
    snapshot: () => ({ format: 'weir/simulation-snapshot@1', seed, steps: kernel.steps, timeMs: kernel.clock.nowMs, traceEvents: trace.count, traceHash: trace.hash(), ended }),
    trace$: new Observable<TraceEvent>((subscriber) => trace.subscribe((event) => subscriber.next(event))),
  };
  return sim;
}
