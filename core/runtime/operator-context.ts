/**
 * What an operator of a subtask's chain sees of the task it runs in: its OperatorContext
 * (identity, virtual time, its own random stream, the world it writes to, the fault plan's
 * points in a sink's commit protocol, keyed state and timers behind a keyBy, processing-time
 * callbacks). Made once per operator at every deployment of an attempt.
 */
import { cachedKeyGroupOf, keyGroupRange, type JobVertex, type StreamNode } from '../graph/index.ts';
import type { KeyedContext, OperatorContext } from '../operators/index.ts';
import { InternalTimerService, KeyedStateBackend, type Timer } from '../state/index.ts';
import { FaultInjectedError } from './fault-hooks.ts';
import type { TaskHostOf, TaskMetrics } from './task-host.ts';

/** What the context of an operator reads from, and calls back into, its task. */
export interface ContextOwner {
  readonly id: string;
  readonly attempt: number;
  readonly index: number;
  readonly vertex: JobVertex;
  readonly metrics: TaskMetrics;
  readonly backPressured: boolean;
  /** Asks for a `task.timer` at `atMs` (one per time, however many operators ask). */
  wakeUpAt(atMs: number): void;
  /** Declares the subtask idle (or active again) downstream. */
  setIdle(idle: boolean): void;
}

/** The checkpoint id a sink commits under at the end of its input when the job takes no periodic checkpoints: no checkpoint has id 0. */
const END_OF_INPUT_COMMIT = 0;

/**
 * Methods, not arrow properties, and a function rather than a closure over the task: under
 * tsx's keepNames every arrow property of an object literal costs a defineProperty, and
 * contexts are made per operator at every deployment.
 */
export function operatorContextOf<T extends ContextOwner>(task: T, host: TaskHostOf<T>, node: StreamNode): OperatorContext {
  return {
    task: task.id,
    attempt: task.attempt,
    operatorId: node.id,
    subtaskIndex: task.index,
    parallelism: task.vertex.parallelism,
    maxParallelism: task.vertex.maxParallelism,
    trace: host.trace,
    nowMs() {
      return host.kernel.clock.nowMs;
    },
    random(name) {
      return host.kernel.random.stream(`operator/${task.id}@${task.attempt}/${node.id}/${name}`);
    },
    world: host.world,
    checkpointing: host.periodicCheckpointing,
    protocolPoint(point, checkpointId) {
      if (host.crashesAt(task, point, checkpointId)) throw new FaultInjectedError(`crash-at ${point} ${task.id} (${checkpointId === END_OF_INPUT_COMMIT ? 'the end-of-input commit' : `checkpoint ${checkpointId}`})`);
    },
    commitPoint(checkpointId) {
      if (host.commitFails(task, node.id, checkpointId)) throw new FaultInjectedError(`fail-commit ${task.id}: ${checkpointId === END_OF_INPUT_COMMIT ? 'the end-of-input commit' : `the commit of checkpoint ${checkpointId}`} throws`);
    },
    keyed: node.keySelector === null ? null : keyedContextOf(task, host, node.keySelector.select, node.id),
    registerProcessingTimeCallback(atMs) {
      task.wakeUpAt(atMs);
    },
    metrics: task.metrics,
    markIdle(idle) {
      task.setIdle(idle);
    },
    isBackPressured() {
      return task.backPressured;
    },
  };
}

/** A keyed operator's state backend and timers, over the key groups of its subtask. */
function keyedContextOf<T extends ContextOwner>(task: T, host: TaskHostOf<T>, select: KeyedContext['selectKey'], operatorId: string): KeyedContext {
  const maxParallelism = task.vertex.maxParallelism;
  const range = keyGroupRange(maxParallelism, task.vertex.parallelism, task.index);
  const timers = new InternalTimerService();
  const trace = host.trace;
  if (trace.records('timer.registered')) {
    const event = (tag: 'timer.registered' | 'timer.fired', timer: Timer, domain: 'event-time' | 'processing-time') =>
      trace.emit({ tag, timeMs: host.kernel.clock.nowMs, task: task.id, attempt: task.attempt, operator: operatorId, key: timer.key, timestamp: timer.timestamp, domain, namespace: timer.namespace });
    timers.observe({ registered: (timer, domain) => event('timer.registered', timer, domain), fired: (timer, domain) => event('timer.fired', timer, domain) });
  }
  const backend = new KeyedStateBackend(range, cachedKeyGroupOf(maxParallelism));
  backend.backgroundCleanup = host.stateBackend === 'hashmap';
  return { backend, timers, selectKey: select };
}
