/**
 * A Svelte action that makes a `<dialog>` a modal dialog driven by an `open` flag: it opens
 * with `showModal()` (the rest of the page becomes inert), moves focus into it, keeps Tab and
 * Shift+Tab inside it, closes on Escape or a click on the backdrop (calling `onClose`), and
 * gives focus back to the element that had it before. The DOM glue for
 * components/ShortcutsOverlay.svelte; the browser test drives it.
 */
export interface ModalParams {
  readonly open: boolean;
  readonly onClose: () => void;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function modal(dialog: HTMLDialogElement, initial: ModalParams): { update(params: ModalParams): void; destroy(): void } {
  let params = initial;
  let opener: Element | null = null;

  const focusables = (): HTMLElement[] => [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const onKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Tab') return;
    const all = focusables();
    if (all.length === 0) return;
    const first = all[0]!;
    const last = all[all.length - 1]!;
    const active = document.activeElement;
    if (event.shiftKey && (active === first || !dialog.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  };
  // The dialog's own box is its padding-free frame: a click whose target is the dialog itself hit the backdrop.
  const onClick = (event: MouseEvent): void => {
    if (event.target === dialog) dialog.close();
  };
  // Escape closes a modal dialog by itself; `close` comes after every way of closing.
  const onClosed = (): void => {
    const back = opener;
    opener = null;
    // The opener may be a graph subtask: an SVG element, which focuses as an HTML one does.
    if ((back instanceof HTMLElement || back instanceof SVGElement) && back.isConnected) back.focus();
    if (params.open) params.onClose();
  };

  const sync = (): void => {
    if (params.open && !dialog.open) {
      opener = document.activeElement;
      dialog.showModal();
      focusables()[0]?.focus();
    } else if (!params.open && dialog.open) {
      dialog.close();
    }
  };

  dialog.addEventListener('keydown', onKeydown);
  dialog.addEventListener('click', onClick);
  dialog.addEventListener('close', onClosed);
  sync();
  return {
    update(next) {
      params = next;
      sync();
    },
    destroy() {
      dialog.removeEventListener('keydown', onKeydown);
      dialog.removeEventListener('click', onClick);
      dialog.removeEventListener('close', onClosed);
      if (dialog.open) dialog.close();
    },
  };
}
