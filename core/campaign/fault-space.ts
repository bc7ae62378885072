/**
 * The space of fault plans `weir check` draws from, for one job: every fault type of the
 * scenario format (CONTRACT 1.2) aimed at what this job has. Its subtasks (by the job
 * graph's parallelism, and after a `resume` that rescales also those only the resumed job
 * has), its TaskManagers (tm-1 .. tm-N), its network connections, its sinks that commit,
 * the crash points valid for it (`snapshot` and `after-ack` when the job takes
 * checkpoints; `pre-commit`, `commit`, `after-commit` on two-phase-commit sinks; `wal-send`,
 * `after-wal-send` on write-ahead-log sinks; without checkpoints only `commit` and
 * `after-commit`, at the commit a two-phase-commit sink makes at the end of a bounded
 * input), times within the fault-free run and checkpoint ids among its checkpoints.
 *
 * A plan is plain JSON, the `faults` a teacher would write in the file, and every candidate
 * target is put through the scenario validator before it enters the space, so a drawn plan
 * is always a valid scenario. The arbitraries are written for fast-check's built-in
 * shrinking: a plan is an array (it shrinks to fewer faults), times are integers from 0
 * (they shrink to earlier), optional fields shrink to absent, and each choice shrinks to
 * the first, simplest, option.
 */
import fc from 'fast-check';
import { CRASH_POINTS, FAULT_TYPES, validateFaultPlan, type CrashPoint, type FaultType, type OperatorSpec, type Scenario } from '../api/index.ts';
import type { JobGraph } from '../graph/index.ts';
import type { JsonValue } from '../model/index.ts';

/** A fault as a scenario file has it: `{"type": "kill-task", "operator": "count", "subtask": 0, "at": 1500}`. */
export type FaultJson = { readonly [field: string]: JsonValue };

/** What the fault-free run showed, to keep drawn times, checkpoint ids and record counts within it. */
export interface ReferenceFacts {
  /** The virtual time the fault-free run ended at. */
  readonly virtualTime: number;
  /** Ids of its checkpoints (savepoints excluded). */
  readonly checkpointIds: readonly number[];
  /** The most records one subtask read in it. */
  readonly maxRecordsIn: number;
}

interface SubtaskTarget {
  readonly operator: string;
  readonly subtask: number;
}

interface CrashTarget extends SubtaskTarget {
  readonly point: CrashPoint;
  /** Whether the fault may name the checkpoint it fires at: not in a run without checkpoints, whose one commit is at the end of the input. */
  readonly pinnable: boolean;
}

export interface FaultSpace {
  /** Fault types with at least one target in this job, in the order plans shrink towards. */
  readonly types: readonly FaultType[];
  /** Fault types this job offers no target for, each with the reason. */
  readonly notApplicable: readonly { readonly type: FaultType; readonly reason: string }[];
  /** The crash points valid for this job. */
  readonly points: readonly CrashPoint[];
  /** Drawn times lie in [0, horizonMs]. */
  readonly horizonMs: number;
  readonly subtasks: readonly SubtaskTarget[];
  readonly taskManagers: readonly string[];
  readonly links: readonly { readonly from: string; readonly to: string }[];
  readonly commitSinks: readonly string[];
  readonly crashTargets: readonly CrashTarget[];
  readonly maxCheckpoint: number;
  readonly maxRecords: number;
  /**
   * Whether a drawn fault fits the parallelism when it fires; null without a resume, when
   * every subtask target exists the whole run. After a resume that rescales, a subtask may
   * exist in some stretches of the run only, so a fault at a time must come while it does.
   */
  readonly fits: ((fault: FaultJson) => boolean) | null;
}

/** The sink types whose commit can fail, and their crash points. */
const SINK_POINTS: Readonly<Record<string, readonly CrashPoint[]>> = {
  'two-phase-commit': ['pre-commit', 'commit', 'after-commit'],
  'write-ahead-log': ['wal-send', 'after-wal-send'],
};

const sinkTypeOf = (op: OperatorSpec | undefined): string | null => (op?.type === 'sink' ? (op.sink as { type: string }).type : null);

/** Whether a single fault is valid for the scenario: candidates that are not never enter the space. */
function valid(scenario: Scenario, fault: FaultJson): boolean {
  return validateFaultPlan([fault], scenario).ok;
}

/**
 * The fault space of a job, from its validated scenario, its job graph and its fault-free run.
 * @example
 * const space = faultSpaceOf(scenario, sim.jobGraph, { virtualTime: 1004, checkpointIds: [1, 2], maxRecordsIn: 100 });
 * space.types; // ['kill-task', 'kill-taskmanager', 'throw-in-operator', 'fail-checkpoint', 'crash-at', 'slow-task', 'network-delay']
 */
export function faultSpaceOf(scenario: Scenario, jobGraph: JobGraph, facts: ReferenceFacts): FaultSpace {
  const byId = new Map(scenario.job.operators.map((o) => [o.id, o] as const));
  const takesCheckpoints = scenario.config.checkpointing !== null || scenario.actions.some((a) => a.type !== 'resume');
  const horizonMs = Math.max(1, facts.virtualTime);
  const maxCheckpoint = Math.max(1, ...facts.checkpointIds);
  const maxRecords = Math.max(1, facts.maxRecordsIn);

  // A resume may rescale: the subtasks of every run, up to the largest parallelism asked for;
  // the validator keeps those an operator has at some point (one with its own parallelism keeps it).
  const resumed = scenario.actions.map((a) => (a.type === 'resume' ? (a.parallelism ?? scenario.config.parallelism ?? 0) : 0));
  const subtasks: SubtaskTarget[] = [];
  // A subtask may then exist in some stretches of the run only (4 -> 2 -> 4: subtask 3 not in the middle one).
  const rescales = scenario.actions.some((a) => a.type === 'resume');
  for (const v of jobGraph.vertices) {
    for (const node of v.operators) {
      for (let s = 0; s < Math.max(v.parallelism, ...resumed); s++) {
        const target = { operator: node.id, subtask: s };
        // A fault after some records is checked against every stretch of the run, one at a time only against its own.
        if (!valid(scenario, { type: 'kill-task', ...target, afterRecords: 1 })) continue;
        subtasks.push(target);
      }
    }
  }
  const taskManagers = Array.from({ length: scenario.cluster.taskManagers }, (_, i) => `tm-${i + 1}`);
  const links: { from: string; to: string }[] = [];
  for (const e of jobGraph.edges) {
    if (links.some((l) => l.from === e.fromOperator && l.to === e.toOperator)) continue;
    if (valid(scenario, { type: 'network-delay', from: e.fromOperator, to: e.toOperator, extra: 1, for: 1, at: 0 })) links.push({ from: e.fromOperator, to: e.toOperator });
  }
  const sinkIds = [...new Set(subtasks.map((t) => t.operator))].filter((id) => SINK_POINTS[sinkTypeOf(byId.get(id)) ?? ''] !== undefined);
  const commitSinks = sinkIds.filter((id) => valid(scenario, { type: 'fail-commit', operator: id, at: 0 }));
  // The validator decides which points a job without checkpoints still has (the end-of-input commit of a 2PC sink).
  const crashTargets: CrashTarget[] = [];
  for (const t of subtasks) {
    for (const point of ['snapshot', 'after-ack', ...(SINK_POINTS[sinkTypeOf(byId.get(t.operator)) ?? ''] ?? [])] as CrashPoint[]) {
      const fault = { type: 'crash-at', operator: t.operator, subtask: t.subtask, point };
      if (valid(scenario, fault)) crashTargets.push({ ...t, point, pinnable: valid(scenario, { ...fault, checkpoint: 1 }) });
    }
  }
  const points = CRASH_POINTS.filter((p) => crashTargets.some((t) => t.point === p));
  const failCheckpointOk = takesCheckpoints && valid(scenario, { type: 'fail-checkpoint', checkpoint: 1 });

  const why: Partial<Record<FaultType, string>> = {};
  if (subtasks.length === 0) for (const t of ['kill-task', 'throw-in-operator', 'slow-task'] as const) why[t] = 'the job has no subtask to aim at';
  if (taskManagers.length === 0) why['kill-taskmanager'] = 'the cluster has no TaskManager';
  if (!failCheckpointOk) why['fail-checkpoint'] = 'the job takes no checkpoints (config.checkpointing is off)';
  if (crashTargets.length === 0) {
    why['crash-at'] = takesCheckpoints
      ? 'the job has no subtask to aim at'
      : 'the job takes no checkpoints (config.checkpointing is off) and has no two-phase-commit sink whose input ends, so no commit at the end of the input';
  }
  if (commitSinks.length === 0) why['fail-commit'] = 'the job has no sink that commits (two-phase-commit or write-ahead-log)';
  if (links.length === 0) why['network-delay'] = 'the job has no network connection (all its operators are chained into one task)';
  return {
    types: FAULT_TYPES.filter((t) => why[t] === undefined),
    notApplicable: FAULT_TYPES.filter((t) => why[t] !== undefined).map((type) => ({ type, reason: why[type]! })),
    points,
    horizonMs,
    subtasks,
    taskManagers,
    links,
    commitSinks,
    crashTargets,
    maxCheckpoint,
    maxRecords,
    fits: rescales ? (fault) => valid(scenario, fault) : null,
  };
}

/** How many of each bounded parameter: factors and delays are kept small, so a counterexample reads easily. */
const MAX_SLOW_FACTOR = 20;
const MAX_NETWORK_EXTRA_MS = 1000;

/**
 * The arbitrary of one fault over the space: each type that has a target, the simplest
 * (kill-task) first, so that shrinking moves towards it.
 */
export function faultArbitrary(space: FaultSpace): fc.Arbitrary<FaultJson> {
  const time = fc.integer({ min: 0, max: space.horizonMs });
  const trigger: fc.Arbitrary<FaultJson> = fc.oneof(
    { withCrossShrink: true },
    time.map((at) => ({ at })),
    fc.integer({ min: 1, max: space.maxRecords }).map((afterRecords) => ({ afterRecords })),
  );
  const subtask = space.subtasks.length > 0 ? fc.constantFrom(...space.subtasks) : null;
  const checkpoint = fc.integer({ min: 1, max: space.maxCheckpoint });
  const duration = fc.integer({ min: 1, max: space.horizonMs });
  const byType: Record<FaultType, () => fc.Arbitrary<FaultJson>> = {
    'kill-task': () => fc.tuple(subtask!, trigger).map(([t, tr]) => ({ type: 'kill-task', operator: t.operator, subtask: t.subtask, ...tr })),
    'kill-taskmanager': () => fc.tuple(fc.constantFrom(...space.taskManagers), trigger).map(([tm, tr]) => ({ type: 'kill-taskmanager', taskManager: tm, ...tr })),
    'throw-in-operator': () =>
      fc.tuple(subtask!, fc.boolean(), trigger).map(([t, pinned, tr]) => ({ type: 'throw-in-operator', operator: t.operator, ...(pinned ? { subtask: t.subtask } : {}), ...tr })),
    'fail-checkpoint': () =>
      fc.tuple(checkpoint, fc.option(subtask!, { nil: null })).map(([id, t]) => ({ type: 'fail-checkpoint', checkpoint: id, ...(t === null ? {} : { operator: t.operator, subtask: t.subtask }) })),
    'crash-at': () =>
      fc
        // Each point as likely as the next (there are far more snapshot targets than commit ones).
        .tuple(fc.oneof({ withCrossShrink: true }, ...space.points.map((p) => fc.constantFrom(...space.crashTargets.filter((t) => t.point === p)))), fc.option(checkpoint, { nil: null }))
        .map(([t, id]) => ({ type: 'crash-at', operator: t.operator, subtask: t.subtask, point: t.point, ...(id === null || !t.pinnable ? {} : { checkpoint: id }) })),
    'fail-commit': () => fc.tuple(fc.constantFrom(...space.commitSinks), trigger).map(([op, tr]) => ({ type: 'fail-commit', operator: op, ...tr })),
    'slow-task': () =>
      fc
        .tuple(subtask!, fc.integer({ min: 2, max: MAX_SLOW_FACTOR }), duration, trigger)
        .map(([t, factor, forMs, tr]) => ({ type: 'slow-task', operator: t.operator, subtask: t.subtask, factor, for: forMs, ...tr })),
    'network-delay': () =>
      fc
        .tuple(fc.constantFrom(...space.links), fc.integer({ min: 1, max: MAX_NETWORK_EXTRA_MS }), duration, trigger)
        .map(([l, extra, forMs, tr]) => ({ type: 'network-delay', from: l.from, to: l.to, extra, for: forMs, ...tr })),
  };
  // The order of FAULT_TYPES (kill-task first) is the order shrinking prefers.
  const fits = space.fits;
  const timed: readonly FaultType[] = ['kill-task', 'throw-in-operator', 'slow-task'];
  const arbitraries = space.types.map((t) => (fits !== null && timed.includes(t) ? byType[t]().filter(fits) : byType[t]()));
  if (arbitraries.length === 0) throw new RangeError('the fault space is empty: this job offers no target for any fault type');
  return fc.oneof({ withCrossShrink: true }, ...arbitraries);
}

/**
 * The arbitrary of a fault plan: 1 to `maxFaults` faults (none when `maxFaults` is 0).
 * @example
 * fc.sample(planArbitrary(space, 3), { seed: 7, numRuns: 1 })[0];
 * // [{ type: 'kill-task', operator: 'counts', subtask: 1, at: 412 }, ...]
 */
export function planArbitrary(space: FaultSpace, maxFaults: number): fc.Arbitrary<FaultJson[]> {
  if (maxFaults === 0 || space.types.length === 0) return fc.constant([]);
  return fc.array(faultArbitrary(space), { minLength: 1, maxLength: maxFaults });
}
