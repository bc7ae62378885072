/**
 * Timers, as Flink's InternalTimerService keeps them: per key and namespace, in event time
 * (fired when the watermark passes them) or processing time (fired when the virtual clock
 * reaches them). Registering the same (time, key, namespace) twice gives one timer, as in
 * Flink. Timers at the same time fire in the order they were registered, a deterministic
 * choice where Flink leaves the order open.
 */
import { EventQueue } from '../kernel/index.ts';
import { cloneJson, type JsonValue } from '../model/index.ts';
import type { KeyId } from './keyed-state.ts';
import type { TimerEntry } from './snapshot.ts';

export interface Timer {
  readonly timestamp: number;
  readonly key: JsonValue;
  /** The key as state stores it (`KeyedStateBackend.currentKeyId`): identifies the timer. */
  readonly keyId: KeyId;
  readonly namespace: string;
}

/**
 * The live timers as time -> namespace -> keys: a lookup without building a string per
 * registration, which the window operator does once per record.
 */
class LiveTimers {
  readonly #byTime = new Map<number, Map<string, Set<KeyId>>>();
  size = 0;

  has(t: Timer): boolean {
    return this.hasAt(t.timestamp, t.keyId, t.namespace);
  }

  hasAt(timestamp: number, keyId: KeyId, namespace: string): boolean {
    return this.#byTime.get(timestamp)?.get(namespace)?.has(keyId) ?? false;
  }

  add(t: Timer): void {
    let byNamespace = this.#byTime.get(t.timestamp);
    if (byNamespace === undefined) this.#byTime.set(t.timestamp, (byNamespace = new Map()));
    let keys = byNamespace.get(t.namespace);
    if (keys === undefined) byNamespace.set(t.namespace, (keys = new Set()));
    keys.add(t.keyId);
    this.size++;
  }

  delete(t: Timer): void {
    const byNamespace = this.#byTime.get(t.timestamp);
    const keys = byNamespace?.get(t.namespace);
    if (keys === undefined || !keys.delete(t.keyId)) return;
    this.size--;
    if (keys.size === 0) {
      byNamespace!.delete(t.namespace);
      if (byNamespace!.size === 0) this.#byTime.delete(t.timestamp);
    }
  }
}

class TimerQueue {
  readonly #queue = new EventQueue<Timer>(10_000_000);
  readonly #live = new LiveTimers();

  register(timer: Timer): boolean {
    if (this.#live.has(timer)) return false;
    this.#live.add(timer);
    this.#queue.push(timer.timestamp, 0, timer);
    return true;
  }

  delete(timer: Timer): void {
    this.#live.delete(timer);
  }

  has(timestamp: number, keyId: KeyId, namespace: string): boolean {
    return this.#live.hasAt(timestamp, keyId, namespace);
  }

  /** The earliest live timer's time, or null. */
  peekTime(): number | null {
    for (let top = this.#queue.peek(); top !== undefined; top = this.#queue.peek()) {
      if (this.#live.has(top.event)) return top.timeMs;
      this.#queue.pop();
    }
    return null;
  }

  /** Pops the earliest live timer if it is due at `time`. */
  popDue(time: number): Timer | null {
    const t = this.peekTime();
    if (t === null || t > time) return null;
    const timer = this.#queue.pop()!.event;
    this.#live.delete(timer);
    return timer;
  }

  get size(): number {
    return this.#live.size;
  }

  /** Live timers in firing order (for snapshots and inspection). */
  list(): Timer[] {
    return this.#queue
      .sorted()
      .map((e) => e.event)
      .filter((t) => this.#live.has(t));
  }
}

/** Timers at or before the watermark that one watermark advance may register while firing. */
export const MAX_TIMERS_REGISTERED_WHILE_FIRING = 100_000;

/** A timer function kept registering timers that fire at once: it would never end. */
export class TimerLoopError extends Error {
  constructor(watermark: number) {
    super(
      `more than ${MAX_TIMERS_REGISTERED_WHILE_FIRING} timers at or before the watermark ${watermark} were registered while timers fired: ` +
        'an onTimer that registers a timer at or before the current watermark fires again at once, for ever',
    );
    this.name = 'TimerLoopError';
  }
}

export class InternalTimerService {
  readonly #eventTime = new TimerQueue();
  readonly #processingTime = new TimerQueue();
  #watermark = Number.MIN_SAFE_INTEGER;

  get currentWatermark(): number {
    return this.#watermark;
  }

  registerEventTimeTimer(timer: Timer): void {
    if (this.#firingUpTo !== null && timer.timestamp <= this.#firingUpTo && ++this.#registeredWhileFiring > MAX_TIMERS_REGISTERED_WHILE_FIRING) {
      throw new TimerLoopError(this.#firingUpTo);
    }
    this.#eventTime.register(timer);
  }

  /** Whether the timer (time, key, namespace) is registered: lets a caller skip building one. */
  hasEventTimeTimer(timestamp: number, keyId: KeyId, namespace: string): boolean {
    return this.#eventTime.has(timestamp, keyId, namespace);
  }

  deleteEventTimeTimer(timer: Timer): void {
    this.#eventTime.delete(timer);
  }

  /** Returns true when this timer is now the earliest processing-time timer. */
  registerProcessingTimeTimer(timer: Timer): boolean {
    const before = this.#processingTime.peekTime();
    this.#processingTime.register(timer);
    return before === null || timer.timestamp < before;
  }

  deleteProcessingTimeTimer(timer: Timer): void {
    this.#processingTime.delete(timer);
  }

  /**
   * Fires every event-time timer at or before `watermark`, including ones registered while
   * firing (as Flink does). A timer function that keeps registering timers at or before the
   * watermark would loop for ever: past a limit that is a TimerLoopError.
   */
  advanceWatermark(watermark: number, fire: (timer: Timer) => void): void {
    this.#watermark = watermark;
    this.#firingUpTo = watermark;
    this.#registeredWhileFiring = 0;
    try {
      for (let t = this.#eventTime.popDue(watermark); t !== null; t = this.#eventTime.popDue(watermark)) fire(t);
    } finally {
      this.#firingUpTo = null;
    }
  }

  /** While firing up to this watermark, the bound that makes a new timer fire at once. */
  #firingUpTo: number | null = null;
  #registeredWhileFiring = 0;

  /** Fires every processing-time timer at or before `nowMs`. */
  onProcessingTime(nowMs: number, fire: (timer: Timer) => void): void {
    for (let t = this.#processingTime.popDue(nowMs); t !== null; t = this.#processingTime.popDue(nowMs)) fire(t);
  }

  /** When the next processing-time timer is due, or null. */
  nextProcessingTime(): number | null {
    return this.#processingTime.peekTime();
  }

  get eventTimeTimers(): number {
    return this.#eventTime.size;
  }

  get processingTimeTimers(): number {
    return this.#processingTime.size;
  }

  listEventTimeTimers(): Timer[] {
    return this.#eventTime.list();
  }

  listProcessingTimeTimers(): Timer[] {
    return this.#processingTime.list();
  }

  /** Registers restored timers (in firing order, so equal times keep their order). */
  restore(timers: readonly TimerEntry[]): void {
    for (const t of timers) {
      const timer: Timer = { timestamp: t.timestamp, key: cloneJson(t.key), keyId: t.keyId, namespace: t.namespace };
      if (t.domain === 'event') this.#eventTime.register(timer);
      else this.#processingTime.register(timer);
    }
  }
}
