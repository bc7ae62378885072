// A value of a run as the timeline prints it.
import { canonicalJson, type JsonValue } from '../core/index.ts';

/** JSON.stringify's text (the record's own key order); the canonical text when a value is too deep for its recursion. */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (e instanceof RangeError) return canonicalJson(value as JsonValue);
    throw e;
  }
}
