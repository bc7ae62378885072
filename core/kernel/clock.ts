/**
 * The virtual clock. Every notion of "now" in a simulation comes from here: processing
 * time, timers, network latency, restart delays. Time is integer milliseconds and only
 * ever moves forward, which is what lets two runs with the same seed agree event for event.
 */
import { assert } from './assert.ts';

/** A clock in integer virtual milliseconds that never goes backwards. */
export class VirtualClock {
  #nowMs: number;

  constructor(startMs = 0) {
    assert(Number.isSafeInteger(startMs), `clock start must be an integer, got ${startMs}`);
    this.#nowMs = startMs;
  }

  /** The current virtual time, in milliseconds. */
  get nowMs(): number {
    return this.#nowMs;
  }

  /** Moves the clock to `ms`; moving it backwards is a bug and fails loudly. */
  advanceTo(ms: number): void {
    assert(Number.isSafeInteger(ms), () => `virtual time must be an integer, got ${ms}`);
    assert(ms >= this.#nowMs, () => `the clock cannot go back from ${this.#nowMs} to ${ms}`);
    this.#nowMs = ms;
  }

  /** Restores a snapshot value; the only way to set the clock back, used by rewind. */
  reset(ms: number): void {
    assert(Number.isSafeInteger(ms), () => `virtual time must be an integer, got ${ms}`);
    this.#nowMs = ms;
  }
}
