/**
 * The consumer side of the network, as Flink's SingleInputGate and its InputChannels:
 * one queue of arrived buffers per input channel, each buffer numbered in its channel's
 * order (Flink's buffer sequence numbers), so that a channel can be blocked on its own
 * while the others go on (aligned checkpoints block the channels that delivered the
 * barrier), and a priority lane per channel that is read before any data (an unaligned
 * barrier overtakes the buffers in front of it).
 *
 * Among the channels that have data and are not blocked, the gate hands out the buffer
 * that arrived first, so that without blocking the task reads in arrival order. When a
 * buffer has been read to its end the task returns its credit, per channel: a blocked
 * channel returns none, and its producer soon stops for want of credit (backpressure).
 *
 * With an aligned-checkpoint timeout, a buffer that brings a timeoutable barrier also puts
 * an announcement of it on the channel's priority lane (as Flink's RemoteInputChannel does
 * on receipt), and the barrier handler may later have that barrier moved to the priority
 * lane, past the data still queued in front of it.
 */
import { assert } from '../kernel/index.ts';
import type { Channel } from './channel.ts';
import { BarrierAnnouncement, CheckpointBarrier, END_OF_PARTITION, isTimeoutable, NetworkEvent, type NetworkElement } from './elements.ts';

export interface ArrivedBuffer {
  readonly elements: NetworkElement[];
  /** Position of the next element to read. */
  pos: number;
  /** This buffer's number in its channel (0, 1, 2, ...). */
  readonly sequenceNumber: number;
  /** The gate's arrival counter when it came: decides the order across channels. */
  readonly arrival: number;
}

export class InputChannel {
  readonly queue: ArrivedBuffer[] = [];
  readonly priority: NetworkEvent[] = [];
  blocked = false;
  /** The producer sent end of partition: nothing more comes on this channel. */
  closed = false;
  #nextSequenceNumber = 0;

  constructor(
    /** Index among the task's inputs. */
    readonly index: number,
    readonly channel: Channel,
  ) {}

  enqueue(elements: NetworkElement[], arrival: number): void {
    this.queue.push({ elements, pos: 0, sequenceNumber: this.#nextSequenceNumber++, arrival });
  }

  /**
   * Flink's convertToPriorityEvent: barrier `checkpointId`, still queued, gets a copy on the
   * priority lane (as an unaligned barrier); the original stays in the data as the mark
   * that ends the records it overtook. Returns the copy, or null when it is not queued.
   */
  overtake(checkpointId: number): CheckpointBarrier | null {
    for (const b of this.queue) {
      for (let i = b.pos; i < b.elements.length; i++) {
        const e = b.elements[i]!;
        if (e instanceof CheckpointBarrier && e.id === checkpointId) return new CheckpointBarrier(e.id, e.timestamp, 'unaligned', e.savepoint);
      }
    }
    return null;
  }

  /** Elements received but not yet read (in-flight data an unaligned checkpoint persists). */
  unread(): NetworkElement[] {
    const out: NetworkElement[] = [];
    for (const b of this.queue) for (let i = b.pos; i < b.elements.length; i++) out.push(b.elements[i]!);
    return out;
  }
}

export class InputGate {
  readonly channels: InputChannel[] = [];
  #arrivals = 0;
  #prioritized = 0;
  /** Whether arriving timeoutable barriers are announced (the job has an aligned-checkpoint timeout). */
  announceBarriers = false;

  add(channel: Channel): InputChannel {
    assert(channel.inputIndex === this.channels.length, () => `input channels must be added in order: ${channel.inputIndex} after ${this.channels.length}`);
    const input = new InputChannel(this.channels.length, channel);
    this.channels.push(input);
    return input;
  }

  get size(): number {
    return this.channels.length;
  }

  receive(index: number, elements: NetworkElement[]): void {
    const input = this.channels[index]!;
    input.enqueue(elements, this.#arrivals++);
    if (!this.announceBarriers) return;
    const sequenceNumber = input.queue.at(-1)!.sequenceNumber;
    for (const e of elements) if (e instanceof CheckpointBarrier && isTimeoutable(e)) this.receivePriority(index, new BarrierAnnouncement(e, sequenceNumber));
  }

  /** Moves queued barrier `checkpointId` of channel `index` to its priority lane; false when it is not queued there. */
  overtake(index: number, checkpointId: number): boolean {
    const barrier = this.channels[index]!.overtake(checkpointId);
    if (barrier !== null) this.receivePriority(index, barrier);
    return barrier !== null;
  }

  /** An event that overtakes the channel's data (read before anything queued). */
  receivePriority(index: number, event: NetworkEvent): void {
    this.channels[index]!.priority.push(event);
    this.#prioritized++;
  }

  /**
   * A checkpoint triggered at this task after the producer of channel `index` finished
   * (Flink's triggerUnfinishedChannelsCheckpoint): its barrier belongs after the last record
   * the producer sent, so it is put in the data just before the end of partition, wherever
   * that is (queued here, on the wire, in the finished producer's output buffer). Records an
   * unaligned final checkpoint persisted and that are still queued are thus processed before
   * an aligned snapshot, or persisted again if it turns unaligned. Flink never needs this: a
   * producer there finishes only once its consumers have processed all its records.
   * Returns false, placing nothing, when no record is left before the end (the barrier then
   * counts as arrived at once); true when it was placed, or when barrier `barrier.id` is
   * already on its way in the data (the producer took the checkpoint before it finished).
   */
  placeBeforeEnd(index: number, barrier: CheckpointBarrier): boolean {
    const input = this.channels[index]!;
    let records = false;
    const place = (elements: NetworkElement[], from: number, received: ArrivedBuffer | null, insert: (at: number) => void = (at) => void elements.splice(at, 0, barrier)): boolean | null => {
      for (let i = from; i < elements.length; i++) {
        const e = elements[i]!;
        if (e instanceof CheckpointBarrier && e.id >= barrier.id) return true;
        if (e === END_OF_PARTITION) {
          if (!records) return false;
          insert(i);
          if (received !== null && this.announceBarriers && isTimeoutable(barrier)) this.receivePriority(index, new BarrierAnnouncement(barrier, received.sequenceNumber));
          return true;
        }
        if (!(e instanceof NetworkEvent)) records = true;
      }
      return null;
    };
    for (const b of input.queue) {
      const placed = place(b.elements, b.pos, b);
      if (placed !== null) return placed;
    }
    for (const b of input.channel.inFlight) {
      const placed = place(b, 0, null);
      if (placed !== null) return placed;
    }
    // Not yet sent: the channel keeps track of which pending elements form which buffer.
    return place(input.channel.pending, 0, null, (at) => input.channel.insertPending(at, barrier)) ?? false;
  }

  /** The next priority event of any channel, lowest channel first, or null. */
  pollPriority(): { input: InputChannel; event: NetworkEvent } | null {
    if (this.#prioritized === 0) return null;
    for (const input of this.channels) {
      if (input.priority.length > 0) {
        this.#prioritized--;
        return { input, event: input.priority.shift()! };
      }
    }
    return null;
  }

  /** The unblocked channel whose head buffer arrived first, or null. */
  next(): InputChannel | null {
    let best: InputChannel | null = null;
    let bestArrival = Number.POSITIVE_INFINITY;
    for (const input of this.channels) {
      if (input.blocked) continue;
      const head = input.queue[0];
      if (head !== undefined && head.arrival < bestArrival) {
        bestArrival = head.arrival;
        best = input;
      }
    }
    return best;
  }

  /** Whether a step would find something to read. */
  get hasData(): boolean {
    return this.#prioritized > 0 || this.next() !== null;
  }

  block(index: number): void {
    this.channels[index]!.blocked = true;
  }

  resumeAll(): void {
    for (const input of this.channels) input.blocked = false;
  }
}
