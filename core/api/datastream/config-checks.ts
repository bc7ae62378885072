/**
 * The argument checks of the fault-tolerance setters. Flink's setters throw an
 * IllegalArgumentException the moment a value is out of range, so a mistake points at
 * the line that made it rather than at a failed submission; Weir's throw a RangeError,
 * naming the setter, the rule and the value found. Times are whole virtual ms, at most
 * MAX_TIME_MS, as everywhere in Weir.
 */
import { MAX_TIME_MS } from '../../model/index.ts';

/**
 * Throws unless `value` is a whole number in [min, max].
 * @example requireInt('setMaxConcurrentCheckpoints', 'the maximum number of concurrent checkpoints', 0, 1, 1000) // throws
 */
export function requireInt(where: string, what: string, value: number, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${where}: ${what} must be a whole number, found ${value}`);
  if (value < min || value > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw new RangeError(`${where}: ${what} must be ${bounds}, found ${value}`);
  }
  return value;
}

/**
 * Throws unless `value` is a whole number of ms in [min, MAX_TIME_MS]; `why` explains the
 * lower bound when it is Flink's.
 * @example requireMs('setCheckpointTimeout', 'the checkpoint timeout', 5, 10, "Flink's MINIMAL_CHECKPOINT_TIME") // throws
 */
export function requireMs(where: string, what: string, value: number, min: number, why?: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${where}: ${what} must be a whole number of ms, found ${value}`);
  if (value < min) throw new RangeError(`${where}: ${what} must be at least ${min} ms${why === undefined ? '' : ` (${why})`}, found ${value}`);
  if (value > MAX_TIME_MS) throw new RangeError(`${where}: ${what} must be at most ${MAX_TIME_MS} ms (about 31,000 years), found ${value}`);
  return value;
}

/**
 * Throws unless `value` is a finite number with `value > above` (or `>= min`) and `<= max`.
 * @example requireNumber('exponentialDelayRestart', 'the backoff multiplier', 1, { above: 1 }) // throws
 */
export function requireNumber(where: string, what: string, value: number, range: { above?: number; min?: number; max?: number }): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new RangeError(`${where}: ${what} must be a finite number, found ${String(value)}`);
  const low = range.above !== undefined ? `greater than ${range.above}` : range.min !== undefined ? `at least ${range.min}` : null;
  const bounds = low !== null && range.max !== undefined ? `${low} and at most ${range.max}` : (low ?? `at most ${range.max}`);
  const tooLow = (range.above !== undefined && value <= range.above) || (range.min !== undefined && value < range.min);
  if (tooLow || (range.max !== undefined && value > range.max)) throw new RangeError(`${where}: ${what} must be ${bounds}, found ${value}`);
  return value;
}
