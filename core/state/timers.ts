/**
 * Timers, as Flink's InternalTimerService keeps them: per key and namespace, in event time
 * (fired when the watermark passes them) or processing time (fired when the virtual clock
 * reaches them). Registering the same (time, key, namespace) twice gives one timer, as in
 * Flink. Timers at the same time fire in the order they were registered, a deterministic
 * choice where Flink leaves the order open.
 */
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
 * The timers due at one time, in registration order, and which of them are still
 * registered: a deleted timer stays in `timers` and is skipped when its turn comes, and a
 * timer deleted and registered again fires at its first place, as a lazily-deleted heap
 * entry would. The keys of the bucket's first namespace have a field of their own, since a
 * window's timers all share its namespace; other namespaces go in a Map.
 */
class Bucket {
  readonly timers: Timer[] = [];
  /** The next timer of `timers` to look at. */
  cursor = 0;
  liveCount = 0;
  readonly namespace: string;
  readonly keys = new Set<KeyId>();
  others: Map<string, Set<KeyId>> | null = null;

  constructor(
    readonly timestamp: number,
    namespace: string,
  ) {
    this.namespace = namespace;
  }

  keysOf(namespace: string, create: boolean): Set<KeyId> | undefined {
    if (namespace === this.namespace) return this.keys;
    let keys = this.others?.get(namespace);
    if (keys === undefined && create) (this.others ??= new Map()).set(namespace, (keys = new Set()));
    return keys;
  }

  isLive(t: Timer): boolean {
    return this.keysOf(t.namespace, false)?.has(t.keyId) ?? false;
  }

  /** Unregisters (namespace, key); false if it was not registered. */
  take(namespace: string, keyId: KeyId): boolean {
    const keys = this.keysOf(namespace, false);
    if (keys === undefined || !keys.delete(keyId)) return false;
    if (keys.size === 0 && keys !== this.keys) this.others!.delete(namespace);
    this.liveCount--;
    return true;
  }
}

/**
 * Timers of one domain: a bucket per distinct time and a binary heap of those times. A
 * window operator registers one timer per (key, window), all at the window's end, so most
 * registrations find their bucket and touch no heap; firing walks a bucket in order.
 */
class TimerQueue {
  readonly #buckets = new Map<number, Bucket>();
  /** The times of `#buckets`, as a binary min-heap. */
  readonly #times: number[] = [];
  #size = 0;

  register(timer: Timer): boolean {
    const time = timer.timestamp;
    let bucket = this.#buckets.get(time);
    if (bucket === undefined) {
      bucket = new Bucket(time, timer.namespace);
      this.#buckets.set(time, bucket);
      heapPush(this.#times, time);
    }
    const keys = bucket.keysOf(timer.namespace, true)!;
    if (keys.has(timer.keyId)) return false;
    keys.add(timer.keyId);
    bucket.timers.push(timer);
    bucket.liveCount++;
    this.#size++;
    return true;
  }

  delete(timer: Timer): void {
    if (this.#buckets.get(timer.timestamp)?.take(timer.namespace, timer.keyId) === true) this.#size--;
  }

  has(timestamp: number, keyId: KeyId, namespace: string): boolean {
    return this.#buckets.get(timestamp)?.keysOf(namespace, false)?.has(keyId) ?? false;
  }

  /** The earliest bucket that still holds a live timer, or null (empty ones are dropped on the way). */
  #first(): Bucket | null {
    const times = this.#times;
    while (times.length > 0) {
      const bucket = this.#buckets.get(times[0]!)!;
      if (bucket.liveCount > 0) return bucket;
      this.#buckets.delete(bucket.timestamp);
      heapPop(times);
    }
    return null;
  }

  /** The earliest live timer's time, or null. */
  peekTime(): number | null {
    return this.#first()?.timestamp ?? null;
  }

  /** Pops the earliest live timer if it is due at `time`. */
  popDue(time: number): Timer | null {
    const bucket = this.#first();
    if (bucket === null || bucket.timestamp > time) return null;
    const timers = bucket.timers;
    for (;;) {
      const timer = timers[bucket.cursor++]!;
      if (!bucket.take(timer.namespace, timer.keyId)) continue;
      this.#size--;
      return timer;
    }
  }

  get size(): number {
    return this.#size;
  }

  /** Live timers in firing order (for snapshots and inspection). */
  list(): Timer[] {
    const out: Timer[] = [];
    for (const time of [...this.#times].sort((a, b) => a - b)) {
      const bucket = this.#buckets.get(time)!;
      if (bucket.liveCount === 0) continue;
      // A timer deleted and registered again is in `timers` twice: list it once, at its first place.
      const listed = new Map<string, Set<KeyId>>();
      for (let i = bucket.cursor; i < bucket.timers.length; i++) {
        const t = bucket.timers[i]!;
        if (!bucket.isLive(t)) continue;
        let seen = listed.get(t.namespace);
        if (seen === undefined) listed.set(t.namespace, (seen = new Set()));
        if (seen.has(t.keyId)) continue;
        seen.add(t.keyId);
        out.push(t);
      }
    }
    return out;
  }
}

function heapPush(heap: number[], value: number): void {
  let i = heap.length;
  heap.push(value);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (heap[parent]! <= value) break;
    heap[i] = heap[parent]!;
    i = parent;
  }
  heap[i] = value;
}

function heapPop(heap: number[]): void {
  const last = heap.pop()!;
  const n = heap.length;
  if (n === 0) return;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= n) break;
    const right = left + 1;
    const child = right < n && heap[right]! < heap[left]! ? right : left;
    if (heap[child]! >= last) break;
    heap[i] = heap[child]!;
    i = child;
  }
  heap[i] = last;
}

/** Timers at or before the watermark that one watermark advance may register while firing. */
// A continuous trigger over a long window fires once per interval when the watermark jumps
// (a day of 1-second firings is 86,400 per key): that is work, not a loop, so the bound is high.
export const MAX_TIMERS_REGISTERED_WHILE_FIRING = 1_000_000;

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

/** Told of every new timer and every timer that fires: the task traces them at level full. */
export interface TimerObserver {
  registered(timer: Timer, domain: 'event-time' | 'processing-time'): void;
  fired(timer: Timer, domain: 'event-time' | 'processing-time'): void;
}

export class InternalTimerService {
  readonly #eventTime = new TimerQueue();
  readonly #processingTime = new TimerQueue();
  #watermark = Number.MIN_SAFE_INTEGER;
  #observer: TimerObserver | null = null;

  /** Sets (or with null removes) the observer of new and fired timers; restored timers are not new. */
  observe(observer: TimerObserver | null): void {
    this.#observer = observer;
  }

  get currentWatermark(): number {
    return this.#watermark;
  }

  registerEventTimeTimer(timer: Timer): void {
    if (this.#firingUpTo !== null && timer.timestamp <= this.#firingUpTo && ++this.#registeredWhileFiring > MAX_TIMERS_REGISTERED_WHILE_FIRING) {
      throw new TimerLoopError(this.#firingUpTo);
    }
    if (this.#eventTime.register(timer) && this.#observer !== null) this.#observer.registered(timer, 'event-time');
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
    if (this.#processingTime.register(timer) && this.#observer !== null) this.#observer.registered(timer, 'processing-time');
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
      for (let t = this.#eventTime.popDue(watermark); t !== null; t = this.#eventTime.popDue(watermark)) {
        this.#observer?.fired(t, 'event-time');
        fire(t);
      }
    } finally {
      this.#firingUpTo = null;
    }
  }

  /** While firing up to this watermark, the bound that makes a new timer fire at once. */
  #firingUpTo: number | null = null;
  #registeredWhileFiring = 0;

  /** Fires every processing-time timer at or before `nowMs`. */
  onProcessingTime(nowMs: number, fire: (timer: Timer) => void): void {
    for (let t = this.#processingTime.popDue(nowMs); t !== null; t = this.#processingTime.popDue(nowMs)) {
      this.#observer?.fired(t, 'processing-time');
      fire(t);
    }
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
