/**
 * Reads a state declaration's `ttl`: Flink's StateTtlConfig written as data. `"ttl": 60000`
 * is a time-to-live of 60000 ms with Flink's defaults (OnCreateAndWrite,
 * NeverReturnExpired, no snapshot cleanup, incremental cleanup of 5 entries per access); the object form names each setting with the
 * builder's name: `{"time": 60000, "updateType": "OnReadAndWrite", "stateVisibility":
 * "ReturnExpiredIfNotCleanedUp", "cleanupFullSnapshot": true, "cleanupIncrementally": {"cleanupSize": 10}}`. The time is virtual
 * processing time, as Flink's TTL knows no other.
 */
import type { StateTtlSpec } from '../../operators/index.ts';
import { TTL_STATE_VISIBILITIES, TTL_UPDATE_TYPES, type TtlStateVisibility, type TtlUpdateType } from '../../state/index.ts';
import { child, describe, type Reader } from './reader.ts';

const TTL_FIELDS = ['time', 'updateType', 'stateVisibility', 'cleanupFullSnapshot', 'cleanupIncrementally', 'cleanupInBackground'];
const MAX_TTL_MS = Number.MAX_SAFE_INTEGER;

/**
 * @example readStateTtl(r, { time: 1000, updateType: 'OnReadAndWrite' }, '$.job.operators[2].state.seen.ttl')
 * // { timeMs: 1000, updateType: 'OnReadAndWrite', stateVisibility: 'NeverReturnExpired', cleanupFullSnapshot: false }
 */
export function readStateTtl(r: Reader, value: unknown, path: string): StateTtlSpec | null {
  if (typeof value === 'number') {
    const timeMs = r.intValue(value, path, { min: 1, max: MAX_TTL_MS });
    return timeMs === null ? null : { timeMs, updateType: 'OnCreateAndWrite', stateVisibility: 'NeverReturnExpired', cleanupFullSnapshot: false };
  }
  const obj = r.object(value, path, 'a time-to-live: milliseconds, or {"time": ms, "updateType"?, "stateVisibility"?, "cleanupFullSnapshot"?, "cleanupIncrementally"?, "cleanupInBackground"?}');
  if (obj === null) return null;
  const before = r.issues.length;
  r.onlyKeys(obj, path, TTL_FIELDS);
  const timeMs = r.int(obj, 'time', path, { min: 1, max: MAX_TTL_MS });
  const updateType = oneOf(r, obj['updateType'], child(path, 'updateType'), TTL_UPDATE_TYPES, 'OnCreateAndWrite');
  const stateVisibility = oneOf(r, obj['stateVisibility'], child(path, 'stateVisibility'), TTL_STATE_VISIBILITIES, 'NeverReturnExpired');
  const cleanup = obj['cleanupFullSnapshot'];
  if (cleanup !== undefined && typeof cleanup !== 'boolean') r.issue(child(path, 'cleanupFullSnapshot'), `expected true or false, found ${describe(cleanup)}`);
  const inBackground = obj['cleanupInBackground'];
  if (inBackground !== undefined && typeof inBackground !== 'boolean') r.issue(child(path, 'cleanupInBackground'), `expected true or false, found ${describe(inBackground)}`);
  const incremental = readIncremental(r, obj['cleanupIncrementally'], child(path, 'cleanupIncrementally'));
  if (r.issues.length > before || timeMs === null || updateType === null || stateVisibility === null || incremental === undefined) return null;
  // As Flink's StateTtlConfig: an explicit incremental cleanup wins; else cleanup in background (on by default) is 5 entries per access.
  const incrementalCleanup = incremental ?? (inBackground === false ? null : undefined);
  return {
    timeMs,
    updateType: updateType as TtlUpdateType,
    stateVisibility: stateVisibility as TtlStateVisibility,
    cleanupFullSnapshot: cleanup === true,
    ...(incrementalCleanup === undefined ? {} : { incrementalCleanup }),
  };
}

/** `cleanupIncrementally`: {"cleanupSize": n >= 1, "runCleanupForEveryRecord"?: bool}; null when absent, undefined after an issue. */
function readIncremental(r: Reader, value: unknown, path: string): { cleanupSize: number; runCleanupForEveryRecord: boolean } | null | undefined {
  if (value === undefined) return null;
  const obj = r.object(value, path, 'Flink\'s incremental cleanup, {"cleanupSize": entries checked per state access (at least 1), "runCleanupForEveryRecord"?: true or false}');
  if (obj === null) return undefined;
  const before = r.issues.length;
  r.onlyKeys(obj, path, ['cleanupSize', 'runCleanupForEveryRecord']);
  const cleanupSize = r.int(obj, 'cleanupSize', path, { min: 1, max: 1_000_000 });
  const every = obj['runCleanupForEveryRecord'];
  if (every !== undefined && typeof every !== 'boolean') r.issue(child(path, 'runCleanupForEveryRecord'), `expected true or false, found ${describe(every)}`);
  if (r.issues.length > before || cleanupSize === null) return undefined;
  return { cleanupSize, runCleanupForEveryRecord: every === true };
}

function oneOf(r: Reader, value: unknown, path: string, allowed: readonly string[], fallback: string): string | null {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && allowed.includes(value)) return value;
  r.issue(path, `expected one of ${allowed.map((a) => `"${a}"`).join(', ')} (Flink's names), found ${describe(value)}`);
  return null;
}
