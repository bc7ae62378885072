/**
 * The `source` operator's fields: which topic it reads, its watermark strategy, where event
 * time comes from, and whether it is bounded.
 */
import { MAX_TIME_MS } from '../../model/index.ts';
import { child, describe, Reader, type Obj } from './reader.ts';
import type { WatermarksSpec } from './types.ts';

const STRATEGIES = ['bounded-out-of-orderness', 'monotonous', 'ingestion-time', 'none'];

export function readWatermarks(r: Reader, value: unknown, path: string): WatermarksSpec | null {
  if (value === undefined) {
    r.issue(path, `missing required field 'watermarks' (a strategy: ${STRATEGIES.join(', ')})`);
    return null;
  }
  const obj = r.object(value, path, 'a watermark strategy such as {"strategy": "bounded-out-of-orderness", "maxOutOfOrderness": 100}');
  if (obj === null) return null;
  const strategy = r.string(obj, 'strategy', path);
  if (strategy === null) return null;
  const idleness = (): number | null => r.int(obj, 'idleness', path, { min: 1, max: MAX_TIME_MS }, null);
  switch (strategy) {
    case 'bounded-out-of-orderness': {
      r.onlyKeys(obj, path, ['strategy', 'maxOutOfOrderness', 'idleness']);
      if (obj['maxOutOfOrderness'] === undefined) {
        r.issue(child(path, 'maxOutOfOrderness'), "the bounded-out-of-orderness strategy needs its bound: 'maxOutOfOrderness' in ms");
        return null;
      }
      const bound = r.int(obj, 'maxOutOfOrderness', path, { min: 0, max: MAX_TIME_MS });
      const idlenessMs = idleness();
      return bound === null ? null : { strategy, maxOutOfOrdernessMs: bound, idlenessMs };
    }
    case 'monotonous':
    case 'ingestion-time':
      r.onlyKeys(obj, path, ['strategy', 'idleness']);
      return { strategy, idlenessMs: idleness() };
    case 'none':
      r.onlyKeys(obj, path, ['strategy']);
      return { strategy };
    default:
      r.issue(child(path, 'strategy'), `unknown watermark strategy '${strategy}' (known: ${STRATEGIES.join(', ')})`);
      return null;
  }
}

export function readBounded(r: Reader, obj: Obj, path: string): boolean {
  const value = obj['bounded'];
  if (value === undefined) return true;
  if (typeof value === 'boolean') return value;
  r.issue(child(path, 'bounded'), `expected true or false, found ${describe(value)}`);
  return true;
}
