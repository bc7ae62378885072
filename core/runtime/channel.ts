/**
 * A channel connects one producer subtask to one consumer subtask over one JobEdge, as a
 * Flink ResultSubpartition / InputChannel pair, with Flink's credit-based flow control.
 *
 * The consumer owns a fixed number of buffers for this channel and grants one credit per
 * free buffer. The producer gathers elements into a buffer and may send it only while it
 * holds a credit; a full buffer with no credit blocks the producer (it is backpressured)
 * until the consumer has processed a buffer and its credit has travelled back. A slow
 * consumer therefore slows its producer, and the slowness climbs the graph, as in Flink.
 * Buffers and credits each take the network latency to arrive; a channel is FIFO.
 *
 * A channel belongs to one execution attempt at each end: a restart builds new channels,
 * and what was in flight on the old ones is lost with them.
 *
 * When a partial buffer leaves depends on the job's buffer timeout (Flink's
 * `execution.buffer-timeout`). Without one (Weir's default) every pending element may leave
 * at the end of the producer's step. With one, a partial buffer leaves once a flush is
 * requested (by the output flusher every `bufferTimeoutMs`, or after every element with 0,
 * Flink's flushAlways) or an event ends it (a barrier, the end of the data or of the
 * partition); with -1 only full buffers and events leave. As in Flink's
 * PipelinedSubpartition, a flush only makes the buffer being written sendable: elements
 * written before a credit lets it go join it (up to a full buffer). An event finishes its
 * buffer, and what is written after it starts the next one.
 */
import { assert } from '../kernel/index.ts';
import type { NetworkElement } from './elements.ts';

export class Channel {
  /** Elements written since the last send. */
  pending: NetworkElement[] = [];
  /** Buffers sent but not yet delivered, oldest first. */
  readonly inFlight: NetworkElement[][] = [];
  /** When each in-flight buffer left and when it arrives, in the same order: what a view of the network draws. */
  readonly inFlightSentMs: number[] = [];
  readonly inFlightArrivesMs: number[] = [];
  /** Unaligned barriers on their way (they overtake the data and use no credit). */
  readonly priorityInFlight: { readonly checkpoint: number; readonly sentMs: number; readonly arrivesMs: number }[] = [];
  /** Credits the producer holds: buffers it may send now. */
  credits: number;
  /** False once either end's attempt is gone: whatever is still in flight is dropped. */
  alive = true;
  /** When the last buffer sent on it arrives: a later one never arrives before (FIFO). */
  lastArrivalMs = Number.MIN_SAFE_INTEGER;
  /** With a buffer timeout: the sizes of the buffers at the head of `pending` that an event ended, oldest first; they may leave though not full. */
  readonly #sealed: number[] = [];
  #sealedCount = 0;
  /** With a buffer timeout: a flush was asked for, so the buffer being written may leave as it is (Flink's flushRequested). */
  flushRequested = false;
  /** With a buffer timeout above 0: the producer's output flusher for it, woken by the first element of an empty buffer. */
  flusher: { wake(): void } | null = null;

  constructor(
    readonly id: number,
    /** Producer subtask, e.g. `map#0`. */
    readonly from: string,
    /** Consumer subtask. */
    readonly to: string,
    /** Index of this channel among the consumer's input channels. */
    readonly inputIndex: number,
    readonly latencyMs: number,
    /** Buffers the consumer holds for this channel (Flink: exclusive buffers per channel). */
    readonly buffers: number,
    /** Elements per buffer: a full buffer is sent at once, a partial one as the buffer timeout says (see above). */
    readonly bufferSize: number,
    /** Which input of a two-input consumer the channel feeds (1 or 2); 1 for any other consumer. */
    readonly logicalInput: 1 | 2 = 1,
    /** The job's buffer timeout (see above); null: partial buffers leave at the end of the producer's step. */
    readonly bufferTimeoutMs: number | null = null,
  ) {
    assert(buffers >= 1 && bufferSize >= 1, `a channel needs at least one buffer of at least one element`);
    this.credits = buffers;
  }

  /** Whether a full buffer is waiting for credit: the producer must stop. */
  get blocked(): boolean {
    return this.pending.length >= this.bufferSize && this.credits === 0;
  }

  /** How many of the first pending elements are in buffers an event ended. */
  get sealed(): number {
    return this.#sealedCount;
  }

  /** Whether a buffer may leave now, credit permitting: a full one, one an event ended or a flush asked for, or (without a buffer timeout) any. */
  get sendable(): boolean {
    if (this.pending.length === 0) return false;
    return this.bufferTimeoutMs === null || this.flushRequested || this.#sealedCount > 0 || this.pending.length >= this.bufferSize;
  }

  /** Ends the buffer being written with the event just written into it: it may leave though it is not full. */
  seal(): void {
    const open = this.pending.length - this.#sealedCount;
    if (open === 0) return;
    this.#sealed.push(open);
    this.#sealedCount += open;
  }

  /**
   * Puts `element` into `pending` at `index` (a barrier placed before the end of the
   * partition), inside the buffer that holds that place, so that the buffers an event
   * ended still end with their events.
   */
  insertPending(index: number, element: NetworkElement): void {
    this.pending.splice(index, 0, element);
    let end = 0;
    for (let i = 0; i < this.#sealed.length; i++) {
      end += this.#sealed[i]!;
      if (index < end) {
        this.#sealed[i]!++;
        this.#sealedCount++;
        return;
      }
    }
  }

  /**
   * Takes at most one buffer's worth of pending elements to send, using a credit. Elements
   * written while the producer was blocked (timers firing, the end of its input) wait for
   * the next credit, so no buffer is ever larger than `bufferSize`.
   */
  take(): NetworkElement[] {
    assert(this.credits > 0, () => `channel ${this.from} -> ${this.to} sent a buffer without credit`);
    this.credits--;
    let size = this.bufferSize;
    if (this.#sealedCount > 0) {
      // A sealed buffer is never larger than a buffer: what a seal ended beyond that is the next one.
      const first = this.#sealed[0]!;
      size = Math.min(first, this.bufferSize);
      if (first > size) this.#sealed[0] = first - size;
      else this.#sealed.shift();
      this.#sealedCount -= size;
    }
    if (this.pending.length <= size) {
      const buffer = this.pending;
      this.pending = [];
      this.flushRequested = false;
      return buffer;
    }
    return this.pending.splice(0, size);
  }

  /** A credit came back from the consumer. */
  grant(): void {
    this.credits++;
    assert(this.credits <= this.buffers, () => `channel ${this.from} -> ${this.to} holds ${this.credits} credits, more than its ${this.buffers} buffers`);
  }
}
