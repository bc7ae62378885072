/**
 * What a network buffer carries: records, watermarks and the end-of-partition marker that
 * tells a downstream task that one of its inputs is finished. Watermarks are boxed in a
 * tiny class so a buffer can mix them with records and still be read without allocation
 * per record.
 */
import type { StreamRecord } from '../model/index.ts';

export class WatermarkElement {
  constructor(readonly timestamp: number) {}
}

class EndOfPartition {
  readonly end = true;
}

/** A producer subtask became idle (true) or active again (false): Flink's WatermarkStatus. */
export class WatermarkStatusElement {
  constructor(readonly idle: boolean) {}
}

export const IDLE = new WatermarkStatusElement(true);
export const ACTIVE = new WatermarkStatusElement(false);

/** Sent once by each producer subtask on each channel when it has finished. */
export const END_OF_PARTITION = new EndOfPartition();

export type NetworkElement = StreamRecord | WatermarkElement | WatermarkStatusElement | EndOfPartition;
