/**
 * A scenario's `actions` (a Weir extension of the format): what the person running the
 * cluster does by hand, at given virtual times. `savepoint` triggers a savepoint and the job
 * goes on; `stop-with-savepoint` takes one and stops the job (it ends FINISHED, as Flink's
 * `flink stop`); `resume` starts it again from that savepoint, optionally at another
 * parallelism, which is how Flink rescales a job. The list reads like a runbook, so it must
 * make sense as one: times go forward, a resume follows a stop, and a stopped job does
 * nothing but wait for its resume.
 */
import { defaultMaxParallelism } from '../../graph/index.ts';
import { child, type Reader } from './reader.ts';
import { readMs } from './read-fault-tolerance.ts';
import type { ActionSpec, JobConfigSpec } from './types.ts';

/** A limit on the runbook. */
export const MAX_ACTIONS = 1000;

export const ACTION_TYPES = ['savepoint', 'stop-with-savepoint', 'resume'] as const;

/** Flink's upper bound for any max parallelism. */
const MAX_MAX_PARALLELISM = 32768;

/**
 * Reads `actions` (the value at `$.actions`), in file order.
 * @example
 * readActions(r, [{ at: 5000, type: 'stop-with-savepoint' }, { at: 8000, type: 'resume', parallelism: 4 }], config)
 * // [{ type: 'stop-with-savepoint', atMs: 5000, path: '$.actions[0]' },
 * //  { type: 'resume', parallelism: 4, atMs: 8000, path: '$.actions[1]' }]
 */
export function readActions(r: Reader, value: unknown, config: JobConfigSpec | null): ActionSpec[] {
  if (value === undefined) return [];
  const path = '$.actions';
  const list = r.list(value, path);
  if (list === null) return [];
  if (list.length > MAX_ACTIONS) {
    r.issue(path, `at most ${MAX_ACTIONS} actions, found ${list.length}`);
    return [];
  }
  const bound = rescaleBound(config);
  const actions: ActionSpec[] = [];
  let last: { atMs: number; path: string } | null = null;
  // The path of the stop-with-savepoint the job is stopped by, or null while it runs.
  let stoppedBy: string | null = null;
  list.forEach((item, i) => {
    const at = child(path, i);
    const obj = r.object(item, at, 'an action such as {"at": 5000, "type": "savepoint"}');
    if (obj === null) return;
    const type = r.string(obj, 'type', at);
    const atMs = readMs(r, obj, 'at', at, 0);
    if (type === null) return;
    if (!(ACTION_TYPES as readonly string[]).includes(type)) {
      r.issue(child(at, 'type'), `unknown action type '${type}' (known: ${ACTION_TYPES.join(', ')})`);
      return;
    }
    r.onlyKeys(obj, at, ['at', 'type', 'parallelism']);
    let parallelism: number | null = null;
    if (obj['parallelism'] !== undefined && type !== 'resume') {
      r.issue(child(at, 'parallelism'), `only a resume takes a parallelism (the job restarts from its savepoint at that parallelism); a ${type} does not`);
    } else if (obj['parallelism'] !== undefined && obj['parallelism'] !== null) {
      parallelism = r.intValue(obj['parallelism'], child(at, 'parallelism'), { min: 1, max: MAX_MAX_PARALLELISM });
      if (parallelism !== null && parallelism > bound.max) {
        r.issue(child(at, 'parallelism'), `a job rescales at most to its maxParallelism, ${bound.max} (${bound.from}), found ${parallelism}`);
      }
    }
    if (atMs !== null) {
      if (last !== null && atMs < last.atMs) {
        r.issue(child(at, 'at'), `actions are listed in the order they happen: this one at ${atMs} comes after one at ${last.atMs} (${last.path})`);
      }
      last = { atMs, path: at };
    }
    if (type === 'resume') {
      if (stoppedBy === null) r.issue(child(at, 'type'), 'a resume starts the job again from the savepoint of a stop-with-savepoint, but the job is not stopped here: put a stop-with-savepoint before it');
      stoppedBy = null;
    } else if (stoppedBy !== null) {
      r.issue(child(at, 'type'), `the job was stopped by the stop-with-savepoint at ${stoppedBy}; only a resume may follow it, found a ${type}`);
    } else if (type === 'stop-with-savepoint') {
      stoppedBy = at;
    }
    if (atMs === null) return;
    if (type === 'resume') actions.push({ type, parallelism, atMs, path: at });
    else actions.push({ type: type as 'savepoint' | 'stop-with-savepoint', atMs, path: at });
  });
  return actions;
}

/**
 * The largest parallelism a resume may ask for. Key groups are fixed by the first run: its
 * max parallelism is stored in the savepoint, so a job can never be rescaled above it. When
 * the file does not set it, Flink derives it from the parallelism (see defaultMaxParallelism),
 * which is known here only when `config.parallelism` is set.
 */
function rescaleBound(config: JobConfigSpec | null): { max: number; from: string } {
  if (config?.maxParallelism != null) return { max: config.maxParallelism, from: 'config.maxParallelism' };
  if (config?.parallelism != null) {
    const max = defaultMaxParallelism(config.parallelism);
    return { max, from: `Flink's default for parallelism ${config.parallelism}, fixed by the first run; set config.maxParallelism to rescale further` };
  }
  return { max: MAX_MAX_PARALLELISM, from: "Flink's upper bound" };
}
