/**
 * Timers, as Flink's InternalTimerService keeps them: per key and namespace, in event time
 * (fired when the watermark passes them) or processing time (fired when the virtual clock
 * reaches them). Registering the same (time, key, namespace) twice gives one timer, as in
 * Flink. Timers at the same time fire in the order they were registered, a deterministic
 * choice where Flink leaves the order open.
 *
 * A timer is not kept as an object of its own. A window operator registers one timer per
 * (key, window), all at the window's end and in the window's namespace, so the timers at
 * one time are kept as runs: consecutive registrations in one namespace share a run, which
 * is the window's keys in the order they came. Registering appends a key to the last run;
 * firing walks the runs and hands each timer's fields to the caller, and only the callers
 * that ask for a Timer object (listing, tracing, the Timer-taking methods) get one built.
 * A window's first element knows its timer is new (the window's state says so), so it is
 * appended without a look at the window's other keys; the set of a time's registered keys
 * is built only if a deletion, a lookup or an ordinary registration at that time needs it.
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
 * Called for each timer that fires, with its fields rather than a Timer object, so that
 * firing a window's keys builds nothing per key.
 * @example service.advanceWatermarkWith(999, (timestamp, key, _keyId, namespace) => fireWindow(key, namespace));
 */
export type TimerCallback = (timestamp: number, key: JsonValue, keyId: KeyId, namespace: string) => void;

/**
 * Consecutive registrations at one time in one namespace: a window's keys at its end, in
 * the order they were registered.
 */
class Run {
  readonly keys: JsonValue[] = [];
  readonly keyIds: KeyId[] = [];

  constructor(readonly namespace: string) {}
}

/**
 * The registered keys of one bucket, per namespace. A window's timers all share its
 * namespace, so the bucket's first namespace has a field of its own; others go in a Map.
 */
class LiveKeys {
  readonly keys = new Set<KeyId>();
  others: Map<string, Set<KeyId>> | null = null;

  constructor(readonly namespace: string) {}

  of(namespace: string, create: boolean): Set<KeyId> | undefined {
    if (namespace === this.namespace) return this.keys;
    let keys = this.others?.get(namespace);
    if (keys === undefined && create) (this.others ??= new Map()).set(namespace, (keys = new Set()));
    return keys;
  }
}

/**
 * The timers due at one time, as runs in registration order, and a cursor that firing
 * moves along them.
 *
 * Which timers are still registered is known without a set while nothing asks: a window's
 * first element registers its timer knowing it is new (`add` with `known`), and until a
 * timer of the bucket is deleted, looked up or registered without that knowledge, every
 * entry after the cursor is registered, once. The first such call builds `live` from the
 * entries after the cursor, and from then on an entry fires only if its key is still in
 * it: a deleted timer stays in its run and is skipped when its turn comes, and a timer
 * deleted and registered again fires at its first place, as a lazily-deleted heap entry
 * would.
 */
class Bucket {
  readonly runs: Run[] = [];
  /** Where firing stands: the run, and the next entry of it to look at. */
  runCursor = 0;
  entryCursor = 0;
  liveCount = 0;
  /** The registered keys per namespace, or null while every entry after the cursor is registered, once. */
  live: LiveKeys | null = null;

  constructor(readonly timestamp: number) {}

  /**
   * Registers (namespace, key); false if it was registered already. With `known`, the
   * caller knows it is not: while the bucket keeps no set, none is built for it (a bucket
   * that keeps one checks anyway).
   */
  add(key: JsonValue, keyId: KeyId, namespace: string, known: boolean): boolean {
    const live = known ? this.live : this.#liveKeys();
    if (live !== null) {
      const keys = live.of(namespace, true)!;
      if (keys.has(keyId)) return false;
      keys.add(keyId);
    }
    const runs = this.runs;
    let run = runs[runs.length - 1];
    if (run === undefined || run.namespace !== namespace) runs.push((run = new Run(namespace)));
    run.keys.push(key);
    run.keyIds.push(keyId);
    this.liveCount++;
    return true;
  }

  has(keyId: KeyId, namespace: string): boolean {
    return this.#liveKeys().of(namespace, false)?.has(keyId) ?? false;
  }

  /** Unregisters (namespace, key); false if it was not registered. */
  take(namespace: string, keyId: KeyId): boolean {
    if (this.#liveKeys().of(namespace, false)?.delete(keyId) !== true) return false;
    this.liveCount--;
    return true;
  }

  /** The registered keys, built from the entries after the cursor the first time they are needed. */
  #liveKeys(): LiveKeys {
    if (this.live !== null) return this.live;
    const live = new LiveKeys(this.runs[0]?.namespace ?? '');
    this.#forEachAfterCursor((run, i) => {
      live.of(run.namespace, true)!.add(run.keyIds[i]!);
    });
    return (this.live = live);
  }

  #forEachAfterCursor(visit: (run: Run, index: number) => void): void {
    for (let r = this.runCursor; r < this.runs.length; r++) {
      const run = this.runs[r]!;
      for (let i = r === this.runCursor ? this.entryCursor : 0; i < run.keyIds.length; i++) visit(run, i);
    }
  }

  /**
   * Moves the cursor past the next registered entry, unregisters it and returns its run
   * (the entry is at `entryCursor - 1`). Only called while `liveCount > 0`: every
   * registered timer has an entry after the cursor.
   */
  takeNext(): Run {
    const runs = this.runs;
    let run = runs[this.runCursor]!;
    let keys: Set<KeyId> | undefined = undefined;
    for (;;) {
      if (this.entryCursor === run.keyIds.length) {
        run = runs[++this.runCursor]!;
        this.entryCursor = 0;
        keys = undefined;
        continue;
      }
      const i = this.entryCursor++;
      if (this.live !== null) {
        keys ??= this.live.of(run.namespace, false);
        if (keys?.delete(run.keyIds[i]!) !== true) continue;
      }
      this.liveCount--;
      return run;
    }
  }

  /** The registered timers in firing order, each once (a timer deleted and registered again is listed at its first place). */
  list(out: Timer[]): void {
    const live = this.live;
    const listed = live === null ? null : new LiveKeys(live.namespace);
    this.#forEachAfterCursor((run, i) => {
      const keyId = run.keyIds[i]!;
      if (live !== null) {
        if (live.of(run.namespace, false)?.has(keyId) !== true) return;
        const seen = listed!.of(run.namespace, true)!;
        if (seen.has(keyId)) return;
        seen.add(keyId);
      }
      out.push({ timestamp: this.timestamp, key: run.keys[i]!, keyId, namespace: run.namespace });
    });
  }
}

/**
 * Timers of one domain: a bucket per distinct time and a binary heap of those times. Most
 * registrations find their bucket (the last one used, or one Map get) and touch no heap;
 * firing walks a bucket in order.
 */
class TimerQueue {
  readonly #buckets = new Map<number, Bucket>();
  /** The times of `#buckets`, as a binary min-heap. */
  readonly #times: number[] = [];
  #size = 0;
  /** The bucket last registered into (a window's timers come in long runs at one time), or null. */
  #last: Bucket | null = null;
  /** How many times were added to the heap: firing looks for the earliest bucket again when it changes. */
  #timesAdded = 0;

  register(timestamp: number, key: JsonValue, keyId: KeyId, namespace: string, known: boolean): boolean {
    if (!this.#bucket(timestamp, true)!.add(key, keyId, namespace, known)) return false;
    this.#size++;
    return true;
  }

  #bucket(timestamp: number, create: boolean): Bucket | undefined {
    const last = this.#last;
    if (last !== null && last.timestamp === timestamp) return last;
    let bucket = this.#buckets.get(timestamp);
    if (bucket === undefined) {
      if (!create) return undefined;
      this.#buckets.set(timestamp, (bucket = new Bucket(timestamp)));
      heapPush(this.#times, timestamp);
      this.#timesAdded++;
    }
    return (this.#last = bucket);
  }

  delete(timestamp: number, keyId: KeyId, namespace: string): void {
    if (this.#bucket(timestamp, false)?.take(namespace, keyId) === true) this.#size--;
  }

  has(timestamp: number, keyId: KeyId, namespace: string): boolean {
    return this.#bucket(timestamp, false)?.has(keyId, namespace) ?? false;
  }

  /** The earliest bucket that still holds a live timer, or null (empty ones are dropped on the way). */
  #first(): Bucket | null {
    const times = this.#times;
    while (times.length > 0) {
      const bucket = this.#buckets.get(times[0]!)!;
      if (bucket.liveCount > 0) return bucket;
      this.#buckets.delete(bucket.timestamp);
      if (this.#last === bucket) this.#last = null;
      heapPop(times);
    }
    return null;
  }

  /** The earliest live timer's time, or null. */
  peekTime(): number | null {
    return this.#first()?.timestamp ?? null;
  }

  /**
   * Fires, in order, every timer due at `time`, including those registered by `fire` on
   * the way: a bucket is walked until it is empty or an earlier one may have appeared.
   */
  fireDue(time: number, fire: TimerCallback): void {
    for (let bucket = this.#first(); bucket !== null && bucket.timestamp <= time; bucket = this.#first()) {
      const added = this.#timesAdded;
      while (bucket.liveCount > 0 && this.#timesAdded === added) {
        const run = bucket.takeNext();
        this.#size--;
        const i = bucket.entryCursor - 1;
        fire(bucket.timestamp, run.keys[i]!, run.keyIds[i]!, run.namespace);
      }
    }
  }

  get size(): number {
    return this.#size;
  }

  /** Live timers in firing order (for snapshots and inspection). */
  list(): Timer[] {
    const out: Timer[] = [];
    for (const time of [...this.#times].sort((a, b) => a - b)) this.#buckets.get(time)!.list(out);
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
    this.#registerEventTime(timer.timestamp, timer.key, timer.keyId, timer.namespace, timer, false);
  }

  /** registerEventTimeTimer with the timer's fields: nothing is built for a timer that is not traced. */
  registerEventTimeTimerAt(timestamp: number, key: JsonValue, keyId: KeyId, namespace: string): void {
    this.#registerEventTime(timestamp, key, keyId, namespace, null, false);
  }

  /**
   * registerEventTimeTimerAt for a caller that knows the timer is not registered: a window
   * operator with the event-time trigger registers a (key, window)'s timer with its first
   * element, and the window's state is what says it is the first. The timer is appended to
   * its window's keys with no check against the others, so the promise is the caller's: a
   * timer registered twice this way would be listed and fired twice.
   * @example if (contents === undefined) timers.registerNewEventTimeTimerAt(window.end - 1, key, keyId, namespace);
   */
  registerNewEventTimeTimerAt(timestamp: number, key: JsonValue, keyId: KeyId, namespace: string): void {
    this.#registerEventTime(timestamp, key, keyId, namespace, null, true);
  }

  #registerEventTime(timestamp: number, key: JsonValue, keyId: KeyId, namespace: string, timer: Timer | null, known: boolean): void {
    if (this.#firingUpTo !== null && timestamp <= this.#firingUpTo && ++this.#registeredWhileFiring > MAX_TIMERS_REGISTERED_WHILE_FIRING) {
      throw new TimerLoopError(this.#firingUpTo);
    }
    if (this.#eventTime.register(timestamp, key, keyId, namespace, known) && this.#observer !== null) {
      this.#observer.registered(timer ?? { timestamp, key, keyId, namespace }, 'event-time');
    }
  }

  /** Whether the timer (time, key, namespace) is registered. */
  hasEventTimeTimer(timestamp: number, keyId: KeyId, namespace: string): boolean {
    return this.#eventTime.has(timestamp, keyId, namespace);
  }

  deleteEventTimeTimer(timer: Timer): void {
    this.#eventTime.delete(timer.timestamp, timer.keyId, timer.namespace);
  }

  /** Returns true when this timer is now the earliest processing-time timer. */
  registerProcessingTimeTimer(timer: Timer): boolean {
    return this.#registerProcessingTime(timer.timestamp, timer.key, timer.keyId, timer.namespace, timer);
  }

  /** registerProcessingTimeTimer with the timer's fields. */
  registerProcessingTimeTimerAt(timestamp: number, key: JsonValue, keyId: KeyId, namespace: string): boolean {
    return this.#registerProcessingTime(timestamp, key, keyId, namespace, null);
  }

  #registerProcessingTime(timestamp: number, key: JsonValue, keyId: KeyId, namespace: string, timer: Timer | null): boolean {
    const before = this.#processingTime.peekTime();
    if (this.#processingTime.register(timestamp, key, keyId, namespace, false) && this.#observer !== null) {
      this.#observer.registered(timer ?? { timestamp, key, keyId, namespace }, 'processing-time');
    }
    return before === null || timestamp < before;
  }

  deleteProcessingTimeTimer(timer: Timer): void {
    this.#processingTime.delete(timer.timestamp, timer.keyId, timer.namespace);
  }

  /**
   * Fires every event-time timer at or before `watermark`, including ones registered while
   * firing (as Flink does). A timer function that keeps registering timers at or before the
   * watermark would loop for ever: past a limit that is a TimerLoopError.
   */
  advanceWatermark(watermark: number, fire: (timer: Timer) => void): void {
    this.advanceWatermarkWith(watermark, (timestamp, key, keyId, namespace) => fire({ timestamp, key, keyId, namespace }));
  }

  /** advanceWatermark, handing each timer's fields to `fire`. */
  advanceWatermarkWith(watermark: number, fire: TimerCallback): void {
    this.#watermark = watermark;
    this.#firingUpTo = watermark;
    this.#registeredWhileFiring = 0;
    try {
      fireDue(this.#eventTime, watermark, this.#observer, 'event-time', fire);
    } finally {
      this.#firingUpTo = null;
    }
  }

  /** While firing up to this watermark, the bound that makes a new timer fire at once. */
  #firingUpTo: number | null = null;
  #registeredWhileFiring = 0;

  /** Fires every processing-time timer at or before `nowMs`. */
  onProcessingTime(nowMs: number, fire: (timer: Timer) => void): void {
    this.onProcessingTimeWith(nowMs, (timestamp, key, keyId, namespace) => fire({ timestamp, key, keyId, namespace }));
  }

  /** onProcessingTime, handing each timer's fields to `fire`. */
  onProcessingTimeWith(nowMs: number, fire: TimerCallback): void {
    fireDue(this.#processingTime, nowMs, this.#observer, 'processing-time', fire);
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
      const queue = t.domain === 'event' ? this.#eventTime : this.#processingTime;
      queue.register(t.timestamp, cloneJson(t.key), t.keyId, t.namespace, false);
    }
  }
}

/** Fires the timers of `queue` due at `time`, telling the observer of each first. */
function fireDue(queue: TimerQueue, time: number, observer: TimerObserver | null, domain: 'event-time' | 'processing-time', fire: TimerCallback): void {
  if (observer === null) return queue.fireDue(time, fire);
  queue.fireDue(time, (timestamp, key, keyId, namespace) => {
    observer.fired({ timestamp, key, keyId, namespace }, domain);
    fire(timestamp, key, keyId, namespace);
  });
}
