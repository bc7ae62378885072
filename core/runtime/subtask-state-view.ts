/**
 * What one subtask holds at an instant, as plain data for a person to read: the keyed
 * state of each keyed operator of its chain (state, key, namespace, value; a window
 * operator's namespace is its window) and the timers registered, event time and processing
 * time, in firing order. Lists are cut at `limit` entries each (`truncated` says so), since
 * a state can hold millions.
 */
import type { JsonValue } from '../model/index.ts';
import type { JobManager } from './job-manager.ts';

export interface WindowBounds {
  readonly start: number;
  readonly end: number;
}

export interface StateEntryView {
  readonly state: string;
  readonly key: string;
  /** '' for state not scoped to a window (Flink's VoidNamespace). */
  readonly namespace: string;
  readonly window: WindowBounds | null;
  readonly value: JsonValue;
}

export interface TimerView {
  readonly domain: 'event-time' | 'processing-time';
  readonly timestamp: number;
  readonly key: JsonValue;
  readonly namespace: string;
  readonly window: WindowBounds | null;
}

export interface OperatorStateView {
  readonly operator: string;
  readonly entries: readonly StateEntryView[];
  readonly timers: readonly TimerView[];
  /** How many there are in all (the lists may be cut). */
  readonly entryCount: number;
  readonly timerCount: number;
}

export interface SubtaskStateView {
  readonly task: string;
  readonly attempt: number;
  readonly status: string;
  readonly timeMs: number;
  readonly watermark: number;
  readonly operators: readonly OperatorStateView[];
  readonly truncated: boolean;
}

const WINDOW = /^(-?\d+),(-?\d+)$/;

/** The window a namespace names (`start,end`, as the window operator writes it), or null. */
export function windowOfNamespaceText(namespace: string): WindowBounds | null {
  const m = WINDOW.exec(namespace);
  return m === null ? null : { start: Number(m[1]), end: Number(m[2]) };
}

/** The subtask `taskId` of the job `jobManager` runs, now; null when it is not deployed. */
export function subtaskStateView(jobManager: JobManager, taskId: string, limit = 500): SubtaskStateView | null {
  const task = jobManager.task(taskId);
  if (task === undefined) return null;
  let truncated = false;
  const timersOf = new Map(task.keyedTimers().map((t) => [t.operator, t]));
  const operators = task.keyedState().map(({ operator, entries }) => {
    const timers = timersOf.get(operator);
    const all: TimerView[] = [
      ...(timers?.eventTime ?? []).map((t) => ({ domain: 'event-time' as const, timestamp: t.timestamp, key: t.key, namespace: t.namespace, window: windowOfNamespaceText(t.namespace) })),
      ...(timers?.processingTime ?? []).map((t) => ({ domain: 'processing-time' as const, timestamp: t.timestamp, key: t.key, namespace: t.namespace, window: windowOfNamespaceText(t.namespace) })),
    ];
    if (entries.length > limit || all.length > limit) truncated = true;
    return {
      operator,
      entries: entries.slice(0, limit).map((e) => ({ state: e.state, key: e.key, namespace: e.namespace, window: windowOfNamespaceText(e.namespace), value: e.value })),
      timers: all.slice(0, limit),
      entryCount: entries.length,
      timerCount: all.length,
    };
  });
  return { task: task.id, attempt: task.attempt, status: task.status, timeMs: jobManager.kernel.clock.nowMs, watermark: task.watermark, operators, truncated };
}
