/**
 * The context menu of a subtask in the job graph (right-click, or the menu key): the same
 * ways to break it as its panel has, in the same words, and how the keys move in the menu.
 * It adds no fault of its own: each item names a BreakKind, or the TaskManager to kill.
 */
import { SLOW_FACTOR, SLOW_FOR_MS, type BreakKind } from './breaking.ts';

export type MenuAction = { readonly do: 'break'; readonly kind: BreakKind } | { readonly do: 'kill-taskmanager'; readonly taskManager: string };

export interface MenuItem {
  readonly label: string;
  readonly title: string;
  readonly action: MenuAction;
}

/**
 * The menu of subtask `task`, which runs on `taskManager` (null: not deployed now).
 * @example subtaskMenuItems('counts#0', 'tm-1').map((i) => i.label) // ['✕ kill counts#0', '⚠ throw in counts#0', 'slow ×10 for 1 s', '✕ kill tm-1']
 */
export function subtaskMenuItems(task: string, taskManager: string | null): MenuItem[] {
  const items: MenuItem[] = [
    { label: `✕ kill ${task}`, title: 'kill this subtask now (kill-task)', action: { do: 'break', kind: 'kill-task' } },
    { label: `⚠ throw in ${task}`, title: 'its user function throws on its next record (throw-in-operator)', action: { do: 'break', kind: 'throw-in-operator' } },
    {
      label: `slow ×${SLOW_FACTOR} for ${SLOW_FOR_MS / 1000} s`,
      title: `${SLOW_FACTOR} times slower for ${SLOW_FOR_MS / 1000} s (slow-task)`,
      action: { do: 'break', kind: 'slow-task' },
    },
  ];
  if (taskManager !== null) {
    items.push({
      label: `✕ kill ${taskManager}`,
      title: `kill ${taskManager}: every subtask in its slots dies with it (kill-taskmanager)`,
      action: { do: 'kill-taskmanager', taskManager },
    });
  }
  return items;
}

/**
 * Where focus goes in a menu of `count` items on `key`, from item `index`: the arrows and
 * Tab move (round the end), Home and End go to the ends; null for any other key.
 * @example menuMove('ArrowDown', false, 3, 4) // 0
 */
export function menuMove(key: string, shiftKey: boolean, index: number, count: number): number | null {
  if (count === 0) return null;
  const around = (i: number) => (i + count) % count;
  switch (key) {
    case 'ArrowDown':
    case 'ArrowRight':
      return around(index + 1);
    case 'ArrowUp':
    case 'ArrowLeft':
      return around(index - 1);
    case 'Tab':
      return around(index + (shiftKey ? -1 : 1));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** A key that opens an element's context menu from the keyboard: the menu key, or Shift+F10. */
export function opensContextMenu(key: string, shiftKey: boolean): boolean {
  return key === 'ContextMenu' || (key === 'F10' && shiftKey);
}
