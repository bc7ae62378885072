/**
 * The trace is Weir's one output: every view in the playground, every checker, the CLI's
 * timeline and the golden tests read these events and nothing else. Each event has a
 * dotted tag (`record.emitted`, `watermark.advanced`, ...) and the virtual time it
 * happened at; its other fields are plain JSON so that it has one canonical encoding.
 *
 * Each tag belongs to a level. `summary` events describe the job (status changes,
 * watermarks, window firings, checkpoints, failures); `full` adds one event per record,
 * which is what a classroom wants to watch and what a million-record benchmark must skip.
 */
import type { JsonValue } from '../model/index.ts';

/** Flink's job states (JobStatus). */
export type JobStatus = 'CREATED' | 'RUNNING' | 'FAILING' | 'FAILED' | 'CANCELLING' | 'CANCELED' | 'FINISHED' | 'RESTARTING';

/** Flink's execution states of one subtask (ExecutionState). */
export type ExecutionState =
  | 'CREATED'
  | 'SCHEDULED'
  | 'DEPLOYING'
  | 'INITIALIZING'
  | 'RUNNING'
  | 'FINISHED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED';

interface At {
  /** Virtual time of the event, in ms. */
  readonly timeMs: number;
}

/** The Client handed a JobGraph to the JobManager. */
export interface JobSubmitted extends At {
  readonly tag: 'job.submitted';
  readonly job: string;
  readonly name: string;
  readonly vertices: number;
  readonly subtasks: number;
}

export interface JobStatusChanged extends At {
  readonly tag: 'job.status';
  readonly job: string;
  readonly status: JobStatus;
  readonly cause: string | null;
}

/** A subtask (`task`, e.g. `map#0`: vertex id, `#`, subtask index) changed state. */
export interface TaskStatusChanged extends At {
  readonly tag: 'task.status';
  readonly task: string;
  readonly status: ExecutionState;
  readonly cause: string | null;
}

/** An operator in a task emitted a record downstream (sources included). */
export interface RecordEmitted extends At {
  readonly tag: 'record.emitted';
  readonly task: string;
  readonly operator: string;
  readonly value: JsonValue;
  readonly timestamp: number | null;
}

/** An operator's event-time clock moved forward. */
export interface WatermarkAdvanced extends At {
  readonly tag: 'watermark.advanced';
  readonly task: string;
  readonly operator: string;
  readonly watermark: number;
}

/**
 * A window operator fired a window for one key: it emitted the window's result (on time,
 * early by a count trigger, or again for a late element within the allowed lateness).
 */
export interface WindowFired extends At {
  readonly tag: 'window.fired';
  readonly task: string;
  readonly operator: string;
  readonly key: JsonValue;
  /** The window [start, end); the result's timestamp is end - 1. */
  readonly start: number;
  readonly end: number;
}

/** A subtask declared itself idle (its inputs went quiet) or active again: Flink's WatermarkStatus. */
export interface WatermarkStatusChanged extends At {
  readonly tag: 'watermark.status';
  readonly task: string;
  readonly status: 'IDLE' | 'ACTIVE';
}

/** A sink wrote a record to the outside world. */
export interface SinkWrote extends At {
  readonly tag: 'sink.wrote';
  readonly task: string;
  readonly sink: string;
  readonly value: JsonValue;
  readonly timestamp: number | null;
}

/** The simulation stopped: the job ended, or `run.until` was reached, or a limit. */
export interface RunEnded extends At {
  readonly tag: 'run.ended';
  readonly status: JobStatus;
  readonly reason: string;
}

export type TraceEvent =
  | JobSubmitted
  | JobStatusChanged
  | TaskStatusChanged
  | RecordEmitted
  | WatermarkAdvanced
  | WatermarkStatusChanged
  | WindowFired
  | SinkWrote
  | RunEnded;

export type TraceTag = TraceEvent['tag'];

/** How much of a run the trace keeps. */
export type TraceLevel = 'off' | 'summary' | 'full';

export const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'summary', 'full'];

/** The level at which each tag starts being recorded. */
export const TAG_LEVEL: Readonly<Record<TraceTag, Exclude<TraceLevel, 'off'>>> = {
  'job.submitted': 'summary',
  'job.status': 'summary',
  'task.status': 'summary',
  'record.emitted': 'full',
  'watermark.advanced': 'summary',
  'watermark.status': 'summary',
  'window.fired': 'full',
  'sink.wrote': 'full',
  'run.ended': 'summary',
};

export function levelRank(level: TraceLevel): number {
  return level === 'off' ? 0 : level === 'summary' ? 1 : 2;
}
