/**
 * What a DataStream call records: one declared operator (a Transformation, in Flink's
 * words) with its inputs. The environment collects them and turns them into a StreamGraph.
 */
import type { KeySelector, Partitioner } from '../../graph/index.ts';
import { MAX_TIME_MS } from '../../model/index.ts';
import type { OperatorFactory } from '../../operators/index.ts';

export interface Transformation {
  id: string;
  name: string;
  parallelism: number | null;
  /** Its own buffer timeout (setBufferTimeout), or absent: the environment's. */
  bufferTimeoutMs?: number;
  readonly factory: OperatorFactory;
  /** `logicalInput`: for a two-input operator, which of its inputs the edge feeds. */
  readonly inputs: readonly { from: string; partitioner: Partitioner | null; logicalInput?: 1 | 2 }[];
  readonly isSink: boolean;
  /** Set by a two-input operator: whether it is keyed (its first input's key) or not (null); absent, keyed when an input is hash-partitioned. */
  keySelector?: KeySelector | null;
  /** Set by a sink that only works with checkpoints (a write-ahead log): the reason, for getStreamGraph's error. */
  needsCheckpointing?: string;
}

/** The part of the environment that streams use to declare operators. */
export interface TransformationSink {
  add(kind: string, name: string, factory: OperatorFactory, inputs: Transformation['inputs'], isSink?: boolean): Transformation;
}

/** A buffer timeout as Flink takes it: a whole number of ms, -1 (only full buffers) or more. */
export function checkedBufferTimeout(timeoutMs: number): number {
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < -1 || timeoutMs > MAX_TIME_MS) {
    throw new RangeError(`setBufferTimeout: the timeout must be a whole number of ms, -1 (only full buffers) or 0 up to ${MAX_TIME_MS}, got ${timeoutMs}`);
  }
  return timeoutMs;
}
