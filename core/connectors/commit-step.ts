/**
 * The `sink.commit` trace event: one step of a sink's commit protocol (two-phase commit or
 * write-ahead log), so the timeline and the playground can show where in the protocol a
 * subtask was when something happened.
 */
import type { OperatorContext } from '../operators/index.ts';
import type { TraceEvent } from '../trace/index.ts';

type CommitStep = Extract<TraceEvent, { tag: 'sink.commit' }>;

export function traceCommitStep(
  ctx: OperatorContext,
  sink: string,
  step: CommitStep['step'],
  checkpoint: number,
  records: number,
  transactionalId: string | null,
  detail: string | null,
): void {
  if (!ctx.trace.records('sink.commit')) return;
  ctx.trace.emit({
    tag: 'sink.commit',
    timeMs: ctx.nowMs(),
    task: ctx.task,
    attempt: ctx.attempt,
    sink,
    step,
    checkpoint,
    ...(transactionalId === null ? {} : { transactionalId }),
    records,
    ...(detail === null ? {} : { detail }),
  });
}
