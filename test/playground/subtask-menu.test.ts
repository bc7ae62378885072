// The context menu of a subtask in the job graph: its panel's ways to break it, and the keys
// that move in it.
import { describe, expect, it } from 'vitest';
import { menuMove, opensContextMenu, subtaskMenuItems } from '../../playground/src/lib/subtask-menu.ts';

describe('subtaskMenuItems', () => {
  it("offers the panel's faults, and its TaskManager's kill when it runs on one", () => {
    const items = subtaskMenuItems('counts#0', 'tm-1');
    expect(items.map((i) => i.label)).toEqual(['✕ kill counts#0', '⚠ throw in counts#0', 'slow ×10 for 1 s', '✕ kill tm-1']);
    expect(items.map((i) => i.action)).toEqual([
      { do: 'break', kind: 'kill-task' },
      { do: 'break', kind: 'throw-in-operator' },
      { do: 'break', kind: 'slow-task' },
      { do: 'kill-taskmanager', taskManager: 'tm-1' },
    ]);
    expect(subtaskMenuItems('counts#0', null).map((i) => i.action.do)).toEqual(['break', 'break', 'break']);
  });
});

describe('menuMove', () => {
  it('moves with the arrows and Tab, round the ends; Home and End go to the ends', () => {
    expect(menuMove('ArrowDown', false, 0, 4)).toBe(1);
    expect(menuMove('ArrowDown', false, 3, 4)).toBe(0);
    expect(menuMove('ArrowUp', false, 0, 4)).toBe(3);
    expect(menuMove('Tab', false, 1, 4)).toBe(2);
    expect(menuMove('Tab', true, 0, 4)).toBe(3);
    expect(menuMove('Home', false, 2, 4)).toBe(0);
    expect(menuMove('End', false, 0, 4)).toBe(3);
    expect(menuMove('ArrowDown', false, -1, 4)).toBe(0);
    expect(menuMove('Enter', false, 1, 4)).toBeNull();
    expect(menuMove('ArrowDown', false, 0, 0)).toBeNull();
  });

  it('opens on the menu key and Shift+F10 only', () => {
    expect(opensContextMenu('ContextMenu', false)).toBe(true);
    expect(opensContextMenu('F10', true)).toBe(true);
    expect(opensContextMenu('F10', false)).toBe(false);
    expect(opensContextMenu('Enter', false)).toBe(false);
  });
});
