/**
 * A channel connects one producer subtask to one consumer subtask over one JobEdge, as a
 * Flink ResultSubpartition / InputChannel pair. Elements are gathered into a buffer while
 * the producer runs and the buffer is sent when the producer's mailbox step ends (Flink
 * sends when a buffer is full or its buffer timeout fires). Each buffer arrives after the
 * cluster's network latency; channels are FIFO, so a later buffer never overtakes an
 * earlier one.
 */
import type { NetworkElement } from './elements.ts';

export class Channel {
  /** Elements written since the last flush. */
  pending: NetworkElement[] = [];
  /** Buffers sent but not yet delivered, oldest first. */
  readonly inFlight: NetworkElement[][] = [];

  constructor(
    readonly id: number,
    /** Producer subtask, e.g. `map#0`. */
    readonly from: string,
    /** Consumer subtask. */
    readonly to: string,
    /** Index of this channel among the consumer's input channels. */
    readonly inputIndex: number,
    readonly latencyMs: number,
  ) {}
}
