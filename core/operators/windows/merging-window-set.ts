/**
 * Session windows grow by merging, and merging would be expensive if it meant moving
 * state: a long session would be copied every time an element extended it. Flink avoids
 * the copy with a level of indirection, the MergingWindowSet. Each key keeps a map from
 * its current windows to the "state window" under which their contents are stored. When
 * windows merge, the merged window takes over the state window of one of them, and only
 * the contents of the others are folded into it. The windows that disappeared lose their
 * timers; the merged window gets new ones.
 *
 * One element can bridge two sessions: with a gap of 10, sessions [0, 15) and [20, 30)
 * stay apart until an element at 12 opens [12, 22), which touches both, and all three
 * become one session [0, 30) holding the contents of both.
 *
 * The map itself is keyed state (one list per key), so it is snapshotted and restored with
 * the contents it points to, and it disappears when the key's last window is cleaned up.
 */
import { assert } from '../../kernel/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { DEFAULT_NAMESPACE, type KeyedStateBackend } from '../../state/index.ts';
import type { WindowAssigner } from './assigners.ts';
import { compareWindows, sameWindow, windowNamespace, type TimeWindow } from './time-window.ts';

/** The keyed state holding each key's window -> state window map. */
export const MERGING_SET_STATE = 'window-merging-set';

/**
 * Called when windows merge: `merged` (the windows that existed before and disappear into
 * `result`) and the state windows whose contents must be folded into `resultStateWindow`.
 */
export type MergeFunction = (result: TimeWindow, merged: readonly TimeWindow[], resultStateWindow: TimeWindow, mergedStateWindows: readonly TimeWindow[]) => void;

interface Entry {
  readonly window: TimeWindow;
  readonly stateWindow: TimeWindow;
}

/**
 * The current key's session windows and where their state lives (Flink's MergingWindowSet).
 * Load it after setting the key, change it, then `persist()`.
 * @example
 * const set = new MergingWindowSet(backend, assigner);
 * const actual = set.addWindow({ start: 12, end: 22 }, onMerge); // [0, 30) if it bridged two sessions
 * set.stateWindowOf(actual); // where [0, 30)'s contents are stored
 * set.persist();
 */
export class MergingWindowSet {
  readonly #mapping = new Map<string, Entry>();
  #changed = false;

  constructor(
    private readonly backend: KeyedStateBackend,
    private readonly assigner: WindowAssigner,
  ) {
    backend.setCurrentNamespace(DEFAULT_NAMESPACE);
    const stored = backend.get(MERGING_SET_STATE) as number[][] | undefined;
    for (const [start, end, stateStart, stateEnd] of stored ?? []) {
      const window = { start: start!, end: end! };
      this.#mapping.set(windowNamespace(window), { window, stateWindow: { start: stateStart!, end: stateEnd! } });
    }
  }

  /** The state window of a current window, or null when the window is not (or no longer) one. */
  stateWindowOf(window: TimeWindow): TimeWindow | null {
    return this.#mapping.get(windowNamespace(window))?.stateWindow ?? null;
  }

  /** Forgets a window whose state has been cleaned up (or that was late on arrival). */
  retireWindow(window: TimeWindow): void {
    const removed = this.#mapping.delete(windowNamespace(window));
    assert(removed, () => `window [${window.start}, ${window.end}) is not in the merging window set`);
    this.#changed = true;
  }

  /**
   * Adds the window of a new element, merging it with the windows it overlaps or touches.
   * Returns the window the element now belongs to: its own, or the merged one.
   */
  addWindow(newWindow: TimeWindow, onMerge: MergeFunction): TimeWindow {
    const windows = [...this.#mapping.values()].map((e) => e.window).sort(compareWindows);
    windows.push(newWindow);
    const groups: { result: TimeWindow; members: TimeWindow[] }[] = [];
    this.assigner.mergeWindows(windows, (members, result) => groups.push({ result, members: members.slice() }));

    let resultWindow = newWindow;
    let mergedNewWindow = false;
    for (const { result, members } of groups) {
      const own = members.findIndex((w) => sameWindow(w, newWindow));
      if (own >= 0) {
        members.splice(own, 1);
        mergedNewWindow = true;
        resultWindow = result;
      }
      // The merged window keeps the state window of its earliest member: no copy for it.
      const resultStateWindow = this.#mapping.get(windowNamespace(members[0]!))!.stateWindow;
      const mergedStateWindows: TimeWindow[] = [];
      for (const member of members) {
        const key = windowNamespace(member);
        const entry = this.#mapping.get(key);
        if (entry === undefined) continue;
        this.#mapping.delete(key);
        if (!sameWindow(entry.stateWindow, resultStateWindow)) mergedStateWindows.push(entry.stateWindow);
      }
      this.#mapping.set(windowNamespace(result), { window: result, stateWindow: resultStateWindow });
      this.#changed = true;
      // A new element inside an existing window changes nothing: there is nothing to merge.
      const onlyItself = members.length === 1 && sameWindow(members[0]!, result);
      if (!onlyItself) onMerge(result, members, resultStateWindow, mergedStateWindows);
    }
    if (groups.length === 0 || (sameWindow(resultWindow, newWindow) && !mergedNewWindow)) {
      // A new session on its own: it stores its state under itself.
      this.#mapping.set(windowNamespace(resultWindow), { window: resultWindow, stateWindow: resultWindow });
      this.#changed = true;
    }
    return resultWindow;
  }

  /** Current windows, in start order. */
  windows(): TimeWindow[] {
    return [...this.#mapping.values()].map((e) => e.window).sort(compareWindows);
  }

  /** Writes the map back to keyed state (or removes it when the key has no windows left). */
  persist(): void {
    if (!this.#changed) return;
    this.#changed = false;
    this.backend.setCurrentNamespace(DEFAULT_NAMESPACE);
    if (this.#mapping.size === 0) {
      this.backend.remove(MERGING_SET_STATE);
      return;
    }
    const rows: JsonValue = [...this.#mapping.values()]
      .sort((a, b) => compareWindows(a.window, b.window))
      .map((e) => [e.window.start, e.window.end, e.stateWindow.start, e.stateWindow.end]);
    this.backend.put(MERGING_SET_STATE, rows);
  }
}
