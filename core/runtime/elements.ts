/**
 * What a network buffer carries: records, and events. Events are everything that is not a
 * record: watermarks, watermark status (idle / active), checkpoint barriers, the end of
 * data and the end of the partition. They share one base class, so the task's input loop
 * asks one question per element (`instanceof NetworkEvent`) and records, the common case,
 * pay nothing more. Flink splits the same way: StreamElement for records and watermarks,
 * AbstractEvent for barriers and end-of-partition.
 */
import type { StreamRecord } from '../model/index.ts';

export abstract class NetworkEvent {
  abstract readonly kind: 'watermark' | 'status' | 'barrier' | 'announcement' | 'end-of-data' | 'end-of-partition';
}

export class WatermarkElement extends NetworkEvent {
  readonly kind = 'watermark';
  constructor(readonly timestamp: number) {
    super();
  }
}

/** A producer subtask became idle (true) or active again (false): Flink's WatermarkStatus. */
export class WatermarkStatusElement extends NetworkEvent {
  readonly kind = 'status';
  constructor(readonly idle: boolean) {
    super();
  }
}

/** Whether the barrier's checkpoint is aligned (blocks inputs), unaligned (overtakes data) or at-least-once (never blocks). */
export type BarrierAlignment = 'aligned' | 'unaligned' | 'at-least-once';

/**
 * Flink's CheckpointBarrier: injected by the sources when checkpoint `id` is triggered,
 * it travels with the data and cuts each stream into "before checkpoint id" and "after".
 * A savepoint travels as a barrier too, with `savepoint` set.
 */
export class CheckpointBarrier extends NetworkEvent {
  readonly kind = 'barrier';
  constructor(
    readonly id: number,
    /** When the checkpoint was triggered (virtual ms). */
    readonly timestamp: number,
    readonly alignment: BarrierAlignment,
    readonly savepoint: boolean,
  ) {
    super();
  }
}

/**
 * Whether a barrier may turn unaligned when `alignedCheckpointTimeout` passes (Flink's
 * CheckpointOptions.isTimeoutable): an aligned checkpoint's barrier. A savepoint never does.
 */
export function isTimeoutable(barrier: CheckpointBarrier): boolean {
  return barrier.alignment === 'aligned' && !barrier.savepoint;
}

/**
 * Flink's EventAnnouncement: when a timeoutable barrier arrives at an input channel, an
 * announcement of it goes on the channel's priority lane, ahead of the data queued in front
 * of the barrier. The barrier handler learns of the checkpoint before it has read that data,
 * starts the aligned-checkpoint timeout, and, once the timeout has passed, has the barrier
 * moved to the priority lane (it overtakes the queue, which becomes channel state).
 */
export class BarrierAnnouncement extends NetworkEvent {
  readonly kind = 'announcement';
  constructor(
    readonly barrier: CheckpointBarrier,
    /** The channel's number of the buffer holding the barrier. */
    readonly sequenceNumber: number,
  ) {
    super();
  }
}

/** Flink's EndOfData: the producer has no more records; its channel stays open for barriers (the final checkpoint). */
class EndOfData extends NetworkEvent {
  readonly kind = 'end-of-data';
}

/** Flink's EndOfPartitionEvent: the producer is finished and its channel closes. */
class EndOfPartition extends NetworkEvent {
  readonly kind = 'end-of-partition';
}

export const IDLE = new WatermarkStatusElement(true);
export const ACTIVE = new WatermarkStatusElement(false);
export const END_OF_DATA = new EndOfData();
export const END_OF_PARTITION = new EndOfPartition();

export type NetworkElement = StreamRecord | NetworkEvent;
