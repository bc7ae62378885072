// The transport's keyboard shortcuts (playground/src/lib/shortcuts.ts) as pure functions of
// a key press: which key does what, that none fires while a person types or holds Ctrl, Alt
// or Meta, that Space on a focused button is the button's; and that each action moves a real
// Transport as its button would. The narration line (lib/narration.ts) reads events in words.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../core/index.ts';
import { JUMP_KINDS } from '../../playground/src/lib/jumps.ts';
import { narrate, narrateCursor } from '../../playground/src/lib/narration.ts';
import { isTypingTarget, perform, SHORTCUTS, shortcutFor, type KeyPress, type KeyTarget } from '../../playground/src/lib/shortcuts.ts';
import { Transport } from '../../playground/src/transport.svelte.ts';

/** A trace event without its time, tag by tag. */
type Untimed<E = TraceEvent> = E extends TraceEvent ? Omit<E, 'timeMs'> : never;
const BODY: KeyTarget = { tagName: 'BODY', isContentEditable: false, role: null };
const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  target: BODY,
  ...more,
});

describe('shortcutFor', () => {
  it('maps each key to its action', () => {
    expect(shortcutFor(press(' '))).toEqual({ do: 'toggle-play' });
    expect(shortcutFor(press('ArrowRight'))).toEqual({ do: 'step', by: 1 });
    expect(shortcutFor(press('ArrowLeft'))).toEqual({ do: 'step', by: -1 });
    expect(shortcutFor(press('ArrowRight', { shiftKey: true }))).toEqual({ do: 'jump', direction: 'next' });
    expect(shortcutFor(press('ArrowLeft', { shiftKey: true }))).toEqual({ do: 'jump', direction: 'previous' });
    expect(shortcutFor(press('['))).toEqual({ do: 'slower' });
    expect(shortcutFor(press(']'))).toEqual({ do: 'faster' });
    expect(shortcutFor(press('Home'))).toEqual({ do: 'start' });
    expect(shortcutFor(press('End'))).toEqual({ do: 'end' });
    expect(shortcutFor(press('?', { shiftKey: true }))).toEqual({ do: 'help' });
    JUMP_KINDS.forEach((k, i) => expect(shortcutFor(press(String(i + 1)))).toEqual({ do: 'kind', kind: k.kind }));
  });

  it('leaves other keys alone, and digits past the kinds', () => {
    for (const key of ['a', 'Enter', 'Tab', 'Escape', 'ArrowUp', '0', String(JUMP_KINDS.length + 1), 'F5']) {
      expect(shortcutFor(press(key))).toBeNull();
    }
  });

  it('never fires while typing: in an input (the slider too), a textarea, a select, contenteditable, a textbox', () => {
    const typing: KeyTarget[] = [
      { tagName: 'INPUT', isContentEditable: false, role: null },
      { tagName: 'TEXTAREA', isContentEditable: false, role: null },
      { tagName: 'SELECT', isContentEditable: false, role: null },
      { tagName: 'DIV', isContentEditable: true, role: null },
      { tagName: 'DIV', isContentEditable: false, role: 'textbox' },
    ];
    for (const target of typing) {
      expect(isTypingTarget(target)).toBe(true);
      for (const key of [' ', 'ArrowRight', 'ArrowLeft', '[', ']', 'Home', 'End', '?', '1']) {
        expect(shortcutFor(press(key, { target }))).toBeNull();
        expect(shortcutFor(press(key, { target, shiftKey: true }))).toBeNull();
      }
    }
    expect(isTypingTarget(BODY)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });

  it('never fires with Ctrl, Alt or Meta (Alt+← is the browser’s Back)', () => {
    for (const mod of [{ ctrlKey: true }, { altKey: true }, { metaKey: true }]) {
      for (const key of [' ', 'ArrowRight', 'ArrowLeft', '[', ']', 'Home', 'End', '?', '1']) expect(shortcutFor(press(key, mod))).toBeNull();
    }
  });

  it('leaves Space to a focused button or link, but arrows still move the cursor there', () => {
    const button: KeyTarget = { tagName: 'BUTTON', isContentEditable: false, role: null };
    const roleButton: KeyTarget = { tagName: 'DIV', isContentEditable: false, role: 'button' };
    expect(shortcutFor(press(' ', { target: button }))).toBeNull();
    expect(shortcutFor(press(' ', { target: roleButton }))).toBeNull();
    expect(shortcutFor(press(' ', { target: { tagName: 'A', isContentEditable: false, role: null } }))).toBeNull();
    expect(shortcutFor(press('ArrowRight', { target: button }))).toEqual({ do: 'step', by: 1 });
    expect(shortcutFor(press(' ', { target: null }))).toEqual({ do: 'toggle-play' });
  });

  it('lists every key it knows in SHORTCUTS', () => {
    const listed = SHORTCUTS.flatMap((s) => s.keys).join(' ');
    for (const key of ['Space', '→', '←', 'Shift', '[', ']', 'Home', 'End', '?', 'Esc', ...JUMP_KINDS.map((_, i) => String(i + 1))]) {
      expect(listed).toContain(key);
    }
  });
});

const at = (timeMs: number, e: Untimed): TraceEvent => ({ ...e, timeMs }) as TraceEvent;
const fired = (timeMs: number, key: string) => at(timeMs, { tag: 'window.fired', task: 'counts#1', attempt: 1, operator: 'counts', key, start: 0, end: 2000 });
const EVENTS: TraceEvent[] = [
  at(0, { tag: 'job.status', job: 'j', status: 'RUNNING', cause: null }),
  at(1000, { tag: 'checkpoint.triggered', checkpoint: 1, savepoint: false, tasks: 2 }),
  fired(2201, 'alice'),
  at(2500, { tag: 'fault.injected', fault: 'kill-task', target: 'counts#0', description: 'the attempt of counts#0 is killed' }),
  fired(3201, 'bob'),
];

describe('perform', () => {
  it('moves a Transport as the buttons do', () => {
    const frames: ((now: number) => void)[] = [];
    const t = new Transport({ requestFrame: (cb) => frames.push(cb) });
    let helps = 0;
    const run = (key: string, more: Partial<KeyPress> = {}) => {
      const action = shortcutFor(press(key, more));
      expect(action).not.toBeNull();
      return perform(action!, t, () => helps++);
    };
    expect(run('ArrowRight')).toBe(false); // nothing loaded: nothing to move
    expect(run('?')).toBe(true); // the list of shortcuts opens all the same
    expect(helps).toBe(1);
    t.load(EVENTS, 4000, 0);
    run('Home');
    expect([t.moment!.events, t.timeMs]).toEqual([0, 0]);
    run('ArrowRight');
    run('ArrowRight');
    expect([t.moment!.events, t.timeMs]).toEqual([2, 1000]);
    run('ArrowLeft');
    expect([t.moment!.events, t.timeMs]).toEqual([1, 0]);
    run('ArrowRight', { shiftKey: true });
    expect(t.timeMs).toBe(2201);
    run('3');
    expect(t.jumpKind).toBe('failure');
    run('ArrowRight', { shiftKey: true });
    expect(t.timeMs).toBe(2500);
    run('ArrowLeft', { shiftKey: true }); // no earlier failure: it stays
    expect(t.timeMs).toBe(2500);
    expect(t.jumpMiss).toEqual({ kind: 'failure', direction: 'previous' });
    run('End');
    expect(t.timeMs).toBe(4000);
    run(' ');
    expect(t.playing).toBe(true);
    run(' ');
    expect(t.playing).toBe(false);
    const speed = t.speed;
    run(']');
    expect(t.speed).toBeGreaterThan(speed);
    run('[');
    run('[');
    expect(t.speed).toBeLessThan(speed);
  });
});

describe('narration', () => {
  it('reads the event the cursor stands on in words, times with thousands separators', () => {
    expect(narrate(null)).toBe('Before the first event.');
    expect(narrate(EVENTS[2]!)).toBe('t=2,201 ms: window [0, 2,000) of counts#1 fired for key alice');
    expect(narrate(EVENTS[1]!)).toBe('t=1,000 ms: checkpoint 1 triggered: barriers injected at the sources');
    expect(narrate(EVENTS[3]!)).toBe('t=2,500 ms: fault kill-task hit counts#0: the attempt of counts#0 is killed');
    expect(narrate(at(2500, { tag: 'task.status', task: 'counts#0', attempt: 2, status: 'FAILED', cause: 'boom' }))).toBe(
      't=2,500 ms: counts#0 (attempt 2) is FAILED: boom',
    );
    expect(narrate(fired(5, { user: 'x' } as unknown as string))).toContain('for key {"user":"x"}');
  });

  it('reads a tag it has no sentence for as the trace list does', () => {
    expect(narrate(at(7, { tag: 'something.new', task: 'm#0', n: 3 } as unknown as Untimed))).toBe('t=7 ms: something.new m#0 n=3');
  });

  it('says when a jump found nothing that way', () => {
    expect(narrateCursor(EVENTS[3]!, { kind: 'failure', direction: 'previous' })).toBe(
      'No earlier failure. t=2,500 ms: fault kill-task hit counts#0: the attempt of counts#0 is killed',
    );
    expect(narrateCursor(null, { kind: 'window', direction: 'next' })).toBe('No later window firing. Before the first event.');
    expect(narrateCursor(null, null)).toBe('Before the first event.');
  });
});
