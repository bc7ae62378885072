/**
 * The run report, `weir/report@1`: what `weir run --json` prints and what tests outside
 * Weir read. Its shape is a contract (CONTRACT.md section 3, docs/report.md); fields may be
 * added, never renamed or dropped.
 *
 * Its `checkpoints` and `restarts` are folds of the trace (check/checkpoints-fold.ts,
 * check/restarts-fold.ts), fed as the run goes at every trace level: a checker or a view
 * that folds a summary trace of the run sees exactly what the report says.
 */
import { CHECKPOINT_TAGS, CheckpointsFold, RESTART_TAGS, RestartsFold, type ReportCheckpoint, type ReportRestart } from './check/index.ts';
import type { FaultOutcome } from './faults/index.ts';
import type { JobGraph } from './graph/index.ts';
import type { Kernel } from './kernel/index.ts';
import type { JsonValue } from './model/index.ts';
import type { JobManager } from './runtime/index.ts';
import type { JobStatus, TraceLog } from './trace/index.ts';
import type { World, WrittenRecord } from './world/index.ts';

/** What a report is made from: a simulation, seen from outside. */
export interface ReportSource {
  readonly scenario: { readonly name: string };
  readonly seed: number;
  readonly status: JobStatus;
  readonly kernel: Kernel;
  readonly trace: TraceLog;
  readonly jobGraph: JobGraph;
  readonly jobManager: JobManager;
  readonly world: World;
  readonly faults: readonly FaultOutcome[];
}

export const REPORT_FORMAT = 'weir/report@1';

export interface ReportRecord {
  value: JsonValue;
  timestamp: number | null;
}

export type { ReportCheckpoint, ReportRestart };

/** One fault of the run's plan: its type and JSON path, whether and when (virtual ms) it fired, a crash-at's point. */
export type ReportFault = FaultOutcome;

/**
 * One dedup operator. `bits` and `hashFunctions` are the Bloom filter's (null for an exact
 * set); `memoryBytes` what its way of remembering takes (the filter's words, or the exact
 * set's estimate); `exactSetBytes` what an exact set of the keys seen would take (canonical
 * key JSON in UTF-8 plus 48 bytes per entry); `keysSeen` the distinct keys in its live
 * state. `dropped` and `falsePositives` (records a Bloom filter dropped whose key had
 * never been seen) count over all attempts, replays included.
 */
export interface ReportDedup {
  mode: 'bloom' | 'exact';
  bits: number | null;
  hashFunctions: number | null;
  memoryBytes: number;
  exactSetBytes: number;
  keysSeen: number;
  dropped: number;
  falsePositives: number;
}

export interface RunReport {
  format: typeof REPORT_FORMAT;
  scenario: string;
  seed: number;
  status: JobStatus;
  /** Why the job failed, when it did. */
  failureCause: string | null;
  virtualTime: number;
  traceHash: string;
  traceLevel: string;
  traceEvents: number;
  /** Per sink: what a read-committed reader sees, and what was written but is not (or not yet) visible to it. */
  sinks: Record<string, { committed: ReportRecord[]; uncommitted: ReportRecord[] }>;
  sideOutputs: Record<string, ReportRecord[]>;
  tables: Record<string, Record<string, JsonValue>>;
  /** Per topic a source reads: per partition the largest consumer lag (records appended, not yet read) and when, and the last one. */
  consumerLag: Record<string, { partition: number; max: number; maxAt: number; last: number }[]>;
  checkpoints: ReportCheckpoint[];
  restarts: ReportRestart[];
  /** The fault plan, in plan order: each fault's type, path, whether and when it fired (a fault whose time never came shows fired: false). */
  faults: ReportFault[];
  metrics: { recordsIn: number; recordsOut: number; lateRecordsDropped: number; lateRecordsToSideOutput: number };
  /** Per dedup operator id: how it remembers keys, what that costs against an exact set, what it dropped (docs/dedup.md). */
  dedup: Record<string, ReportDedup>;
  jobGraph: {
    name: string;
    vertices: { id: string; name: string; parallelism: number; maxParallelism: number; operators: string[] }[];
    edges: { source: string; target: string; partitioner: string }[];
  };
  tasks: {
    id: string;
    status: string;
    /** The current execution attempt (1 unless the subtask was restarted). */
    attempt: number;
    recordsIn: number;
    recordsOut: number;
    watermark: number | null;
    busyTimeMs: number;
    backPressuredTimeMs: number;
  }[];
}

const record = (r: WrittenRecord): ReportRecord => ({ value: r.value, timestamp: r.timestamp });

/** The folds of the trace a report reads, fed from the first event on. */
export interface ReportFolds {
  readonly checkpoints: CheckpointsFold;
  readonly restarts: RestartsFold;
}

/**
 * The report's folds, tapping `trace` (call it before the run emits anything): they see
 * every summary event, whatever the level the trace records, `off` included.
 */
export function reportFoldsOf(trace: TraceLog): ReportFolds {
  const checkpoints = new CheckpointsFold();
  const restarts = new RestartsFold();
  trace.tap(CHECKPOINT_TAGS, (e) => checkpoints.apply(e));
  trace.tap(RESTART_TAGS, (e) => restarts.apply(e));
  return { checkpoints, restarts };
}

export function buildReport(sim: ReportSource, folds: ReportFolds): RunReport {
  const sinks = Object.create(null) as RunReport['sinks'];
  let recordsOut = 0;
  for (const [id, output] of sim.world.sinkOutputs()) {
    sinks[id] = { committed: output.committed.map(record), uncommitted: output.uncommitted.map(record) };
    recordsOut += output.committed.length;
  }
  const sideOutputs = Object.create(null) as RunReport['sideOutputs'];
  for (const [tag, written] of sim.world.sideOutputs()) sideOutputs[tag] = written.map(record);
  // Null-prototype objects: a table or row named `__proto__` is data like any other.
  const tables: RunReport['tables'] = Object.create(null) as RunReport['tables'];
  for (const [name, rows] of sim.world.tables.entries()) {
    const table = Object.create(null) as Record<string, JsonValue>;
    for (const [key, value] of rows) table[key] = value;
    tables[name] = table;
  }
  const tasks = sim.jobManager.tasks;
  const recordsOutOf = (t: (typeof tasks)[number]): number => t.metrics.recordsOut + t.writers.reduce((n, w) => n + w.recordsOut, 0);
  const lateRecordsDropped = tasks.reduce((n, t) => n + t.metrics.lateRecordsDropped, 0);
  const lateRecordsToSideOutput = tasks.reduce((n, t) => n + t.metrics.lateRecordsToSideOutput, 0);
  const recordsIn = sim.jobManager.sourceRecordsIn;
  return {
    format: REPORT_FORMAT,
    scenario: sim.scenario.name,
    seed: sim.seed,
    status: sim.status,
    failureCause: sim.jobManager.failureCause,
    virtualTime: sim.kernel.clock.nowMs,
    traceHash: sim.trace.hash(),
    traceLevel: sim.trace.level,
    traceEvents: sim.trace.count,
    sinks,
    sideOutputs,
    tables,
    consumerLag: consumerLagOf(sim.world),
    checkpoints: folds.checkpoints.checkpoints(),
    restarts: folds.restarts.restarts(),
    faults: sim.faults.map((f) => ({ ...f })),
    metrics: { recordsIn, recordsOut, lateRecordsDropped, lateRecordsToSideOutput },
    dedup: dedupOf(sim.world),
    jobGraph: {
      name: sim.jobManager.jobGraph.name,
      vertices: sim.jobManager.jobGraph.vertices.map((v) => ({
        id: v.id,
        name: v.name,
        parallelism: v.parallelism,
        maxParallelism: v.maxParallelism,
        operators: v.operators.map((o) => o.id),
      })),
      edges: sim.jobManager.jobGraph.edges.map((e) => ({ source: e.source, target: e.target, partitioner: e.partitioner.type })),
    },
    tasks: tasks.map((t) => ({
      id: t.id,
      status: t.status,
      recordsIn: t.metrics.recordsIn,
      attempt: t.attempt,
      recordsOut: recordsOutOf(t),
      watermark: t.watermark <= Number.MIN_SAFE_INTEGER ? null : t.watermark,
      busyTimeMs: t.metrics.busyMs,
      backPressuredTimeMs: t.metrics.backPressuredMs,
    })),
  };
}

/** The dedup operators' metrics, by operator id, in a null-prototype object (an id is data, `__proto__` too). */
function dedupOf(world: World): RunReport['dedup'] {
  const out = Object.create(null) as RunReport['dedup'];
  for (const [id, m] of world.dedup.entries()) {
    const { mode, bits, hashFunctions } = m.shape;
    out[id] = { mode, bits, hashFunctions, memoryBytes: m.memoryBytes, exactSetBytes: m.exactSetBytes, keysSeen: m.keysSeen, dropped: m.dropped, falsePositives: m.falsePositives };
  }
  return out;
}

/** Each topic's consumer lag per partition; null-prototype, as a topic name is the user's. */
function consumerLagOf(world: World): RunReport['consumerLag'] {
  const out = Object.create(null) as RunReport['consumerLag'];
  for (const [topic, partitions] of world.consumerLag.entries()) out[topic] = partitions.map((p) => ({ ...p }));
  return out;
}
