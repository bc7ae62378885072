/**
 * Flink's StatusWatermarkValve: a task with several input channels has one event-time
 * clock, the minimum of its inputs' watermarks, and it forwards a watermark only when
 * that minimum moves forward.
 *
 * An input's watermarks count only while it is active. An input that goes idle is left
 * out of the minimum, so a quiet partition cannot hold event time back for everyone; when
 * the last active input goes idle, the task moves to the highest watermark of all its
 * inputs and declares itself idle downstream. An input that comes back from idleness
 * behind the task's watermark is left out of the minimum until it catches up ("aligned"
 * again), so that it cannot pull the clock back. An input that has ended (end of data)
 * no longer counts at all.
 */
import { MIN_WATERMARK } from '../model/index.ts';

export interface ValveOutput {
  /** The task's watermark moved forward to `watermark`. */
  advance(watermark: number): void;
  /** Every open input is idle (true) or one is active again (false). */
  idle(idle: boolean): void;
}

export class StatusWatermarkValve {
  readonly #watermarks: number[];
  readonly #ended: boolean[];
  readonly #idle: boolean[];
  /** Whether an input's watermark counts for the minimum (see above). */
  readonly #aligned: boolean[];
  #open: number;
  #watermark = MIN_WATERMARK;

  constructor(
    inputs: number,
    private readonly output: ValveOutput,
  ) {
    this.#watermarks = new Array<number>(inputs).fill(MIN_WATERMARK);
    this.#ended = new Array<boolean>(inputs).fill(false);
    this.#idle = new Array<boolean>(inputs).fill(false);
    this.#aligned = new Array<boolean>(inputs).fill(true);
    this.#open = inputs;
  }

  /** The watermark the valve last let through. */
  get watermark(): number {
    return this.#watermark;
  }

  /** Inputs that have not ended. */
  get openInputs(): number {
    return this.#open;
  }

  inputWatermark(input: number, watermark: number): void {
    if (this.#idle[input] || this.#ended[input] || watermark <= this.#watermarks[input]!) return;
    this.#watermarks[input] = watermark;
    if (!this.#aligned[input] && watermark >= this.#watermark) this.#aligned[input] = true;
    this.#emitMinOfAligned();
  }

  inputStatus(input: number, idle: boolean): void {
    if (this.#ended[input] || idle === this.#idle[input]) return;
    this.#idle[input] = idle;
    if (idle) {
      this.#aligned[input] = false;
      if (this.#allOpenInputsIdle()) {
        this.#emitMaxOfAll();
        this.output.idle(true);
      } else this.#emitMinOfAligned();
      return;
    }
    if (this.#watermarks[input]! >= this.#watermark) this.#aligned[input] = true;
    this.output.idle(false);
  }

  /** The input has ended; returns true when it was the last open one. */
  inputEnded(input: number): boolean {
    if (this.#ended[input]) return false;
    this.#ended[input] = true;
    this.#open--;
    if (this.#open === 0) return true;
    if (this.#allOpenInputsIdle()) {
      this.#emitMaxOfAll();
      this.output.idle(true);
    } else this.#emitMinOfAligned();
    return false;
  }

  #allOpenInputsIdle(): boolean {
    for (let i = 0; i < this.#idle.length; i++) if (!this.#ended[i] && !this.#idle[i]) return false;
    return true;
  }

  /** The minimum over inputs that are open, active and aligned, if it moves forward. */
  #emitMinOfAligned(): void {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#watermarks.length; i++) {
      if (this.#ended[i] || this.#idle[i] || !this.#aligned[i]) continue;
      if (this.#watermarks[i]! < min) min = this.#watermarks[i]!;
    }
    if (min !== Number.POSITIVE_INFINITY && min > this.#watermark) this.#advance(min);
  }

  /** The maximum over all open inputs, if it moves forward (everything went idle). */
  #emitMaxOfAll(): void {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.#watermarks.length; i++) if (!this.#ended[i] && this.#watermarks[i]! > max) max = this.#watermarks[i]!;
    if (max > this.#watermark) this.#advance(max);
  }

  #advance(watermark: number): void {
    this.#watermark = watermark;
    this.output.advance(watermark);
  }
}
