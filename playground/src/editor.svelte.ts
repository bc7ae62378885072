/**
 * The scenario editor's shell around the pure model of `lib/editor.ts`: which scenario it is
 * open on, the pause in typing after which typed text is taken in (one undo step per pause),
 * and the drafts kept by scenario name, in memory and (through `onKeep`) in IndexedDB. The
 * session reads `runnable` to run the last valid draft; the components call the rest.
 */
import {
  canRedo,
  canUndo,
  commitText,
  draftText,
  isEdited,
  openEditor,
  redo,
  revert,
  typeText,
  undo,
  type CheckDraft,
  type EditorModel,
} from './lib/editor.ts';
import { knobsOf, setKnob, type KnobChange, type Knobs } from './lib/knobs.ts';
import { parseJsonText } from './lib/json-text.ts';
import { SvelteMap } from 'svelte/reactivity';
import type { CatalogEntry } from './scenarios.ts';

/** The pause in typing after which the text is validated and taken in, in ms. */
export const TYPING_PAUSE_MS = 300;

export interface DraftEditorOptions {
  /** The validator for drafts of `file` (issues as the CLI prints them). */
  checkerFor: (file: string) => CheckDraft;
  /** A draft to keep (its text), or to forget (null: it is the shipped file again). */
  onKeep?: (scenario: string, text: string | null) => void;
  setTimeout?: (callback: () => void, ms: number) => unknown;
}

export class DraftEditor {
  readonly #options: DraftEditorOptions;
  #check: CheckDraft = () => [];
  #typing = 0;
  /** The drafts of this page and of storage, by scenario name. */
  readonly #kept = new SvelteMap<string, string>();

  /** The scenario the editor is open on; '' before any. */
  scenario = $state('');
  model = $state.raw<EditorModel | null>(null);
  /** True when a kept draft of this scenario was not opened (the address asked for the shipped file). */
  shelved = $state(false);
  /** True when another tab changed the open draft and this editor took its version (one undo step back). */
  changedElsewhere = $state(false);

  readonly knobs: Knobs | null;
  readonly edited: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;

  constructor(options: DraftEditorOptions) {
    this.#options = options;
    this.knobs = $derived(this.model === null ? null : knobsOf(this.model.doc));
    this.edited = $derived(this.model !== null && isEdited(this.model));
    this.canUndo = $derived(this.model !== null && (canUndo(this.model) || this.model.pending));
    this.canRedo = $derived(this.model !== null && canRedo(this.model));
  }

  /** Drafts read from storage: each opens the next time its scenario does. */
  keepAll(drafts: readonly { scenario: string; text: string }[]): void {
    for (const d of drafts) this.#kept.set(d.scenario, d.text);
  }

  /**
   * Opens the editor on `entry`: its kept draft, unless `draft` is false (then the shipped
   * file, and the kept draft is offered).
   */
  open(entry: CatalogEntry, draft = true): void {
    // Typing not yet taken in belongs to the draft being left.
    this.flush();
    this.#check = this.#options.checkerFor(entry.file);
    const kept = this.#kept.get(entry.name) ?? null;
    this.scenario = entry.name;
    this.model = openEditor(entry.file, entry.data, this.#check, draft ? kept : null);
    this.shelved = !draft && kept !== null;
    this.changedElsewhere = false;
  }

  /**
   * Another tab kept a draft of `scenario` (null: it went back to the shipped file). The
   * newest draft is what storage holds, so an editor open on it takes it, as one undo step:
   * Undo brings back what this tab had, which is then kept again.
   */
  receiveKept(scenario: string, text: string | null): void {
    if (text === null) this.#kept.delete(scenario);
    else this.#kept.set(scenario, text);
    const model = this.model;
    if (model === null || scenario !== this.scenario) return;
    const mine = isEdited(model) ? draftText(model) : null;
    if (mine === text) return;
    this.#typing++;
    const next = text === null ? revert(model, this.#check) : commitText(typeText({ ...model, pending: false, syntax: null }, text), this.#check);
    if (next === model) return;
    this.model = next;
    this.shelved = false;
    this.changedElsewhere = true;
  }

  /** After drafts arrive from storage: offers the open scenario's, when the shipped file is open and untouched. */
  offerKept(): void {
    const model = this.model;
    if (model !== null && !isEdited(model) && model.past.length === 0) this.shelved = this.#kept.has(this.scenario);
  }

  /** Opens the kept draft that `open` set aside. */
  openShelved(entry: CatalogEntry): void {
    if (entry.name === this.scenario) this.open(entry, true);
  }

  /** The data Run runs for `name`: the last valid draft (or the draft, to show why it cannot run); undefined when the editor is on another scenario. */
  runnableFor(name: string): { data: unknown } | undefined {
    const model = this.model;
    if (model === null || name !== this.scenario) return undefined;
    return model.runnable ?? { data: model.doc };
  }

  /** True when the draft has problems and Run runs an earlier version of it. */
  get runsEarlier(): boolean {
    const model = this.model;
    return model !== null && model.runnable !== null && model.runnable.data !== model.doc;
  }

  type(text: string): void {
    if (this.model === null) return;
    this.changedElsewhere = false;
    this.model = typeText(this.model, text);
    const typing = ++this.#typing;
    const schedule = this.#options.setTimeout ?? ((callback, ms) => globalThis.setTimeout(callback, ms));
    schedule(() => {
      if (typing === this.#typing) this.flush();
    }, TYPING_PAUSE_MS);
  }

  /** Takes in the typed text now (the pause in typing, or before undo, run or export). */
  flush(): void {
    this.#typing++;
    this.#update((m) => commitText(m, this.#check));
  }

  undo(): void {
    this.#typing++;
    this.#update((m) => undo(m, this.#check));
  }

  redo(): void {
    this.#typing++;
    this.#update((m) => redo(m, this.#check));
  }

  setKnob(knobChange: KnobChange): void {
    this.flush();
    this.#update((m) => setKnob(m, knobChange, this.#check));
  }

  /** Back to the shipped file (one undo step). */
  revert(): void {
    this.#typing++;
    this.#update((m) => revert(m, this.#check));
  }

  /** The draft as a file to download: `late-data-edited.json` and its text. */
  exportFile(): { filename: string; text: string } | null {
    this.flush();
    const model = this.model;
    if (model === null) return null;
    const base = this.scenario.slice(this.scenario.lastIndexOf('/') + 1) || 'scenario';
    return { filename: `${base}${this.edited ? '-edited' : ''}.json`, text: `${draftText(model)}\n` };
  }

  #update(step: (model: EditorModel) => EditorModel): void {
    const before = this.model;
    if (before === null) return;
    const after = step(before);
    if (after === before) return;
    this.model = after;
    if (after.doc !== before.doc) this.#keep(after);
  }

  #keep(model: EditorModel): void {
    const name = this.scenario;
    this.shelved = false;
    if (isEdited(model)) {
      const text = draftText(model);
      if (this.#kept.get(name) === text) return;
      this.#kept.set(name, text);
      this.#options.onKeep?.(name, text);
    } else if (this.#kept.delete(name)) {
      this.#options.onKeep?.(name, null);
    }
  }
}

/** Whether a saved draft's text can be opened (it is JSON); null when it can, else why not. */
export function unreadableDraft(text: string): string | null {
  const parsed = parseJsonText(text);
  return parsed.ok ? null : `line ${parsed.problem.line}, column ${parsed.problem.column}: ${parsed.problem.message}`;
}
