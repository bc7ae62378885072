/**
 * What one subtask sends the CheckpointCoordinator when it acknowledges a checkpoint: the
 * snapshots of its chained operators (Flink's TaskStateSnapshot / OperatorSubtaskState),
 * the in-flight data an unaligned checkpoint persisted, and whether the subtask had
 * already finished its input (so that a restore knows it is finished, as Flink's
 * FLIP-147 marks operators "finished on restore").
 */
import { canonicalJsonLength, type JsonValue, type StreamRecord } from '../model/index.ts';
import type { OperatorSnapshot } from '../state/index.ts';

/** Records that were in flight on one input channel when an unaligned barrier overtook them. */
export interface ChannelStateSnapshot {
  readonly input: number;
  readonly records: readonly StreamRecord[];
}

export interface TaskSnapshot {
  /** The subtask, e.g. `window#1`. */
  readonly task: string;
  readonly vertex: string;
  readonly subtaskIndex: number;
  readonly operators: readonly OperatorSnapshot[];
  readonly channelState: readonly ChannelStateSnapshot[];
  readonly finished: boolean;
  /** Bytes of state: the canonical JSON length of its key groups, operator state and channel state. */
  readonly stateSize: number;
}

/**
 * The size of a snapshot in bytes, as Weir counts them: canonical JSON length (UTF-16 code
 * units counted as bytes, the same in every engine), key group sizes taken as computed at
 * the snapshot, so sizing walks only what changed.
 */
export function snapshotSize(operators: readonly OperatorSnapshot[], channelState: readonly ChannelStateSnapshot[]): number {
  let size = 0;
  for (const op of operators) {
    for (const g of op.keyGroups) size += g.size;
    size += canonicalJsonLength(op.operatorState);
  }
  for (const c of channelState) size += canonicalJsonLength(c.records as unknown as JsonValue);
  return size;
}
