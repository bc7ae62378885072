/**
 * The input side of a task whose head operator has two logical inputs (Flink's
 * StreamTwoInputProcessor). Each input channel belongs to input 1 or input 2 (its JobEdge
 * says which); each input has its own StatusWatermarkValve over its own channels, and the
 * operator gets each input's watermark and idleness separately and combines them itself
 * (min of the two, an idle input left out), as Flink's AbstractStreamOperator does.
 *
 * The task needs the combined watermark too, for its own clock and the trace; it keeps the
 * same combination here (CombinedWatermark, the operator's own class), so the two always
 * agree. The task is idle towards its consumers when every input that has not ended is.
 *
 * Checkpoint barriers are not handled here: the barrier handlers align over all channels
 * of the gate, whichever input they belong to, as Flink's do.
 */
import { MAX_WATERMARK, type StreamRecord } from '../model/index.ts';
import { CombinedWatermark, type TwoInputStreamOperator } from '../operators/index.ts';
import type { InputChannel } from './input-gate.ts';
import { StatusWatermarkValve } from './watermark-valve.ts';

/** Where one channel's records go: processElement1 or processElement2 of the head. */
export interface ElementTarget {
  processElement(record: StreamRecord): void;
}

export interface TwoInputTaskHooks {
  /** The task's (combined) watermark advanced: record it before the operator acts on it. */
  noteWatermark(watermark: number): void;
  /** Every open input idle (true), or one active again (false). */
  idle(idle: boolean): void;
}

/**
 * @example
 * const valve = new TwoInputValve(head, gate.channels, { noteWatermark, idle });
 * valve.targets[channel].processElement(record); // processElement1 or 2
 */
export class TwoInputValve {
  /** Per channel index: the head's processElement of that channel's input. */
  readonly targets: readonly ElementTarget[];
  readonly #valves: readonly [StatusWatermarkValve, StatusWatermarkValve];
  /** Per channel index: its input (0 or 1) and its index among that input's channels. */
  readonly #input: Uint8Array;
  readonly #local: Int32Array;
  readonly #clock = new CombinedWatermark();
  readonly #idle = [false, false];
  readonly #ended = [false, false];

  constructor(
    private readonly head: TwoInputStreamOperator,
    channels: readonly InputChannel[],
    private readonly hooks: TwoInputTaskHooks,
  ) {
    this.#input = new Uint8Array(channels.length);
    this.#local = new Int32Array(channels.length);
    const counts = [0, 0];
    for (const c of channels) {
      const input = c.channel.logicalInput - 1;
      this.#input[c.index] = input;
      this.#local[c.index] = counts[input]!++;
    }
    const one: ElementTarget = { processElement: (r) => head.processElement1(r) };
    const two: ElementTarget = { processElement: (r) => head.processElement2(r) };
    this.targets = channels.map((c) => (c.channel.logicalInput === 1 ? one : two));
    this.#valves = [this.#valve(0, counts[0]!), this.#valve(1, counts[1]!)];
  }

  #valve(input: 0 | 1, channels: number): StatusWatermarkValve {
    return new StatusWatermarkValve(channels, {
      advance: (watermark) => this.#advance(input, watermark),
      idle: (idle) => this.#status(input, idle),
    });
  }

  inputWatermark(channel: number, watermark: number): void {
    this.#valves[this.#input[channel] as 0 | 1].inputWatermark(this.#local[channel]!, watermark);
  }

  inputStatus(channel: number, idle: boolean): void {
    this.#valves[this.#input[channel] as 0 | 1].inputStatus(this.#local[channel]!, idle);
  }

  /** The channel has ended; returns true when it was the last open channel of both inputs. */
  inputEnded(channel: number): boolean {
    const input = this.#input[channel] as 0 | 1;
    if (this.#valves[input].inputEnded(this.#local[channel]!)) this.#inputEnded(input);
    return this.#ended[0]! && this.#ended[1]!;
  }

  #inputEnded(input: 0 | 1): void {
    this.#ended[input] = true;
    // An ended input holds nothing back (it sent the final watermark before its end, as a drained input does).
    this.#advance(input, MAX_WATERMARK);
    this.#updateIdle();
  }

  #advance(input: 0 | 1, watermark: number): void {
    if (this.#clock.updateWatermark(input, watermark)) this.hooks.noteWatermark(this.#clock.watermark);
    if (input === 0) this.head.processWatermark1(watermark);
    else this.head.processWatermark2(watermark);
  }

  #status(input: 0 | 1, idle: boolean): void {
    this.#idle[input] = idle;
    if (this.#clock.updateStatus(input, idle)) this.hooks.noteWatermark(this.#clock.watermark);
    if (input === 0) this.head.processWatermarkStatus1(idle);
    else this.head.processWatermarkStatus2(idle);
    this.#updateIdle();
  }

  #updateIdle(): void {
    const idle = (this.#idle[0]! || this.#ended[0]!) && (this.#idle[1]! || this.#ended[1]!) && !(this.#ended[0]! && this.#ended[1]!);
    this.hooks.idle(idle);
  }
}
