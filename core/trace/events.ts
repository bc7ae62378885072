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
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly status: ExecutionState;
  readonly cause: string | null;
  /** On DEPLOYING: the slot the attempt is deployed to (`tm-1/slot-0`), as Flink logs "Deploying ... to" a TaskManager. */
  readonly slot?: string;
}

/** An operator in a task emitted a record downstream (sources included). */
export interface RecordEmitted extends At {
  readonly tag: 'record.emitted';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly operator: string;
  readonly value: JsonValue;
  readonly timestamp: number | null;
}

/** An operator's event-time clock moved forward. */
export interface WatermarkAdvanced extends At {
  readonly tag: 'watermark.advanced';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
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
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly operator: string;
  readonly key: JsonValue;
  /** The window [start, end); the result's timestamp is end - 1. */
  readonly start: number;
  readonly end: number;
}

/**
 * A window operator put the first element into a (key, window): the window exists from now
 * on, in that key's state (again after a purging trigger emptied it). For session windows,
 * a new session that did not merge with another.
 */
export interface WindowCreated extends At {
  readonly tag: 'window.created';
  readonly task: string;
  readonly attempt: number;
  readonly operator: string;
  readonly key: JsonValue;
  readonly start: number;
  readonly end: number;
}

/**
 * Windows of one key merged (session windows, Flink's MergingWindowSet merge callback): the
 * windows in `merged`, which existed before, are gone, and the window [start, end) holds
 * their contents from now on. The new element's own window is not listed (it never had
 * contents): with a gap of 10, sessions [0, 15) and [20, 30) and an element at 12 give
 * `merged` [0, 15) and [20, 30) and the window [0, 30); had there been only [0, 15), the
 * element would give `merged` [0, 15) and the window [0, 22). An element inside a session
 * that does not extend it merges nothing.
 */
export interface WindowMerged extends At {
  readonly tag: 'window.merged';
  readonly task: string;
  readonly attempt: number;
  readonly operator: string;
  readonly key: JsonValue;
  /** The resulting window [start, end). */
  readonly start: number;
  readonly end: number;
  /** The windows that merged into it, in start order. */
  readonly merged: readonly { readonly start: number; readonly end: number }[];
}

/**
 * A window's contents were removed: by a purging trigger (FIRE_AND_PURGE or PURGE; the
 * window may fill again), or for good, when the watermark passed its cleanup time (end - 1
 * plus the allowed lateness; processing time: its end).
 */
export interface WindowPurged extends At {
  readonly tag: 'window.purged';
  readonly task: string;
  readonly attempt: number;
  readonly operator: string;
  readonly key: JsonValue;
  readonly start: number;
  readonly end: number;
  /** True: the window is gone (cleanup time); false: a trigger purged it. */
  readonly cleanup: boolean;
}

/**
 * A keyed operator registered a timer (one not registered already for that time, key and
 * namespace), or one fired: a process function's `timer` action, a keyed connect's, an
 * interval join's cleanup timer per buffered element. A window operator's timers are not
 * traced: window.created, window.fired and window.purged tell the same.
 */
interface TimerFields extends At {
  readonly task: string;
  readonly attempt: number;
  readonly operator: string;
  readonly key: JsonValue;
  readonly timestamp: number;
  readonly domain: 'event-time' | 'processing-time';
  /** The timer's namespace: a window as "start,end", "GLOBAL", or the operator's own name for it. */
  readonly namespace: string;
}

export interface TimerRegistered extends TimerFields {
  readonly tag: 'timer.registered';
}

export interface TimerFired extends TimerFields {
  readonly tag: 'timer.fired';
}

/**
 * A user function changed keyed state through a state handle (a process function, a keyed
 * connect): which state, how, and what was written. A window's own accumulator is shown by
 * window.created / window.fired / window.purged instead.
 */
export interface StateUpdated extends At {
  readonly tag: 'state.updated';
  readonly task: string;
  readonly attempt: number;
  readonly operator: string;
  readonly key: JsonValue;
  readonly state: string;
  /** ValueState update; ListState / ReducingState / AggregatingState add; MapState put or remove; any clear. */
  readonly change: 'update' | 'add' | 'put' | 'remove' | 'clear';
  /** A map state's entry key, else null. */
  readonly entry: string | null;
  /** What was written: the new value, the element added, the entry's value, a folding state's new result; null for remove and clear. */
  readonly value: JsonValue | null;
}

/**
 * An operator got an element too late: for a window operator, the watermark had passed the
 * cleanup time (end - 1 + allowed lateness) of every window it belongs to; for an interval
 * join, its timestamp was below the watermark. Flink drops it and counts it
 * (numLateRecordsDropped), or sends it to the late side output when one is set.
 */
export interface RecordLate extends At {
  readonly tag: 'record.late';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly operator: string;
  readonly value: JsonValue;
  readonly timestamp: number | null;
  /** The operator's watermark when the element arrived. */
  readonly watermark: number;
  /** The late side output's tag, or null: the element was dropped. */
  readonly sideOutput: string | null;
}

/**
 * A dedup operator dropped a record whose key it took for one seen before. With a Bloom
 * filter that can be wrong: `falsePositive` says the key was in fact new (the ground truth
 * the report counts), which is the record a learner asks about.
 */
export interface RecordDeduplicated extends At {
  readonly tag: 'record.deduplicated';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly operator: string;
  readonly value: JsonValue;
  readonly timestamp: number | null;
  readonly falsePositive: boolean;
}

/**
 * A subtask became back-pressured, or stopped being so: Flink's notion, the task is blocked
 * because an output buffer is full and its channel has no credit (the consumer has not yet
 * freed a buffer). Emitted on each change only, never per record; `backPressured: false`
 * also when the attempt stops (fails, is canceled or finishes) while blocked, so that every
 * episode of an attempt ends, and their lengths add up to its `backPressuredTimeMs`.
 */
export interface TaskBackPressure extends At {
  readonly tag: 'task.backpressure';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly backPressured: boolean;
  /** On `backPressured: true`: the consumer subtask (`window#1`) whose channel has no credit, the one the task waits for. */
  readonly downstream?: string;
}

/** A subtask declared itself idle (its inputs went quiet) or active again: Flink's WatermarkStatus. */
export interface WatermarkStatusChanged extends At {
  readonly tag: 'watermark.status';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly status: 'IDLE' | 'ACTIVE';
}

/**
 * A user function wrote a record to a side output: a process function's `sideOutput` action
 * (ctx.output), a window function's, a connect or join function's. A late element that a
 * window or an interval join sends to its late side output is not one of these: its
 * `record.late` event (with `sideOutput`) already tells it.
 */
export interface SideOutputWrote extends At {
  readonly tag: 'sideoutput.wrote';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly operator: string;
  /** The side output's tag (Flink's OutputTag id); `tag` names the event. */
  readonly sideOutput: string;
  readonly value: JsonValue;
  readonly timestamp: number | null;
}

/** A sink wrote a record to the outside world. */
export interface SinkWrote extends At {
  readonly tag: 'sink.wrote';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly sink: string;
  readonly value: JsonValue;
  readonly timestamp: number | null;
  /** For a sink that writes to a topic: where the record went, so that a view can fold what a read_committed reader sees. */
  readonly topic?: string;
  readonly partition?: number;
  /** For a write in a transaction: the transaction's id and producer epoch (see `log.transaction`). */
  readonly transactionalId?: string;
  readonly epoch?: number;
  /** For an upsert into a table (the idempotent sink): the table and the row's key. */
  readonly table?: string;
  readonly row?: string;
}

/** A transaction of the log changed state: first written to (OPEN), COMMITTED, or ABORTED (by its producer, fenced, timed out). */
export interface LogTransaction extends At {
  readonly tag: 'log.transaction';
  readonly transactionalId: string;
  readonly epoch: number;
  readonly status: 'OPEN' | 'COMMITTED' | 'ABORTED';
  /** Records written in it so far. */
  readonly records: number;
  readonly reason?: string;
}

/**
 * A step of a sink's commit protocol: for a two-phase-commit sink `begin`, `pre-commit`,
 * `commit`, `recover-commit`, `recover-abort` (a lingering transaction), `lost` (its
 * commit found the transaction aborted); for a write-ahead-log sink `sent` and `marked`
 * (the committer recorded the checkpoint), `skipped` (already marked) or `send-failed`
 * (the batch stays pending for the next checkpoint).
 */
export interface SinkCommitStep extends At {
  readonly tag: 'sink.commit';
  readonly task: string;
  /** The execution attempt of the subtask: 1, then one more per redeployment. */
  readonly attempt: number;
  readonly sink: string;
  readonly step: 'begin' | 'pre-commit' | 'commit' | 'recover-commit' | 'recover-abort' | 'lost' | 'sent' | 'send-failed' | 'marked' | 'skipped';
  readonly checkpoint: number;
  readonly transactionalId?: string;
  readonly records: number;
  readonly detail?: string;
}

/** The simulation stopped: the job ended, or `run.until` was reached, or a limit. */
export interface RunEnded extends At {
  readonly tag: 'run.ended';
  readonly status: JobStatus;
  readonly reason: string;
}


/** The CheckpointCoordinator triggered checkpoint (or savepoint) `checkpoint` at the sources. */
export interface CheckpointTriggered extends At {
  readonly tag: 'checkpoint.triggered';
  readonly checkpoint: number;
  readonly savepoint: boolean;
  /** Subtasks that must acknowledge it. */
  readonly tasks: number;
}

/** Every subtask acknowledged `checkpoint`; it is now the latest completed checkpoint. */
export interface CheckpointCompleted extends At {
  readonly tag: 'checkpoint.completed';
  readonly checkpoint: number;
  readonly savepoint: boolean;
  /** Bytes of state in the checkpoint (canonical JSON of every subtask's snapshot). */
  readonly stateSize: number;
  /** Bytes written for this checkpoint: all of it for a full snapshot, the changes for an incremental one. */
  readonly checkpointedSize: number;
  readonly durationMs: number;
}

/**
 * A pending checkpoint ended without completing: FAILED (a problem: EXPIRED, DECLINED,
 * TASK_FAILURE, ...) or ABORTED (given up without a problem: SUBSUMED, JOB_ENDED).
 */
export interface CheckpointEnded extends At {
  readonly tag: 'checkpoint.failed';
  readonly checkpoint: number;
  /** Present (true) when it was a savepoint. */
  readonly savepoint?: true;
  readonly status: 'FAILED' | 'ABORTED';
  readonly reason: string;
  readonly cause: string | null;
  /** Whether CheckpointFailureManager counted it against tolerableFailures. */
  readonly counted: boolean;
}

/** A checkpoint barrier reached a subtask on one input channel. */
export interface BarrierReceived extends At {
  readonly tag: 'barrier.received';
  readonly task: string;
  readonly attempt: number;
  readonly checkpoint: number;
  readonly input: number;
}

/** An aligned checkpoint started blocking input channels (its first barrier arrived). */
export interface AlignmentStarted extends At {
  readonly tag: 'alignment.started';
  readonly task: string;
  readonly attempt: number;
  readonly checkpoint: number;
}

/** A subtask had the barrier from every input: it takes its snapshot; `alignmentMs` is how long inputs were blocked. */
export interface BarrierAligned extends At {
  readonly tag: 'barrier.aligned';
  readonly task: string;
  readonly attempt: number;
  readonly checkpoint: number;
  readonly alignmentMs: number;
  /** Whether the checkpoint ran unaligned here (barrier overtook the data; in-flight data persisted). */
  readonly unaligned: boolean;
}

/** A subtask took its snapshot of a checkpoint and acknowledged it to the coordinator. */
export interface SnapshotTaken extends At {
  readonly tag: 'snapshot.taken';
  readonly task: string;
  readonly attempt: number;
  readonly checkpoint: number;
  readonly stateSize: number;
  /** Records of in-flight channel state (unaligned checkpoints), 0 otherwise. */
  readonly channelStateRecords: number;
}

/** A subtask declined a checkpoint (its snapshot failed, or its alignment was cancelled). */
export interface SnapshotDeclined extends At {
  readonly tag: 'snapshot.declined';
  readonly task: string;
  readonly attempt: number;
  readonly checkpoint: number;
  readonly reason: string;
}

/** A fault of the scenario's plan fired. */
export interface FaultInjected extends At {
  readonly tag: 'fault.injected';
  readonly fault: string;
  /** What it hit, e.g. `window#0` or `tm-1`. */
  readonly target: string;
  readonly description: string;
}

/** The JobManager decided to restart after a failure; the restart happens after `delayMs`. */
export interface JobRestarting extends At {
  readonly tag: 'job.restarting';
  readonly attempt: number;
  readonly delayMs: number;
  readonly cause: string;
  /** The subtasks restarted (the failed one's pipelined region, or all). */
  readonly tasks: readonly string[];
}

/** Subtasks were redeployed, with state from `checkpoint` (null: from nothing). */
export interface JobRestored extends At {
  readonly tag: 'job.restored';
  readonly checkpoint: number | null;
  readonly savepoint: boolean;
  readonly tasks: readonly string[];
}

/** A scenario action could not be carried out (a resume without a stopped job, a rescale beyond maxParallelism, ...). */
export interface ActionSkipped extends At {
  readonly tag: 'action.skipped';
  readonly action: string;
  readonly reason: string;
}

/** A TaskManager died, was noticed dead (heartbeat timeout), or registered. */
export interface TaskManagerEvent extends At {
  readonly tag: 'taskmanager.status';
  readonly taskManager: string;
  readonly status: 'LOST' | 'TIMED_OUT' | 'REGISTERED';
}

export type TraceEvent =
  | JobSubmitted
  | JobStatusChanged
  | TaskStatusChanged
  | RecordEmitted
  | WatermarkAdvanced
  | WatermarkStatusChanged
  | TaskBackPressure
  | WindowFired
  | WindowCreated
  | WindowMerged
  | WindowPurged
  | TimerRegistered
  | TimerFired
  | StateUpdated
  | SinkWrote
  | SideOutputWrote
  | CheckpointTriggered
  | CheckpointCompleted
  | CheckpointEnded
  | BarrierReceived
  | AlignmentStarted
  | BarrierAligned
  | SnapshotTaken
  | SnapshotDeclined
  | FaultInjected
  | JobRestarting
  | JobRestored
  | TaskManagerEvent
  | ActionSkipped
  | LogTransaction
  | SinkCommitStep
  | RecordLate
  | RecordDeduplicated
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
  // On each change only, so summary can afford it; a student needs to see when a task waits.
  'task.backpressure': 'summary',
  'window.fired': 'full',
  'window.created': 'full',
  'window.merged': 'full',
  'window.purged': 'full',
  'timer.registered': 'full',
  'timer.fired': 'full',
  'state.updated': 'full',
  'record.late': 'summary',
  'record.deduplicated': 'full',
  'sideoutput.wrote': 'full',
  // At summary too, so that a checker reading a summary trace sees every output.
  'sink.wrote': 'summary',
  'checkpoint.triggered': 'summary',
  'checkpoint.completed': 'summary',
  'checkpoint.failed': 'summary',
  'barrier.received': 'summary',
  'alignment.started': 'summary',
  'barrier.aligned': 'summary',
  'snapshot.taken': 'summary',
  'snapshot.declined': 'summary',
  'fault.injected': 'summary',
  'job.restarting': 'summary',
  'job.restored': 'summary',
  'taskmanager.status': 'summary',
  'action.skipped': 'summary',
  'log.transaction': 'summary',
  'sink.commit': 'summary',
  'run.ended': 'summary',
};

export function levelRank(level: TraceLevel): number {
  return level === 'off' ? 0 : level === 'summary' ? 1 : 2;
}
