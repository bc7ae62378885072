/**
 * An rxjs `SchedulerLike` on the kernel's virtual time. A source written with rxjs
 * operators (`interval(10, scheduler)`, `delay(5, scheduler)`, `bufferTime(100, null,
 * Infinity, scheduler)`) then runs inside the simulation: its work is an event on the
 * kernel's agenda, ordered with everything else, so it is as deterministic as the rest.
 *
 * It must always be passed explicitly: rxjs's own default schedulers read the wall clock.
 * Pending actions are live subscriptions, not data; the agenda holds only their ids, and an
 * id whose action is gone (unsubscribed, or from before a restore) is skipped.
 */
import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { assert } from './assert.ts';
import type { Kernel, KernelEvent } from './kernel.ts';

/** Rx work runs after engine events at the same instant (lower numbers run first). */
export const RX_PRIORITY = 50;

interface RxActionEvent extends KernelEvent {
  readonly type: 'rx.action';
  readonly action: number;
  readonly token: number;
}

class VirtualAction<T> extends Subscription implements SchedulerAction<T> {
  state: T | undefined = undefined;
  token = 0;
  constructor(
    private readonly scheduler: KernelScheduler,
    readonly id: number,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super(() => scheduler.forget(id));
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.state = state;
    this.token = this.scheduler.enqueue(this.id, delay);
    return this;
  }

  execute(token: number): void {
    if (this.closed || token !== this.token) return;
    this.token = 0;
    this.work.call(this, this.state);
    if (this.token === 0 && !this.closed) this.unsubscribe();
  }
}

/**
 * @example
 * const scheduler = new KernelScheduler(kernel);
 * interval(10, scheduler).pipe(take(3)).subscribe(i => seen.push([kernel.clock.nowMs, i]));
 * kernel.run(); // seen: [[10, 0], [20, 1], [30, 2]]
 */
export class KernelScheduler implements SchedulerLike {
  readonly #kernel: Kernel;
  readonly #actions = new Map<number, VirtualAction<unknown>>();
  #nextId = 1;
  #nextToken = 1;

  constructor(kernel: Kernel) {
    this.#kernel = kernel;
    kernel.on('rx.action', (event) => {
      const e = event as RxActionEvent;
      this.#actions.get(e.action)?.execute(e.token);
    });
  }

  /** Virtual time, as rxjs's `TimestampProvider` wants it. */
  now(): number {
    return this.#kernel.clock.nowMs;
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const action = new VirtualAction<T>(this, this.#nextId++, work);
    this.#actions.set(action.id, action as VirtualAction<unknown>);
    return action.schedule(state, delay);
  }

  /** Pending rx actions (for inspection and tests). */
  get pendingActions(): number {
    return this.#actions.size;
  }

  /** @internal */
  enqueue(id: number, delay: number): number {
    assert(Number.isSafeInteger(delay) && delay >= 0, `rx delays are whole non-negative virtual ms, got ${delay}`);
    const token = this.#nextToken++;
    const event: RxActionEvent = { type: 'rx.action', action: id, token };
    this.#kernel.scheduleAfter(delay, RX_PRIORITY, event);
    return token;
  }

  /** @internal */
  forget(id: number): void {
    this.#actions.delete(id);
  }
}
