/**
 * Flink's OutputFlusher, one per (producer attempt, buffer timeout): at every `timeoutMs`
 * from the producer's deployment it flushes the producer's channels of that timeout, so
 * that their partial buffers may leave. A tick at t comes before the subtasks' steps at t
 * (PRIORITY.flush), so it sends what was written before t, and an element written at t
 * waits for the next tick. It sleeps while those channels hold nothing and wakes when an
 * element is written, for the first tick after that moment: the flushes come at the same
 * times as if it ticked all along, and a job with a short timeout and a quiet input does
 * not take a kernel step per tick (1 ms over a long run cost a step every ms, thirty times
 * the run's own work).
 */
import type { Kernel } from '../kernel/index.ts';

export class OutputFlusher {
  /** The index of the next tick that has not run (tick k comes at startMs + k x timeoutMs). */
  #nextTick = 1;
  #scheduled = false;

  constructor(
    private readonly kernel: Kernel,
    readonly timeoutMs: number,
    readonly startMs: number,
    /** Puts the flusher's next tick on the agenda at `atMs`. */
    private readonly schedule: (atMs: number) => void,
  ) {}

  /** An element was written into an empty buffer of one of its channels: make sure a tick comes. */
  wake(): void {
    if (this.#scheduled) return;
    const now = this.kernel.clock.nowMs;
    // Elements are written in steps, which come after a tick of the same instant: that one has been.
    this.#nextTick = Math.max(this.#nextTick, Math.floor((now - this.startMs) / this.timeoutMs) + 1);
    this.#scheduled = true;
    this.schedule(this.startMs + this.#nextTick * this.timeoutMs);
  }

  /** A tick ran; `pending`: its channels still hold elements (waiting for credit, say), so the next one comes too. */
  ticked(pending: boolean): void {
    this.#nextTick = Math.floor((this.kernel.clock.nowMs - this.startMs) / this.timeoutMs) + 1;
    this.#scheduled = false;
    if (pending) this.wake();
  }
}
