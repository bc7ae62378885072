/**
 * What one subtask sends the CheckpointCoordinator when it acknowledges a checkpoint: the
 * snapshots of its chained operators (Flink's TaskStateSnapshot / OperatorSubtaskState),
 * the in-flight data an unaligned checkpoint persisted, and whether the subtask had
 * already finished its input (so that a restore knows it is finished, as Flink's
 * FLIP-147 marks operators "finished on restore").
 */
import { canonicalJson, type JsonValue, type StreamRecord } from '../model/index.ts';
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
}

/** The size of a snapshot in bytes: its canonical JSON, UTF-16 code units counted as bytes (deterministic everywhere). */
export function snapshotSize(snapshot: TaskSnapshot): number {
  return canonicalJson(snapshot as unknown as JsonValue).length;
}
