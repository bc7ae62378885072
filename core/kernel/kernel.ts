/**
 * The simulation kernel: one virtual clock, one agenda of events, one family of seeded
 * random streams, and a step counter. Everything that happens in a Weir run is an event
 * taken from the agenda in (time, priority, sequence) order and handed to the handler
 * registered for its type. The kernel knows nothing about streams, tasks or checkpoints;
 * it only guarantees that the same seed and the same events give the same run.
 *
 * Events are plain data (`{ type, ... }`), never closures, so a snapshot of the agenda is a
 * value: the ground for rewinding a run in the playground.
 */
import { assert, setAssertionContext, type AssertionContext } from './assert.ts';
import { VirtualClock } from './clock.ts';
import { EventQueue, QueueFullError, type EventQueueSnapshot } from './event-queue.ts';
import { LimitExceededError, resolveLimits, type Limits } from './limits.ts';
import { RandomStreams, type RandomStreamsSnapshot } from './random.ts';

/** An event on the agenda: plain immutable data, dispatched on `type`. */
export interface KernelEvent {
  readonly type: string;
}

export type KernelHandler = (event: KernelEvent) => void;

export interface KernelOptions {
  seed: number;
  limits?: Partial<Limits>;
  startMs?: number;
}

/** Everything the kernel holds, as a value. */
export interface KernelSnapshot {
  readonly timeMs: number;
  readonly steps: number;
  readonly queue: EventQueueSnapshot<KernelEvent>;
  readonly random: RandomStreamsSnapshot;
}

/**
 * @example
 * const kernel = new Kernel({ seed: 1 });
 * kernel.on('tick', () => { if (kernel.clock.nowMs < 30) kernel.scheduleAfter(10, 0, { type: 'tick' }); });
 * kernel.schedule(0, 0, { type: 'tick' });
 * kernel.run(); // kernel.clock.nowMs === 30, kernel.steps === 4
 */
export class Kernel {
  readonly seed: number;
  readonly clock: VirtualClock;
  readonly random: RandomStreams;
  readonly limits: Readonly<Limits>;
  readonly #queue: EventQueue<KernelEvent>;
  readonly #handlers = new Map<string, KernelHandler>();
  #steps = 0;
  /** Where the run is, for assertion messages; mutated per step, never reallocated. */
  readonly #where: AssertionContext;

  constructor(options: KernelOptions) {
    this.seed = options.seed;
    this.limits = resolveLimits(options.limits);
    this.clock = new VirtualClock(options.startMs ?? 0);
    this.random = new RandomStreams(options.seed);
    this.#queue = new EventQueue(this.limits.maxQueueSize);
    this.#where = { seed: options.seed, step: 0, timeMs: this.clock.nowMs };
  }

  /** Kernel events processed so far. */
  get steps(): number {
    return this.#steps;
  }

  /** Events waiting on the agenda. */
  get pending(): number {
    return this.#queue.size;
  }

  /** The time of the next event, or null when the agenda is empty. */
  get nextTimeMs(): number | null {
    return this.#queue.peek()?.timeMs ?? null;
  }

  /** Registers the one handler for events of `type`. */
  on(type: string, handler: KernelHandler): void {
    assert(!this.#handlers.has(type), `a handler for '${type}' is already registered`);
    this.#handlers.set(type, handler);
  }

  /** Schedules `event` at absolute virtual time `atMs` (not in the past). */
  schedule(atMs: number, priority: number, event: KernelEvent): void {
    assert(Number.isSafeInteger(atMs), () => `event time must be an integer, got ${atMs} for '${event.type}'`);
    assert(atMs >= this.clock.nowMs, () => `cannot schedule '${event.type}' at ${atMs}, before now (${this.clock.nowMs})`);
    try {
      this.#queue.push(atMs, priority, event);
    } catch (e) {
      if (e instanceof QueueFullError) throw new LimitExceededError('maxQueueSize', e.capacity, this.#describeWhere());
      throw e;
    }
  }

  /** Schedules `event` `delayMs` after now. */
  scheduleAfter(delayMs: number, priority: number, event: KernelEvent): void {
    assert(delayMs >= 0, () => `a delay cannot be negative, got ${delayMs} for '${event.type}'`);
    this.schedule(this.clock.nowMs + delayMs, priority, event);
  }

  /** Runs the next event; false when the agenda is empty. */
  step(): boolean {
    const entry = this.#queue.pop();
    if (entry === undefined) return false;
    if (this.#steps >= this.limits.maxSteps) {
      throw new LimitExceededError('maxSteps', this.limits.maxSteps, this.#describeWhere());
    }
    this.clock.advanceTo(entry.timeMs);
    this.#steps++;
    const handler = this.#handlers.get(entry.event.type);
    assert(handler !== undefined, () => `no handler for kernel event '${entry.event.type}'`);
    this.#where.step = this.#steps;
    this.#where.timeMs = entry.timeMs;
    const previous = setAssertionContext(this.#where);
    try {
      handler(entry.event);
    } finally {
      setAssertionContext(previous);
    }
    return true;
  }

  /** Runs every event due at or before `timeMs`, then moves the clock to `timeMs`. */
  runUntil(timeMs: number): void {
    for (;;) {
      const next = this.#queue.peek();
      if (next === undefined || next.timeMs > timeMs) break;
      this.step();
    }
    if (timeMs > this.clock.nowMs) this.clock.advanceTo(timeMs);
  }

  /** Runs until the agenda is empty. */
  run(): void {
    while (this.step()) {
      /* each step does the work */
    }
  }

  /** The pending events in the order they will run (for inspection). */
  agenda(): readonly { timeMs: number; priority: number; event: KernelEvent }[] {
    return this.#queue.sorted();
  }

  snapshot(): KernelSnapshot {
    return {
      timeMs: this.clock.nowMs,
      steps: this.#steps,
      queue: this.#queue.snapshot(),
      random: this.random.snapshot(),
    };
  }

  /** Puts clock, agenda, random streams and step count back to a snapshot's values. */
  restore(snapshot: KernelSnapshot): void {
    this.clock.reset(snapshot.timeMs);
    this.#steps = snapshot.steps;
    this.#queue.restore(snapshot.queue);
    this.random.restore(snapshot.random);
  }

  #describeWhere(): string {
    return `at step ${this.#steps} (t=${this.clock.nowMs} ms, seed ${this.seed})`;
  }
}
