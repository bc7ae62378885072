/**
 * What travels through a stream, as Flink names it: records (a value with an optional
 * event timestamp) and watermarks (a promise that no record with a smaller or equal
 * timestamp will follow). Checkpoint barriers join them in the checkpointing layer.
 */
import type { JsonValue } from './json.ts';

/** A record: a JSON value and its event timestamp (null when the job has no event time). */
export interface StreamRecord {
  value: JsonValue;
  timestamp: number | null;
}

/** The smallest possible watermark: nothing is known yet about event time. */
export const MIN_WATERMARK = Number.MIN_SAFE_INTEGER;
/** The watermark a finished bounded source sends: event time has ended. */
export const MAX_WATERMARK = Number.MAX_SAFE_INTEGER;

/** Prints a watermark for people: the two extremes read as -inf and +inf. */
export function formatWatermark(ms: number): string {
  if (ms <= MIN_WATERMARK) return '-inf';
  if (ms >= MAX_WATERMARK) return '+inf';
  return String(ms);
}

/**
 * The range of event times and timer times Weir accepts: about ±31,000 years around 1970.
 * Far inside the safe-integer range, so that window ends and timer times + 1 never lose
 * precision (Flink's Long has the room; a JavaScript number does not).
 */
export const MAX_TIME_MS = 1_000_000_000_000_000;

/**
 * How a message names the range isTimeInRange accepts, so that every message about a time
 * (a timestamp, a timer, a gap) says it the same way and a user sees why 2^53 is refused.
 */
export const TIME_RANGE_TEXT = 'between -10^15 and 10^15 (MAX_TIME_MS)';

export function isTimeInRange(ms: number): boolean {
  return Number.isSafeInteger(ms) && ms >= -MAX_TIME_MS && ms <= MAX_TIME_MS;
}
