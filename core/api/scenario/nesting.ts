/**
 * How deep a scenario file may nest lists and objects. JSON has no limit, but every reader
 * of a value (the trace's canonical encoding, the report, the playground's views, a
 * teacher reading it) pays for depth, and no lesson needs a record nested a hundred levels
 * deep. Validation finds the first place that goes too deep with an explicit stack of the
 * open containers, so a file nested a million levels deep is refused with its path instead
 * of overflowing the call stack.
 */
import { child } from './reader.ts';

/** The most levels of lists and objects, counting the scenario object itself, a file may nest. */
export const MAX_NESTING = 128;

interface Frame {
  readonly value: object;
  /** The object's keys, or null for a list (whose keys are its indexes). */
  readonly keys: readonly string[] | null;
  /** How the frame's value is reached from its parent; null for the root. */
  readonly key: string | number | null;
  next: number;
}

const isContainer = (v: unknown): v is object => typeof v === 'object' && v !== null;

function frameOf(value: object, key: string | number | null): Frame {
  return { value, keys: Array.isArray(value) ? null : Object.keys(value), key, next: 0 };
}

/**
 * The JSON path of the first list or object nested deeper than `maxDepth` levels, or null.
 * @example tooDeepAt({ a: [[1]] }, 2) // '$.a[0]'
 */
export function tooDeepAt(root: unknown, maxDepth: number = MAX_NESTING): string | null {
  if (!isContainer(root)) return null;
  const frames: Frame[] = [frameOf(root, null)];
  while (frames.length > 0) {
    const top = frames[frames.length - 1]!;
    const size = top.keys === null ? (top.value as unknown[]).length : top.keys.length;
    if (top.next >= size) {
      frames.pop();
      continue;
    }
    const key = top.keys === null ? top.next : top.keys[top.next]!;
    top.next += 1;
    const value = (top.value as Record<string | number, unknown>)[key];
    if (!isContainer(value)) continue;
    if (frames.length >= maxDepth) {
      let path = '$';
      for (const f of frames) if (f.key !== null) path = child(path, f.key);
      return child(path, key);
    }
    frames.push(frameOf(value, key));
  }
  return null;
}
