/**
 * Jumps through a finished run's trace to the next or previous event of one kind: a
 * checkpoint barrier, a window firing, a failure, a completed checkpoint, a sink write.
 * The transport's cursor stands after its first `count` events (the last of them is the one
 * the view narrates); a jump forward lands on the first event of the kind after the cursor,
 * a jump back on the last one before the event the cursor stands on, so that forward then
 * back returns where it started and no event of the kind is ever skipped.
 *
 * Pure functions over the trace: the Transport keeps one position list per kind for its run
 * and asks these for the neighbour of its cursor.
 */
import type { TraceEvent } from '../../../core/index.ts';

export type JumpKind = 'barrier' | 'window' | 'failure' | 'checkpoint' | 'sink';

export interface JumpKindInfo {
  readonly kind: JumpKind;
  /** Short, for the menu. */
  readonly label: string;
  /** Singular, for the narration ("no later …") and the buttons' names. */
  readonly noun: string;
  /** Which trace events count, for the shortcut overlay and the docs. */
  readonly tags: string;
}

/** Every kind, in the order of the menu and of the number keys 1–5. */
export const JUMP_KINDS: readonly JumpKindInfo[] = [
  { kind: 'barrier', label: 'barrier', noun: 'barrier', tags: 'checkpoint.triggered, barrier.received' },
  { kind: 'window', label: 'window firing', noun: 'window firing', tags: 'window.fired' },
  { kind: 'failure', label: 'failure', noun: 'failure', tags: 'fault.injected, task.status FAILED, job.restarting, job.status FAILED' },
  { kind: 'checkpoint', label: 'checkpoint', noun: 'completed checkpoint', tags: 'checkpoint.completed' },
  { kind: 'sink', label: 'sink write', noun: 'sink write', tags: 'sink.wrote, sink.commit' },
];

export function isJumpKind(text: string): text is JumpKind {
  return JUMP_KINDS.some((k) => k.kind === text);
}

/** `failure`, `completed checkpoint`: the kind in a sentence. */
export function jumpNoun(kind: JumpKind): string {
  return JUMP_KINDS.find((k) => k.kind === kind)?.noun ?? kind;
}

/**
 * Whether `event` is of `kind`.
 * @example
 * isOfKind({ tag: 'window.fired', timeMs: 2201, ... }, 'window') // true
 */
export function isOfKind(event: TraceEvent, kind: JumpKind): boolean {
  switch (kind) {
    case 'barrier':
      return event.tag === 'checkpoint.triggered' || event.tag === 'barrier.received';
    case 'window':
      return event.tag === 'window.fired';
    case 'failure':
      return (
        event.tag === 'fault.injected' ||
        event.tag === 'job.restarting' ||
        (event.tag === 'task.status' && event.status === 'FAILED') ||
        // A job out of restarts fails with no job.restarting after it.
        (event.tag === 'job.status' && event.status === 'FAILED')
      );
    case 'checkpoint':
      return event.tag === 'checkpoint.completed';
    case 'sink':
      return event.tag === 'sink.wrote' || event.tag === 'sink.commit';
  }
}

/** The indexes of the events of `kind`, ascending. */
export function positionsOf(events: readonly TraceEvent[], kind: JumpKind): number[] {
  const positions: number[] = [];
  for (let i = 0; i < events.length; i++) if (isOfKind(events[i]!, kind)) positions.push(i);
  return positions;
}

/** The first position `>= from`, or null (binary search over ascending `positions`). */
function firstAtOrAfter(positions: readonly number[], from: number): number | null {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < positions.length ? positions[lo]! : null;
}

/** The last position `< before`, or null. */
function lastBefore(positions: readonly number[], before: number): number | null {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions[mid]! < before) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? positions[lo - 1]! : null;
}

/**
 * The index of the next event of the kind for a cursor after `count` events: the first of
 * `positions` at or after `count`, or null when there is none. The cursor lands after it
 * (`index + 1` events), at its time.
 * @example
 * nextPosition([106, 111, 168], 0) // 106
 * nextPosition([106, 111, 168], 107) // 111
 */
export function nextPosition(positions: readonly number[], count: number): number | null {
  return firstAtOrAfter(positions, Math.max(0, count));
}

/**
 * The index of the previous event of the kind for a cursor after `count` events: the last
 * of `positions` before the event the cursor stands on (index `count - 1`), or null.
 * @example
 * previousPosition([106, 111, 168], 112) // 106 (the cursor stands on 111)
 */
export function previousPosition(positions: readonly number[], count: number): number | null {
  return lastBefore(positions, count - 1);
}

/** `nextPosition` straight from the events. */
export function nextOfKind(events: readonly TraceEvent[], count: number, kind: JumpKind): number | null {
  for (let i = Math.max(0, count); i < events.length; i++) if (isOfKind(events[i]!, kind)) return i;
  return null;
}

/** `previousPosition` straight from the events. */
export function previousOfKind(events: readonly TraceEvent[], count: number, kind: JumpKind): number | null {
  for (let i = Math.min(count, events.length) - 2; i >= 0; i--) if (isOfKind(events[i]!, kind)) return i;
  return null;
}
