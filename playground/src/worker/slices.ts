/**
 * A finished run crosses from the worker to the page in slices. The page reads a message in
 * one task (the structured clone is undone when the handler first touches it), and a run of
 * 200,000 records (614,000 trace events, 87 MB cloned) read whole held the page for 1.5 s.
 * So the long lists of an outcome (the trace, each sink's records and side outputs, the
 * network samples) go first, a few thousand items a message, and the outcome follows without
 * them; the page puts them back where they were.
 */
import type { RunOutcome } from '../lib/engine.ts';

/** Items per message: about 25 ms for the page to read a slice of trace events. */
export const ITEMS_PER_SLICE = 5_000;

/** Where a list sits in the outcome: `['run', 'events']`, `['run', 'report', 'sinks', 'out', 'committed']`. */
export type SlicePath = readonly string[];

export interface Slice {
  readonly path: SlicePath;
  readonly items: readonly unknown[];
}

type Obj = Record<string, unknown>;

/** The paths of the outcome's long lists (only a finished run has any). */
function listPaths(outcome: RunOutcome): SlicePath[] {
  if (outcome.kind !== 'done') return [];
  const report = outcome.run.report;
  return [
    ['run', 'events'],
    ['run', 'network', 'times'],
    ['run', 'network', 'views'],
    ...Object.keys(report.sinks).flatMap((sink) => [
      ['run', 'report', 'sinks', sink, 'committed'],
      ['run', 'report', 'sinks', sink, 'uncommitted'],
    ]),
    ...Object.keys(report.sideOutputs).map((tag) => ['run', 'report', 'sideOutputs', tag]),
  ];
}

function get(root: unknown, path: SlicePath): unknown {
  let at = root;
  for (const key of path) at = typeof at === 'object' && at !== null && Object.hasOwn(at, key) ? (at as Obj)[key] : undefined;
  return at;
}

/** A copy of `root` with the value at `path` replaced (copies along the path only; the key must exist). */
function set(root: unknown, path: SlicePath, value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [string, ...string[]];
  const obj = root as Obj;
  // Sinks and side outputs are maps by name: defined, not assigned, so a sink named `__proto__` stays a sink.
  const copy = Object.create(Object.getPrototypeOf(obj) as object | null) as Obj;
  const define = (k: string, v: unknown) => Object.defineProperty(copy, k, { value: v, writable: true, enumerable: true, configurable: true });
  for (const k of Object.keys(obj)) define(k, obj[k]);
  define(key, set(obj[key], rest, value));
  return copy;
}

/** The slices of `outcome`'s long lists, and the outcome without them (each emptied). */
export function sliceOutcome(outcome: RunOutcome, perSlice = ITEMS_PER_SLICE): { slices: Slice[]; rest: RunOutcome } {
  const slices: Slice[] = [];
  let rest: unknown = outcome;
  for (const path of listPaths(outcome)) {
    const list = get(outcome, path);
    if (!Array.isArray(list) || list.length === 0) continue;
    for (let i = 0; i < list.length; i += perSlice) slices.push({ path, items: list.slice(i, i + perSlice) });
    rest = set(rest, path, []);
  }
  return { slices, rest: rest as RunOutcome };
}

/** Collects the slices of one run on the page, and puts them back into its outcome. */
export class SliceCollector {
  readonly #lists = new Map<string, { path: SlicePath; items: unknown[] }>();

  add(slice: Slice): void {
    const key = JSON.stringify(slice.path);
    let list = this.#lists.get(key);
    if (list === undefined) this.#lists.set(key, (list = { path: slice.path, items: [] }));
    for (const item of slice.items) list.items.push(item);
  }

  assemble(outcome: RunOutcome): RunOutcome {
    let whole: unknown = outcome;
    for (const { path, items } of this.#lists.values()) {
      if (Array.isArray(get(whole, path))) whole = set(whole, path, items);
    }
    return whole as RunOutcome;
  }
}
