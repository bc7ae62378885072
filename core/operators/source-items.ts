/**
 * The items a test source can emit, shared by the scenario loader and the DataStream API.
 */
import type { JsonValue } from '../model/index.ts';

export type SequenceItemSpec =
  | { readonly kind: 'record'; readonly value: JsonValue; readonly timestamp: number | null }
  | { readonly kind: 'watermark'; readonly timestamp: number }
  | { readonly kind: 'advance'; readonly ms: number };
