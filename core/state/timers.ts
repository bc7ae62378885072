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
import { assert } from '../kernel/index.ts';
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
 * Called for a stretch of timers that fire one after the other at `timestamp`, all in
 * `namespace`: the keys `keys[from..to)` (and their ids), in firing order. A window's keys
 * at its end come as one stretch, so the caller can do a window's work once and a key's
 * work per key. The arrays are the queue's own: read them during the call only.
 *
 * The stretch is taken from the queue before the call. A callback that can throw halfway
 * sets `stretch.next` to i + 1 as it starts on key i: if it throws, the timers from
 * `stretch.next` on are registered again, as firing timer by timer leaves them (the
 * failing one is gone, as a timer is taken before it fires). Left alone, it says all fired.
 * @example service.advanceWatermarkByRuns(999, (t, ns, keys, _ids, from, to, stretch) => { for (let i = from; i < to; i++) { stretch.next = i + 1; fire(keys[i], ns); } });
 */
export type TimerRunCallback = (timestamp: number, namespace: string, keys: readonly JsonValue[], keyIds: readonly KeyId[], from: number, to: number, stretch: TimerStretch) => void;

/** How far a stretch of timers has got (see TimerRunCallback). */
export interface TimerStretch {
  next: number;
}

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

  /**
   * Moves the cursor to the end of the current run and unregisters what it passes, when
   * every entry after the cursor is registered (no set kept); returns the run, with the
   * stretch at [`runFrom`, `entryCursor`). Null when a set is kept: then entries go one at
   * a time (takeNext), as some may have been deleted.
   */
  takeRunRest(): Run | null {
    if (this.live !== null) return null;
    let run = this.runs[this.runCursor]!;
    if (this.entryCursor === run.keyIds.length) {
      run = this.runs[++this.runCursor]!;
      this.entryCursor = 0;
    }
    this.runFrom = this.entryCursor;
    const n = run.keyIds.length - this.entryCursor;
    this.entryCursor = run.keyIds.length;
    this.liveCount -= n;
    return run;
  }

  /** Where the stretch takeRunRest last returned starts. */
  runFrom = 0;

  /**
   * Gives back the entries of the current run from `index` on, up to `end` (where
   * takeRunRest put the cursor): a stretch that stopped halfway, with no set kept.
   */
  untakeFrom(index: number, end: number): void {
    this.liveCount += end - index;
    this.entryCursor = index;
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
  /** Handed to each stretch's callback (one at a time: firing never nests in one queue). */
  readonly #stretch: TimerStretch = { next: 0 };

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

  /**
   * fireDue, a stretch of a run at a time (see TimerRunCallback). The stretch is counted
   * out before `fire` runs, so `fire` must not delete or look up a timer at the stretch's
   * time, register one there other than as new (a checked registration looks), nor register
   * one earlier: each would change what fires or in which order, and each is caught by an
   * assertion. A timer registered as new at the stretch's time, or any registration later,
   * is fine: it goes after the stretch, where fireDue would also fire it.
   */
  fireDueRuns(time: number, fire: TimerRunCallback): void {
    for (let bucket = this.#first(); bucket !== null && bucket.timestamp <= time; bucket = this.#first()) {
      const added = this.#timesAdded;
      while (bucket.liveCount > 0 && this.#timesAdded === added) {
        const run = bucket.takeRunRest();
        const stretch = this.#stretch;
        if (run === null) {
          const one = bucket.takeNext();
          this.#size--;
          const i = bucket.entryCursor - 1;
          fire(bucket.timestamp, one.namespace, one.keys, one.keyIds, i, i + 1, stretch);
          continue;
        }
        const from = bucket.runFrom;
        const to = bucket.entryCursor;
        this.#size -= to - from;
        stretch.next = to;
        try {
          fire(bucket.timestamp, run.namespace, run.keys, run.keyIds, from, to, stretch);
        } catch (e) {
          if (stretch.next < to && bucket.live === null) {
            bucket.untakeFrom(stretch.next, to);
            this.#size += to - stretch.next;
          }
          throw e;
        }
        assert(bucket.live === null, () => `timers at ${bucket.timestamp} were deleted, looked up or registered with a check while a stretch of them fired`);
        assert(this.#times[0]! >= bucket.timestamp, () => `a timer earlier than ${bucket.timestamp} was registered while timers at ${bucket.timestamp} fired a stretch at a time`);
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

  /**
   * advanceWatermark, handing the timers to `fire` a stretch at a time: a window's keys at
   * its end come in one call. `fire` must not delete or look up event-time timers, nor
   * register one before the stretch's time or, other than as new, at it (TimerQueue.fireDueRuns checks). With an
   * observer, the timers come one per call, so that it is told of each just before it fires.
   */
  advanceWatermarkByRuns(watermark: number, fire: TimerRunCallback): void {
    const observer = this.#observer;
    if (observer !== null) {
      const stretch: TimerStretch = { next: 1 };
      this.advanceWatermarkWith(watermark, (timestamp, key, keyId, namespace) => fire(timestamp, namespace, [key], [keyId], 0, 1, stretch));
      return;
    }
    this.#watermark = watermark;
    this.#firingUpTo = watermark;
    this.#registeredWhileFiring = 0;
    try {
      this.#eventTime.fireDueRuns(watermark, fire);
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
