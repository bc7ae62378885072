/**
 * The event-time clock of a two-input operator, as Flink's AbstractStreamOperator keeps it
 * (its IndexedCombinedWatermarkStatus): each input has its own watermark, the minimum over
 * that input's channels, and the operator's watermark is the minimum of the two. An idle
 * input is left out, so a quiet side cannot hold event time back for the other; when both
 * are idle the combined watermark stays where it is. It only moves forward.
 */
import { MIN_WATERMARK } from '../../model/index.ts';

/** Input 0 is Flink's input 1, input 1 its input 2. */
export type InputIndex = 0 | 1;

export class CombinedWatermark {
  readonly #watermarks = [MIN_WATERMARK, MIN_WATERMARK];
  readonly #idle = [false, false];
  #combined = MIN_WATERMARK;

  /** The combined watermark: MIN_WATERMARK until both active inputs have one. */
  get watermark(): number {
    return this.#combined;
  }

  /** Whether both inputs are idle. */
  get idle(): boolean {
    return this.#idle[0]! && this.#idle[1]!;
  }

  /** Input `input`'s watermark moved to `watermark`; true when the combined one advanced. */
  updateWatermark(input: InputIndex, watermark: number): boolean {
    if (watermark <= this.#watermarks[input]!) return false;
    this.#watermarks[input] = watermark;
    return this.#recompute();
  }

  /** Input `input` went idle or active; true when the combined watermark advanced. */
  updateStatus(input: InputIndex, idle: boolean): boolean {
    if (this.#idle[input] === idle) return false;
    this.#idle[input] = idle;
    return this.#recompute();
  }

  #recompute(): boolean {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 2; i++) if (!this.#idle[i] && this.#watermarks[i]! < min) min = this.#watermarks[i]!;
    // Both idle: nothing to combine, the watermark stays (Flink does not advance it either).
    if (min === Number.POSITIVE_INFINITY || min <= this.#combined) return false;
    this.#combined = min;
    return true;
  }
}
