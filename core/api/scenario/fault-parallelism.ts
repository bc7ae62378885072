/**
 * The parallelism a fault's subtask is checked against. A `resume` with a `parallelism`
 * rescales every operator without one of its own, so one operator can have 2 subtasks until
 * the stop and 4 after the resume: the run is a list of stretches, each at one parallelism.
 * A fault is checked against the stretches in which it can fire. A kill-task or slow-task
 * fires at its `at`, so it meets exactly one stretch (a fault at a resume's own ms comes
 * before the resume, which runs after the ms's other work). Any other fault waits: after
 * `afterRecords` records (counted from the start, across the rescale), at a throw-in-operator's
 * next record from its `at` on, at a crash point or a checkpoint from the start. It is checked
 * against the largest parallelism it can meet, the simplest rule that never rejects a fault
 * that can fire; one whose subtask does not exist when it comes does not fire (the injector).
 */
import type { ActionSpec, FaultSpec, FaultTrigger, OperatorSpec } from './types.ts';

/** A resume of the scenario's actions, as the fault plan needs it. */
export type ResumeSpec = Extract<ActionSpec, { type: 'resume' }>;

/** What decides an operator's parallelism over the run (the fault plan's context has it all). */
export interface ParallelismContext {
  /** `config.parallelism`; null: the client's (`weir run --parallelism`), unknown here. */
  parallelism: number | null;
  /** The client's parallelism when the caller knows it (`weir run --parallelism`, else the system default 1); null: unknown. */
  clientParallelism: number | null;
  /** The `resume` actions, in order: each may rescale the operators. */
  resumes: readonly ResumeSpec[];
}

/** Where an operator's parallelism comes from; 'client' when only `weir run --parallelism` sets it. */
export type Parallelism = { p: number; from: string } | 'client';

/** A stretch of the run at one parallelism: from the start, or from just after a resume, to the next resume. */
export interface Stretch {
  readonly parallelism: Parallelism;
  /** The resume it starts with; null for the first run. */
  readonly resume: ResumeSpec | null;
}

/** The operator's parallelism in the first run. */
export function parallelismOf(op: OperatorSpec, ctx: ParallelismContext): Parallelism {
  if (op.type === 'sequence') return { p: 1, from: 'a sequence runs at parallelism 1' };
  if (op.parallelism !== null) return { p: op.parallelism, from: 'its own parallelism' };
  return environment(ctx.parallelism, ctx, 'config.parallelism');
}

function environment(p: number | null, ctx: ParallelismContext, from: string): Parallelism {
  if (p !== null) return { p, from };
  if (ctx.clientParallelism !== null) return { p: ctx.clientParallelism, from: "the client's parallelism: weir run --parallelism, default 1" };
  return 'client';
}

/** The operator's stretches; one when no resume rescales it (an operator with its own parallelism keeps it, as Flink's setParallelism beats -p). */
export function stretchesOf(op: OperatorSpec, ctx: ParallelismContext): Stretch[] {
  const first: Stretch = { parallelism: parallelismOf(op, ctx), resume: null };
  if (op.type === 'sequence' || op.parallelism !== null) return [first];
  // A resume without a parallelism submits the job at the file's environment parallelism again (actions.ts).
  const later = ctx.resumes.map((resume): Stretch => {
    const p = resume.parallelism ?? ctx.parallelism;
    const from = resume.parallelism !== null ? `the resume at ${resume.path}` : `config.parallelism, after the resume at ${resume.path}`;
    return { parallelism: environment(p, ctx, from), resume };
  });
  return [first, ...later];
}

/** The stretches in which a fault can fire; the first run's alone when its trigger did not validate. */
export function stretchesOfFault(stretches: readonly Stretch[], type: FaultSpec['type'], trigger: FaultTrigger | null): { reach: Stretch[]; why: string } {
  if (trigger === null) return { reach: [...stretches], why: '' };
  if (trigger.atMs === null) return { reach: [...stretches], why: `it fires after ${trigger.afterRecords} records, which the subtasks of every run count` };
  if (type === 'crash-at' || type === 'fail-checkpoint') {
    return { reach: [...stretches], why: type === 'crash-at' ? 'it fires when the subtask reaches its point, at any time' : 'it fires when its checkpoint is taken, at any time' };
  }
  // The stretch that holds `at`: the last whose resume comes strictly before it.
  let i = 0;
  while (i + 1 < stretches.length && stretches[i + 1]!.resume!.atMs < trigger.atMs) i++;
  if (type === 'kill-task' || type === 'slow-task') return { reach: [stretches[i]!], why: `it fires at t=${trigger.atMs}` };
  return { reach: stretches.slice(i), why: `it fires at its target's first record at or after t=${trigger.atMs}` };
}
