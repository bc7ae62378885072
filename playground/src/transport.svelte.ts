/**
 * The transport of a finished run: a cursor over its trace that play, pause, step (one event
 * forward or back), the jumps (to the next or previous barrier, window firing, failure,
 * completed checkpoint or sink write: lib/jumps.ts) and the time slider move, and the
 * moment the views show there. The cursor is a count of trace events (several can share one
 * virtual ms, so `step` moves by one event) and a virtual time. Play advances virtual time at `speed` virtual ms per wall-clock second, one
 * animation frame at a time; the fold of the moment moves forward incrementally and starts
 * again from the first event only when the cursor goes back.
 *
 * Wall-clock time and animation frames come in through `TransportEnv`, so Node tests drive
 * it with a fake clock; nothing here reaches the engine.
 */
import type { TraceEvent } from '../../core/index.ts';
import { nextPosition, positionsOf, previousPosition, type JumpKind } from './lib/jumps.ts';
import { eventsUpTo, MomentFold, type Moment } from './lib/moment.ts';

export interface TransportEnv {
  /** Calls `callback` with the wall-clock time of the next frame; absent, play does nothing. */
  requestFrame?: (callback: (nowMs: number) => void) => unknown;
}

/** Virtual ms per wall-clock second that play offers. */
export const SPEEDS = [20, 50, 100, 500, 1000, 2000, 5000, 20000] as const;

/** How long play should take over a whole run, at the speed a run starts with, in wall-clock seconds. */
export const PLAY_SECONDS = 20;

/**
 * The speed a run of `endMs` starts at until the person picks one: the fastest of SPEEDS that
 * still takes PLAY_SECONDS or more over the run (a 701 ms lesson at 20 ms/s, in 35 s), the
 * slowest for a run too short for any.
 * @example defaultSpeed(10_000) // 500
 */
export function defaultSpeed(endMs: number): number {
  const slowEnough = SPEEDS.filter((s) => endMs / s >= PLAY_SECONDS);
  return slowEnough.length > 0 ? slowEnough[slowEnough.length - 1]! : SPEEDS[0];
}

export class Transport {
  readonly #env: TransportEnv;
  #events: readonly TraceEvent[] = [];
  #fold = new MomentFold();
  #generation = 0;
  /** Per jump kind, the indexes of its events in this run (made on the first jump; a cache, not reactive state). */
  #positions: Partial<Record<JumpKind, number[]>> = {};

  /** The run's end: the slider's maximum. */
  endMs = $state(0);
  /** Virtual time of the view. */
  timeMs = $state(0);
  playing = $state(false);
  speed = $state<number>(1000);
  /** True once the person chose a speed: a new run keeps it instead of its own default. */
  #speedChosen = false;
  moment = $state.raw<Moment | null>(null);
  /** Words the narration adds at one time of this run (where its output first differs from the run without faults). */
  note = $state.raw<{ readonly timeMs: number; readonly text: string } | null>(null);
  /** What the jump buttons and Shift+arrows move to. */
  jumpKind = $state<JumpKind>('window');
  /** The last jump found nothing that way (the narration says so); cleared by the next move. */
  jumpMiss = $state.raw<{ kind: JumpKind; direction: 'next' | 'previous' } | null>(null);

  constructor(env: TransportEnv) {
    this.#env = env;
  }

  /** A new run: the cursor stands at `atMs` (its end when null or beyond it). */
  load(events: readonly TraceEvent[], endMs: number, atMs: number | null): void {
    this.pause();
    this.#events = events;
    this.#fold = new MomentFold();
    this.#positions = {};
    this.note = null;
    this.endMs = endMs;
    if (!this.#speedChosen) this.speed = defaultSpeed(endMs);
    this.seek(atMs === null ? endMs : Math.min(Math.max(0, atMs), endMs));
  }

  get loaded(): boolean {
    return this.moment !== null;
  }

  /** Moves the view to virtual time `timeMs`: every event at or before it has happened. */
  seek(timeMs: number): void {
    const t = Math.min(Math.max(0, Math.round(timeMs)), this.endMs);
    this.#moveTo(eventsUpTo(this.#events, t), t);
  }

  /** One trace event further (to its time); at the end it stays. */
  step(): void {
    this.pause();
    const count = this.#fold.count;
    if (count >= this.#events.length) return;
    this.#moveTo(count + 1, this.#events[count]!.timeMs);
  }

  /** One trace event back (to the time of the one before it, or 0 before the first); at the start it stays. */
  stepBack(): void {
    this.pause();
    const count = this.#fold.count;
    if (count === 0) return;
    this.#moveTo(count - 1, count >= 2 ? this.#events[count - 2]!.timeMs : 0);
  }

  /** Before the first event, at t = 0. */
  toStart(): void {
    this.pause();
    this.#moveTo(0, 0);
  }

  /** After the last event, at the run's end. */
  toEnd(): void {
    this.pause();
    this.seek(this.endMs);
  }

  setJumpKind(kind: JumpKind): void {
    this.jumpKind = kind;
    this.jumpMiss = null;
  }

  /**
   * To the next event of `kind` after the cursor (the cursor then stands on it, at its
   * time). False when there is none: the cursor stays.
   */
  jumpNext(kind: JumpKind = this.jumpKind): boolean {
    return this.#jumpTo(nextPosition(this.#positionsOf(kind), this.#fold.count), kind, 'next');
  }

  /** To the previous event of `kind`, before the one the cursor stands on. False when there is none. */
  jumpPrevious(kind: JumpKind = this.jumpKind): boolean {
    return this.#jumpTo(previousPosition(this.#positionsOf(kind), this.#fold.count), kind, 'previous');
  }

  /** Whether a jump to the next / previous event of `kind` would move (reads the cursor, so views stay in step). */
  canJump(direction: 'next' | 'previous', kind: JumpKind = this.jumpKind): boolean {
    if (this.moment === null) return false;
    const positions = this.#positionsOf(kind);
    const count = this.moment.events;
    return (direction === 'next' ? nextPosition(positions, count) : previousPosition(positions, count)) !== null;
  }

  togglePlay(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** The next slower / faster of SPEEDS (from a speed between two, the nearer one that way). */
  slower(): void {
    const lower = SPEEDS.filter((s) => s < this.speed);
    this.#speedChosen = true;
    if (lower.length > 0) this.speed = lower[lower.length - 1]!;
  }

  faster(): void {
    const higher = SPEEDS.find((s) => s > this.speed);
    this.#speedChosen = true;
    if (higher !== undefined) this.speed = higher;
  }

  play(): void {
    const requestFrame = this.#env.requestFrame;
    if (this.playing || requestFrame === undefined || this.moment === null) return;
    if (this.timeMs >= this.endMs) this.seek(0);
    this.playing = true;
    const generation = ++this.#generation;
    let previous: number | null = null;
    const frame = (nowMs: number): void => {
      if (!this.playing || generation !== this.#generation) return;
      if (previous !== null) {
        // At least one virtual ms a frame, so that a slow speed never stalls on rounding.
        const next = this.timeMs + Math.max(1, ((nowMs - previous) * this.speed) / 1000);
        this.seek(Math.min(next, this.endMs));
        if (this.timeMs >= this.endMs) {
          this.playing = false;
          return;
        }
      }
      previous = nowMs;
      requestFrame(frame);
    };
    requestFrame(frame);
  }

  pause(): void {
    this.playing = false;
    this.#generation++;
  }

  /** The note at `timeMs`, if the run has one there. */
  noteAt(timeMs: number): string | null {
    return this.note !== null && this.note.timeMs === timeMs ? this.note.text : null;
  }

  setSpeed(speed: number): void {
    if (!Number.isFinite(speed) || speed <= 0) return;
    this.speed = speed;
    this.#speedChosen = true;
  }

  #positionsOf(kind: JumpKind): number[] {
    return (this.#positions[kind] ??= positionsOf(this.#events, kind));
  }

  #jumpTo(index: number | null, kind: JumpKind, direction: 'next' | 'previous'): boolean {
    if (this.moment === null) return false;
    this.pause();
    if (index === null) {
      this.jumpMiss = { kind, direction };
      return false;
    }
    this.#moveTo(index + 1, this.#events[index]!.timeMs);
    return true;
  }

  #moveTo(count: number, timeMs: number): void {
    if (count < this.#fold.count) this.#fold = new MomentFold();
    while (this.#fold.count < count) this.#fold.apply(this.#events[this.#fold.count]!);
    this.timeMs = timeMs;
    this.moment = this.#fold.moment(timeMs);
    this.jumpMiss = null;
  }
}
