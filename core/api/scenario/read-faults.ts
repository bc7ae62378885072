/**
 * A scenario's fault plan (`faults`, CONTRACT 1.2): what goes wrong, where and when. Each
 * fault is a plain, named option (kill this subtask at 1500 ms, fail checkpoint 3, crash the
 * sink in its commit), fires once, and is composed with the job the way FoundationDB
 * composes fault workloads with a workload. A fault that names something the job does not
 * have (an operator id, a TaskManager, a subtask beyond the parallelism, a commit point of a
 * sink that does not commit) is a validation error: silently doing nothing would teach the
 * wrong lesson, that the job survived a failure it never met.
 */
import { parallelismOf, stretchesOf, stretchesOfFault, type ParallelismContext, type Stretch } from './fault-parallelism.ts';
import { inputsOf } from './job-shape.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';
import { readMs, readNumber } from './read-fault-tolerance.ts';
import { CRASH_POINTS, type CrashPoint, type FaultSpec, type FaultTrigger, type OperatorSpec } from './types.ts';

/** A limit on the fault plan: a teaching scenario or a shrunk counterexample has a handful. */
export const MAX_FAULTS = 1000;

export const FAULT_TYPES = ['kill-task', 'kill-taskmanager', 'throw-in-operator', 'fail-checkpoint', 'fail-commit', 'slow-task', 'network-delay', 'crash-at'] as const;

/** What the fault plan is checked against. */
export interface FaultContext extends ParallelismContext {
  /** The operators that validated; null when the job as a whole did not. */
  operators: readonly OperatorSpec[] | null;
  /** The id of every operator in the file, also of those that did not validate. */
  fileIds: ReadonlySet<string>;
  /** `cluster.taskManagers`: they are named tm-1 .. tm-N. */
  taskManagers: number;
  /** Whether the run takes any checkpoint: checkpointing is on, or an action takes a savepoint. */
  takesCheckpoints: boolean;
}

/** The sink type each crash point belongs to; the others exist on every operator. */
const POINT_SINK_TYPE: Partial<Record<CrashPoint, string>> = {
  'pre-commit': 'two-phase-commit',
  commit: 'two-phase-commit',
  'after-commit': 'two-phase-commit',
  'wal-send': 'write-ahead-log',
  'after-wal-send': 'write-ahead-log',
};
const TRANSACTIONAL_SINK_TYPES = ['two-phase-commit', 'write-ahead-log'];

/** Fields of each fault type besides `type` and its trigger. */
const FIELDS: Record<FaultSpec['type'], readonly string[]> = {
  'kill-task': ['operator', 'subtask'],
  'kill-taskmanager': ['taskManager'],
  'throw-in-operator': ['operator', 'subtask'],
  'fail-checkpoint': ['checkpoint', 'operator', 'subtask'],
  'fail-commit': ['operator'],
  'slow-task': ['operator', 'subtask', 'factor', 'for'],
  'network-delay': ['from', 'to', 'extra', 'for'],
  'crash-at': ['operator', 'subtask', 'point', 'checkpoint'],
};

/**
 * Reads `faults` (the value at `$.faults`), in file order.
 * @example
 * readFaults(r, [{ type: 'kill-task', operator: 'count', subtask: 1, at: 1500 }], ctx)
 * // [{ type: 'kill-task', operator: 'count', subtask: 1, atMs: 1500, afterRecords: null, path: '$.faults[0]' }]
 */
export function readFaults(r: Reader, value: unknown, ctx: FaultContext): FaultSpec[] {
  if (value === undefined) return [];
  const path = '$.faults';
  const list = r.list(value, path);
  if (list === null) return [];
  if (list.length > MAX_FAULTS) {
    r.issue(path, `at most ${MAX_FAULTS} faults, found ${list.length}`);
    return [];
  }
  const faults: FaultSpec[] = [];
  list.forEach((item, i) => {
    const fault = readFault(r, item, child(path, i), ctx);
    if (fault !== null) faults.push(fault);
  });
  return faults;
}

function readFault(r: Reader, value: unknown, path: string, ctx: FaultContext): FaultSpec | null {
  const obj = r.object(value, path, 'a fault such as {"type": "kill-task", "operator": "count", "at": 1000}');
  if (obj === null) return null;
  const type = r.string(obj, 'type', path);
  if (type === null) return null;
  if (!(FAULT_TYPES as readonly string[]).includes(type)) {
    r.issue(child(path, 'type'), `unknown fault type '${type}' (known: ${FAULT_TYPES.join(', ')})`);
    return null;
  }
  const t = type as FaultSpec['type'];
  r.onlyKeys(obj, path, ['type', 'at', 'afterRecords', ...FIELDS[t]]);
  const before = r.issues.length;
  const trigger = readTrigger(r, obj, path, t);
  // A crash-at without checkpoints is checked against its point (readCrashAt): the end-of-input commit still has points.
  if (t === 'fail-checkpoint' && !ctx.takesCheckpoints) r.issue(path, `a ${t} fault needs checkpoints, but ${NO_CHECKPOINTS}`);
  const fault = readFields(r, obj, path, t, ctx, trigger);
  if (fault === null || trigger === null || r.issues.length > before) return null;
  return { ...fault, ...trigger, path } as FaultSpec;
}

type FaultFields = FaultSpec extends infer F ? (F extends FaultSpec ? Omit<F, 'atMs' | 'afterRecords' | 'path'> : never) : never;

/**
 * `at` (virtual ms) or `afterRecords` (how many records into its target), exactly one.
 * `crash-at` and `fail-checkpoint` take neither: they fire at a point of the checkpoint
 * protocol, and are armed from the start (atMs 0).
 */
function readTrigger(r: Reader, obj: Obj, path: string, type: FaultSpec['type']): FaultTrigger | null {
  const hasAt = obj['at'] !== undefined;
  const hasAfter = obj['afterRecords'] !== undefined;
  if (type === 'crash-at' || type === 'fail-checkpoint') {
    const instead = type === 'crash-at' ? 'when the subtask reaches its point (of its checkpoint, if given)' : "when its checkpoint is taken (it names the checkpoint's id instead of a time)";
    for (const key of ['at', 'afterRecords'].filter((k) => obj[k] !== undefined)) {
      r.issue(child(path, key), `a ${type} fault takes no '${key}': it fires ${instead}`);
    }
    return hasAt || hasAfter ? null : { atMs: 0, afterRecords: null };
  }
  if (hasAt && hasAfter) {
    r.issue(path, `a fault fires either at a time ('at') or after a number of records ('afterRecords'), not both`);
    return null;
  }
  if (!hasAt && !hasAfter) {
    r.issue(path, `a ${type} fault needs 'at' (the virtual ms when it fires) or 'afterRecords' (how many records into its target)`);
    return null;
  }
  if (hasAt) {
    const atMs = readMs(r, obj, 'at', path, 0);
    return atMs === null ? null : { atMs, afterRecords: null };
  }
  const afterRecords = r.int(obj, 'afterRecords', path, { min: 1 });
  return afterRecords === null ? null : { atMs: null, afterRecords };
}

function readFields(r: Reader, obj: Obj, path: string, type: FaultSpec['type'], ctx: FaultContext, trigger: FaultTrigger | null): FaultFields | null {
  const readSubtask = (target: Target | null, fallback: number | null): number | null => readSubtaskOf(r, obj, path, target, ctx, fallback, type, trigger);
  switch (type) {
    case 'kill-task': {
      const target = readOperator(r, obj, 'operator', path, ctx);
      const subtask = readSubtask(target, 0);
      return target === null || subtask === null ? null : { type, operator: target.id, subtask };
    }
    case 'kill-taskmanager': {
      const taskManager = readTaskManager(r, obj, path, ctx);
      return taskManager === null ? null : { type, taskManager };
    }
    case 'throw-in-operator': {
      const target = readOperator(r, obj, 'operator', path, ctx);
      const subtask = obj['subtask'] === null ? null : readSubtask(target, null);
      if (target === null || (obj['subtask'] !== undefined && obj['subtask'] !== null && subtask === null)) return null;
      return { type, operator: target.id, subtask };
    }
    case 'fail-checkpoint': {
      const checkpoint = r.int(obj, 'checkpoint', path, { min: 1 });
      const names = obj['operator'] !== undefined && obj['operator'] !== null;
      const named = names ? readOperator(r, obj, 'operator', path, ctx) : null;
      // Without an operator, a subtask of the first source declines (its snapshot is the first).
      const target = names ? named : firstSource(ctx);
      const subtask = readSubtask(target, 0);
      if (checkpoint === null || subtask === null || (names && named === null)) return null;
      return { type, checkpoint, operator: named?.id ?? null, subtask };
    }
    case 'fail-commit': {
      const target = readOperator(r, obj, 'operator', path, ctx);
      if (target === null) return null;
      if (target.op !== null && !TRANSACTIONAL_SINK_TYPES.includes(sinkType(target.op) ?? '')) {
        r.issue(
          child(path, 'operator'),
          `operator '${target.id}' is ${kindOf(target.op)}; a fail-commit needs a sink that commits (${TRANSACTIONAL_SINK_TYPES.join(' or ')})`,
        );
        return null;
      }
      return { type, operator: target.id };
    }
    case 'slow-task': {
      const target = readOperator(r, obj, 'operator', path, ctx);
      const subtask = readSubtask(target, 0);
      const factor = readNumber(r, obj, 'factor', path, { above: 1, max: 1_000_000 });
      const forMs = readMs(r, obj, 'for', path, 1);
      return target === null || subtask === null || factor === null || forMs === null ? null : { type, operator: target.id, subtask, factor, forMs };
    }
    case 'network-delay': {
      const from = readOperator(r, obj, 'from', path, ctx);
      const to = readOperator(r, obj, 'to', path, ctx);
      const extraMs = readMs(r, obj, 'extra', path, 1);
      const forMs = readMs(r, obj, 'for', path, 1);
      if (from === null || to === null || extraMs === null || forMs === null) return null;
      if (from.op !== null && to.op !== null && !checkConnection(r, path, from.op, to.op, ctx)) return null;
      return { type, from: from.id, to: to.id, extraMs, forMs };
    }
    case 'crash-at': {
      const target = readOperator(r, obj, 'operator', path, ctx);
      const subtask = readSubtask(target, 0);
      const point = readPoint(r, obj, path, target);
      const checkpoint = obj['checkpoint'] === null ? null : r.int(obj, 'checkpoint', path, { min: 1 }, null);
      if (target === null || subtask === null || point === null) return null;
      if (obj['checkpoint'] !== undefined && obj['checkpoint'] !== null && checkpoint === null) return null;
      if (!ctx.takesCheckpoints && !checkEndOfInputCommit(r, path, target, point, checkpoint, ctx)) return null;
      return { type, operator: target.id, subtask, point, checkpoint };
    }
  }
}

const NO_CHECKPOINTS = 'this run takes none: checkpointing is off (set config.checkpointing) and no action takes a savepoint';

/** The points a run without checkpoints still has: a two-phase-commit sink commits once, at the end of its input. */
const END_OF_INPUT_POINTS: readonly CrashPoint[] = ['commit', 'after-commit'];

/**
 * A crash-at in a run that takes no checkpoints can only be at the commit a two-phase-commit
 * sink makes at the end of its input (as Flink's sink committer does for a bounded job), so
 * the sink's input must end: every source upstream of it is bounded.
 */
function checkEndOfInputCommit(r: Reader, path: string, target: Target, point: CrashPoint, checkpoint: number | null, ctx: FaultContext): boolean {
  if (!END_OF_INPUT_POINTS.includes(point)) {
    r.issue(
      path,
      `a crash-at fault needs checkpoints, but ${NO_CHECKPOINTS}; without checkpoints only a two-phase-commit sink's commit at the end of its input has points to crash at ('commit', 'after-commit'), found '${point}'`,
    );
    return false;
  }
  if (checkpoint !== null) {
    r.issue(child(path, 'checkpoint'), `this run takes no checkpoints, so the sink commits once, at the end of its input, and not for checkpoint ${checkpoint}: leave 'checkpoint' out`);
    return false;
  }
  const unbounded = target.op === null || ctx.operators === null ? undefined : upstreamSources(target.op, ctx.operators).find((s) => s.type === 'source' && !s.bounded);
  if (unbounded !== undefined) {
    r.issue(
      child(path, 'point'),
      `without checkpoints '${point}' is the commit at the end of the input, and '${target.id}' reads from source '${unbounded.id}', which is unbounded ("bounded": false): its input never ends, so the point is never reached`,
    );
    return false;
  }
  return true;
}

/** The sources whose records reach `op`. */
function upstreamSources(op: OperatorSpec, operators: readonly OperatorSpec[]): OperatorSpec[] {
  const byId = new Map(operators.map((o) => [o.id, o] as const));
  const seen = new Set<string>();
  const out: OperatorSpec[] = [];
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const input = byId.get(id);
    if (input === undefined) return;
    if (input.type === 'source' || input.type === 'sequence') out.push(input);
    else inputsOf(input).forEach(visit);
  };
  inputsOf(op).forEach(visit);
  return out;
}

/** An operator a fault names: its id, and its spec when the job validated far enough to check it. */
interface Target {
  id: string;
  op: OperatorSpec | null;
}

function readOperator(r: Reader, obj: Obj, key: string, path: string, ctx: FaultContext): Target | null {
  const id = r.string(obj, key, path);
  if (id === null) return null;
  const at = child(path, key);
  const op = ctx.operators?.find((o) => o.id === id) ?? null;
  if (op === null) {
    // An operator that is in the file but did not validate already has its own issue.
    if (ctx.operators === null || ctx.fileIds.has(id)) return { id, op: null };
    r.issue(at, `the fault names operator '${id}', which is not an operator of this job (known: ${ctx.operators.map((o) => o.id).join(', ')})`);
    return null;
  }
  if (op.type === 'keyBy' || op.type === 'union') {
    const readers = ctx.operators!.filter((o) => inputsOf(o).includes(id)).map((o) => `'${o.id}'`);
    const instead = readers.length === 0 ? '' : `: name the operator that reads it (${readers.join(', ')})`;
    r.issue(at, `'${id}' is ${kindOf(op)}, which is not an operator at runtime but a connection between operators${instead}`);
    return null;
  }
  return { id, op };
}

function readSubtaskOf(r: Reader, obj: Obj, path: string, target: Target | null, ctx: FaultContext, fallback: number | null, type: FaultSpec['type'], trigger: FaultTrigger | null): number | null {
  const subtask = r.int(obj, 'subtask', path, { min: 0 }, fallback);
  if (subtask === null || target?.op == null) return subtask;
  const stretches = stretchesOf(target.op, ctx);
  const { reach, why } = stretchesOfFault(stretches, type, trigger);
  const known = reach.map((s) => s.parallelism).filter((p) => p !== 'client');
  // A parallelism from the client is not known here; the runtime checks it when the fault fires.
  if (known.length < reach.length) return subtask;
  const largest = Math.max(...known.map((p) => p.p));
  if (subtask < largest) return subtask;
  const at = child(path, 'subtask');
  if (stretches.length === 1) {
    const p = known[0]!;
    r.issue(at, `operator '${target.id}' has parallelism ${p.p} (${p.from}), so ${subtasks(p.p)}; found subtask ${subtask}`);
  } else if (reach.length === 1) {
    const p = known[0]!;
    const other = stretches.find((s) => s.parallelism !== 'client' && s.parallelism.p > subtask);
    const hint = other === undefined ? '' : `; the operator has a subtask ${subtask} ${time(other)}: give the fault a time there`;
    r.issue(at, `when this ${type} fires (${why}, ${time(reach[0]!)}) operator '${target.id}' has parallelism ${p.p} (${p.from}), so ${subtasks(p.p)}; found subtask ${subtask}${hint}`);
  } else {
    const list = reach.map((s) => `${(s.parallelism as { p: number }).p} ${time(s)}`).join(', ');
    r.issue(at, `a ${type} fault is checked against the largest parallelism operator '${target.id}' has while it can fire (${why}): ${list}, so ${subtasks(largest)} at most; found subtask ${subtask}`);
  }
  return null;
}

/** When a stretch of the run is, as a reader of the file would say it. */
function time(s: Stretch): string {
  return s.resume === null ? 'before any resume' : `after the resume at t=${s.resume.atMs} (${s.resume.path})`;
}

function subtasks(p: number): string {
  return p === 1 ? 'its only subtask is 0' : `its subtasks are 0 to ${p - 1}`;
}

function readTaskManager(r: Reader, obj: Obj, path: string, ctx: FaultContext): string | null {
  const name = r.string(obj, 'taskManager', path);
  if (name === null) return null;
  const n = ctx.taskManagers;
  const names = n === 1 ? 'tm-1' : `tm-1 to tm-${n}`;
  const match = /^tm-([1-9]\d*)$/.exec(name);
  if (match === null) {
    r.issue(child(path, 'taskManager'), `TaskManagers are named ${names} (cluster.taskManagers is ${n}), found ${describe(name)}`);
    return null;
  }
  if (Number(match[1]) > n) {
    r.issue(child(path, 'taskManager'), `there is no TaskManager '${name}': the cluster has ${n} (${names}; cluster.taskManagers sets how many)`);
    return null;
  }
  return name;
}

function readPoint(r: Reader, obj: Obj, path: string, target: Target | null): CrashPoint | null {
  const point = r.string(obj, 'point', path);
  if (point === null) return null;
  if (!(CRASH_POINTS as readonly string[]).includes(point)) {
    r.issue(child(path, 'point'), `unknown crash point '${point}' (known: ${CRASH_POINTS.join(', ')})`);
    return null;
  }
  const p = point as CrashPoint;
  const needs = POINT_SINK_TYPE[p];
  if (needs !== undefined && target?.op != null && sinkType(target.op) !== needs) {
    r.issue(child(path, 'point'), `operator '${target.id}' is ${kindOf(target.op)}; '${p}' is a point of ${needs} sinks`);
    return null;
  }
  return p;
}

/**
 * `to` must read `from` over the network: directly or through keyBy / union (which are
 * connections, not operators). A forward connection at equal parallelism is chained into one
 * task, where records are function calls and there is no network to delay.
 */
function checkConnection(r: Reader, path: string, from: OperatorSpec, to: OperatorSpec, ctx: FaultContext): boolean {
  const byId = new Map(ctx.operators!.map((o) => [o.id, o] as const));
  const upstream = runtimeInputs(to, byId);
  if (!upstream.includes(from.id)) {
    const reads = upstream.length === 0 ? `'${to.id}' reads from no operator` : `'${to.id}' reads from ${upstream.map((u) => `'${u}'`).join(', ')}`;
    r.issue(child(path, 'to'), `operator '${to.id}' does not read from '${from.id}', so there is no connection between them to delay (${reads})`);
    return false;
  }
  // A dedup's input is hash-partitioned by its key, so it is never chained to its input.
  if (to.type !== 'union' && to.type !== 'dedup' && 'input' in to && to.input === from.id) {
    const pf = parallelismOf(from, ctx);
    const pt = parallelismOf(to, ctx);
    const equal = pf === 'client' ? pt === 'client' : pt !== 'client' && pf.p === pt.p;
    if (equal) {
      r.issue(
        path,
        `'${from.id}' and '${to.id}' are chained into one task (a forward connection at equal parallelism), so no network lies between them to delay; a keyBy between them, or a different parallelism, makes it a network connection`,
      );
      return false;
    }
  }
  return true;
}

/** The operators whose output reaches `op`, looking through keyBy and union. */
function runtimeInputs(op: OperatorSpec, byId: ReadonlyMap<string, OperatorSpec>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    if (seen.has(id)) return;
    seen.add(id);
    const input = byId.get(id);
    if (input === undefined) return;
    if (input.type === 'keyBy' || input.type === 'union') inputsOf(input).forEach(visit);
    else out.push(id);
  };
  inputsOf(op).forEach(visit);
  return out;
}

function firstSource(ctx: FaultContext): Target | null {
  const op = ctx.operators?.find((o) => o.type === 'source' || o.type === 'sequence');
  return op === undefined ? null : { id: op.id, op };
}

function sinkType(op: OperatorSpec): string | null {
  return op.type === 'sink' ? op.sink.type : null;
}

/** "a map", "a print sink", "an idempotent sink". */
function kindOf(op: OperatorSpec): string {
  const what = op.type === 'sink' ? `${op.sink.type} sink` : op.type;
  return `${/^[aeio]/.test(what) ? 'an' : 'a'} ${what}`;
}
