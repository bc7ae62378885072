/**
 * The transport's keyboard shortcuts: which key does what (a pure function of the key press,
 * so Node tests read it without a browser), the list the `?` overlay shows, and the small
 * adapter the page's keydown listener calls. A key never acts while a person types (in an
 * input, a textarea, a select, or anything contenteditable), never with Ctrl, Alt or Meta
 * (those belong to the browser: Alt+← is Back), and Space on a focused button is left to
 * the button.
 */
import { JUMP_KINDS, type JumpKind } from './jumps.ts';

export type ShortcutAction =
  | { readonly do: 'toggle-play' }
  | { readonly do: 'step'; readonly by: 1 | -1 }
  | { readonly do: 'jump'; readonly direction: 'next' | 'previous' }
  | { readonly do: 'slower' }
  | { readonly do: 'faster' }
  | { readonly do: 'start' }
  | { readonly do: 'end' }
  | { readonly do: 'kind'; readonly kind: JumpKind }
  | { readonly do: 'help' };

/** What a shortcut needs to know of the element a key press went to. */
export interface KeyTarget {
  /** Upper case, as the DOM gives it (`INPUT`, `BUTTON`). */
  readonly tagName: string;
  readonly isContentEditable: boolean;
  readonly role: string | null;
}

export interface KeyPress {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly target: KeyTarget | null;
}

/** Elements where keys are text (or the control's own): shortcuts stay out of them. */
const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
/** Elements that Space activates by themselves. */
const PRESSABLE_TAGS = new Set(['BUTTON', 'A', 'SUMMARY']);
const PRESSABLE_ROLES = new Set(['button', 'link', 'checkbox', 'switch', 'menuitem', 'tab', 'option']);

export function isTypingTarget(target: KeyTarget | null): boolean {
  if (target === null) return false;
  return TYPING_TAGS.has(target.tagName) || target.isContentEditable || target.role === 'textbox' || target.role === 'combobox';
}

function isPressable(target: KeyTarget | null): boolean {
  return target !== null && (PRESSABLE_TAGS.has(target.tagName) || (target.role !== null && PRESSABLE_ROLES.has(target.role)));
}

/**
 * The action of a key press, or null when the key is not a shortcut here.
 * @example
 * shortcutFor({ key: 'ArrowRight', shiftKey: true, ctrlKey: false, altKey: false, metaKey: false, target: null })
 * // { do: 'jump', direction: 'next' }
 */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  if (isTypingTarget(press.target)) return null;
  if (press.metaKey || press.ctrlKey || press.altKey) return null;
  const plain = !press.shiftKey;
  switch (press.key) {
    case ' ':
    case 'Spacebar':
      return plain && !isPressable(press.target) ? { do: 'toggle-play' } : null;
    case 'ArrowRight':
      return plain ? { do: 'step', by: 1 } : { do: 'jump', direction: 'next' };
    case 'ArrowLeft':
      return plain ? { do: 'step', by: -1 } : { do: 'jump', direction: 'previous' };
    case '[':
      return { do: 'slower' };
    case ']':
      return { do: 'faster' };
    case 'Home':
      return plain ? { do: 'start' } : null;
    case 'End':
      return plain ? { do: 'end' } : null;
    case '?':
      return { do: 'help' };
  }
  const digit = /^[1-9]$/.test(press.key) ? Number(press.key) : 0;
  const kind = JUMP_KINDS[digit - 1];
  return kind !== undefined && plain ? { do: 'kind', kind: kind.kind } : null;
}

/** What the shortcuts drive: the Transport's methods. */
export interface ShortcutTransport {
  readonly loaded: boolean;
  togglePlay(): void;
  step(): void;
  stepBack(): void;
  jumpNext(): boolean;
  jumpPrevious(): boolean;
  slower(): void;
  faster(): void;
  toStart(): void;
  toEnd(): void;
  setJumpKind(kind: JumpKind): void;
}

/** Carries out `action`; false when it could not act (no run loaded yet). */
export function perform(action: ShortcutAction, transport: ShortcutTransport, openHelp: () => void): boolean {
  if (action.do === 'help') {
    openHelp();
    return true;
  }
  if (!transport.loaded) return false;
  switch (action.do) {
    case 'toggle-play':
      transport.togglePlay();
      break;
    case 'step':
      if (action.by === 1) transport.step();
      else transport.stepBack();
      break;
    case 'jump':
      if (action.direction === 'next') transport.jumpNext();
      else transport.jumpPrevious();
      break;
    case 'slower':
      transport.slower();
      break;
    case 'faster':
      transport.faster();
      break;
    case 'start':
      transport.toStart();
      break;
    case 'end':
      transport.toEnd();
      break;
    case 'kind':
      transport.setJumpKind(action.kind);
      break;
  }
  return true;
}

export interface ShortcutLine {
  readonly keys: readonly string[];
  readonly does: string;
}

/** Every shortcut, as the `?` overlay and docs/playground.md list them. */
export const SHORTCUTS: readonly ShortcutLine[] = [
  { keys: ['Space'], does: 'Play / pause' },
  { keys: ['→'], does: 'Step one trace event forward' },
  { keys: ['←'], does: 'Step one trace event back' },
  { keys: ['Shift', '→'], does: 'Jump to the next event of the chosen kind' },
  { keys: ['Shift', '←'], does: 'Jump to the previous event of the chosen kind' },
  ...JUMP_KINDS.map((k, i) => ({ keys: [String(i + 1)], does: `Jumps go to each ${k.noun} (${k.tags})` })),
  { keys: ['['], does: 'Play slower' },
  { keys: [']'], does: 'Play faster' },
  { keys: ['Home'], does: 'To the start, before the first event' },
  { keys: ['End'], does: 'To the end of the run' },
  { keys: ['?'], does: 'Show this list' },
  { keys: ['Esc'], does: 'Close this list' },
];

/** The DOM's element as a KeyTarget. */
export function keyTargetOf(target: EventTarget | null): KeyTarget | null {
  if (target === null || typeof (target as Partial<HTMLElement>).tagName !== 'string') return null;
  const element = target as HTMLElement;
  return { tagName: element.tagName.toUpperCase(), isContentEditable: element.isContentEditable === true, role: element.getAttribute('role') };
}

/** The shortcuts' overlay, as the listener sees it. */
export interface ShortcutHelp {
  /** While it is open, it has the keys (Escape closes it) and the transport behind it gets none. */
  readonly open: boolean;
  show(): void;
}

/**
 * The page's keydown listener: acts on a shortcut and keeps the browser from also scrolling
 * (Space, Home, End, arrows). Leaves alone presses another listener already handled.
 */
export function handleShortcutKey(event: KeyboardEvent, transport: ShortcutTransport, help: ShortcutHelp): void {
  if (help.open || event.defaultPrevented || event.isComposing) return;
  const action = shortcutFor({
    key: event.key,
    shiftKey: event.shiftKey,
    ctrlKey: event.ctrlKey,
    altKey: event.altKey,
    metaKey: event.metaKey,
    target: keyTargetOf(event.target),
  });
  if (action !== null && perform(action, transport, () => help.show())) event.preventDefault();
}
