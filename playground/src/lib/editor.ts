/**
 * The scenario editor's model: a draft of a scenario file as JSON, edited as text or through
 * a few form controls (the knobs), with undo and redo as immer patch lists. Pure: every
 * function takes a model and returns the next one; the debounce of typing, storage and the
 * page live in `editor.svelte.ts` and the components.
 *
 * The draft (`doc`) is always well-formed JSON: text that does not parse stays in the text
 * box with its line and column, and the draft keeps its last well-formed value. Each change
 * of the draft is validated as `weir validate` would (`issues`, formatted as the CLI prints
 * them), and the last draft that validated (`runnable`) is what Run runs, so an invalid
 * draft never replaces the last valid scenario.
 */
import { applyPatches, enablePatches, produceWithPatches, type Patch } from 'immer';
import { formatJson, parseJsonText, type SyntaxProblem } from './json-text.ts';

enablePatches();

/** Validates a scenario's JSON: its issues as the CLI prints them, none when it is valid. */
export type CheckDraft = (data: unknown) => readonly string[];

/**
 * One undo step: the patches that made it and the ones that take it back (none when only the
 * text changed: a pause in typing that left text that is not JSON, or made it JSON again), and
 * the text box's content before and after it, so that undo and redo give back what was typed.
 */
export interface EditStep {
  readonly patches: readonly Patch[];
  readonly inverse: readonly Patch[];
  readonly textBefore: string;
  readonly textAfter: string;
}

export interface EditorModel {
  /** The shipped file the draft started from (`scenarios/NAME.json`) and its JSON. */
  readonly file: string;
  readonly base: unknown;
  /** The draft: the last well-formed JSON. */
  readonly doc: unknown;
  /** The text box's content. */
  readonly text: string;
  /** The text as the last step (or the opening) left it: what the next step starts from. */
  readonly settledText: string;
  /** Text typed since the draft last took it in (`commitText`). */
  readonly pending: boolean;
  /** Where the text stops being JSON, when it does. */
  readonly syntax: SyntaxProblem | null;
  /** The draft's validation issues, as the CLI prints them. */
  readonly issues: readonly string[];
  /** The last draft that validated, which Run runs; null when none has. */
  readonly runnable: { readonly data: unknown } | null;
  readonly past: readonly EditStep[];
  readonly future: readonly EditStep[];
}

/** Columns the editor's text is laid out in (what the side panel's text box shows without scrolling). */
export const TEXT_WIDTH = 50;
/** Undo steps kept; older ones are forgotten. */
export const MAX_UNDO = 500;

/**
 * A model over `base` (a shipped file's JSON), or over a saved draft's text when given one
 * that parses.
 * @example const model = openEditor('scenarios/late-data.json', data, check);
 */
export function openEditor(file: string, base: unknown, check: CheckDraft, savedText: string | null = null): EditorModel {
  const baseIssues = check(base);
  const baseText = formatJson(base, TEXT_WIDTH);
  const fresh: EditorModel = {
    file,
    base,
    doc: base,
    text: baseText,
    settledText: baseText,
    pending: false,
    syntax: null,
    issues: baseIssues,
    runnable: baseIssues.length === 0 ? { data: base } : null,
    past: [],
    future: [],
  };
  if (savedText === null) return fresh;
  const parsed = parseJsonText(savedText);
  if (!parsed.ok) return fresh;
  const issues = check(parsed.value);
  return { ...fresh, doc: parsed.value, text: savedText, settledText: savedText, issues, runnable: issues.length === 0 ? { data: parsed.value } : fresh.runnable };
}

/** The text box changed: kept as typed, taken into the draft by `commitText`. */
export function typeText(model: EditorModel, text: string): EditorModel {
  return text === model.text ? model : { ...model, text, pending: true };
}

/**
 * Takes the typed text into the draft: one undo step when it parses and differs from the
 * draft, and one (of text only, the draft unchanged) when it does not parse or makes text that
 * did not parse JSON again; its line and column when it does not parse.
 */
export function commitText(model: EditorModel, check: CheckDraft): EditorModel {
  if (!model.pending) return model;
  const parsed = parseJsonText(model.text);
  if (!parsed.ok) return textStep({ ...model, pending: false, syntax: parsed.problem });
  const wasBroken = model.syntax !== null || !parseJsonText(model.settledText).ok;
  const settled = { ...model, pending: false, syntax: null };
  if (!sameJson(parsed.value, model.doc)) return changeTo(settled, parsed.value, check, model.text);
  // Layout alone (spaces, line breaks) is no step, unless it mends text that was not JSON.
  return wasBroken ? textStep(settled) : { ...settled, settledText: model.text };
}

/** The text changed and the draft did not: a step of text only, if the text differs from the last step's. */
function textStep(model: EditorModel): EditorModel {
  if (model.text === model.settledText) return model;
  const step: EditStep = { patches: [], inverse: [], textBefore: model.settledText, textAfter: model.text };
  return { ...model, settledText: model.text, past: [...model.past, step].slice(-MAX_UNDO), future: [] };
}

/** True when the draft differs from the shipped file. */
export function isEdited(model: EditorModel): boolean {
  return !sameJson(model.doc, model.base);
}

export const canUndo = (model: EditorModel): boolean => model.past.length > 0;
export const canRedo = (model: EditorModel): boolean => model.future.length > 0;

/** Takes back the last step (typed text not yet taken in is taken in first, so it is a step too). */
export function undo(model: EditorModel, check: CheckDraft): EditorModel {
  const current = commitText(model, check);
  const step = current.past[current.past.length - 1];
  if (step === undefined) return current;
  const doc = step.inverse.length === 0 ? current.doc : (applyPatches(current.doc as object, step.inverse as Patch[]) as unknown);
  return restore({ ...current, past: current.past.slice(0, -1), future: [...current.future, step] }, doc, step.textBefore, check);
}

/** Makes again the last step taken back. */
export function redo(model: EditorModel, check: CheckDraft): EditorModel {
  const current = commitText(model, check);
  const step = current.future[current.future.length - 1];
  if (step === undefined) return current;
  const doc = step.patches.length === 0 ? current.doc : (applyPatches(current.doc as object, step.patches as Patch[]) as unknown);
  return restore({ ...current, past: [...current.past, step], future: current.future.slice(0, -1) }, doc, step.textAfter, check);
}

/**
 * The draft `doc` with the text a step recorded: as typed, with its syntax problem when it is
 * not JSON; laid out from the draft when it is JSON of something else (a draft another tab sent).
 */
function restore(model: EditorModel, doc: unknown, text: string, check: CheckDraft): EditorModel {
  const parsed = parseJsonText(text);
  if (parsed.ok && !sameJson(parsed.value, doc)) return settle(model, doc, check);
  const settled = settle(model, doc, check, text);
  return parsed.ok ? settled : { ...settled, syntax: parsed.problem };
}

/** Back to the shipped file, as one step (so Undo brings the edits back). */
export function revert(model: EditorModel, check: CheckDraft): EditorModel {
  // Typing not yet taken in is a step first, so that Undo brings it back too.
  const settled = { ...commitText(model, check), syntax: null };
  if (sameJson(model.doc, model.base)) return settle(settled, model.doc, check);
  return changeTo(settled, model.base, check);
}

/** The draft's text to save or export: the typed text when the draft took it in, else the draft laid out. */
export function draftText(model: EditorModel): string {
  return model.pending || model.syntax !== null ? formatJson(model.doc, TEXT_WIDTH) : model.text;
}

/**
 * The draft becomes `next`, as one undo step recorded by immer; the text is the draft laid
 * out again unless `text` (the typed text it came from) is given.
 */
export function changeTo(model: EditorModel, next: unknown, check: CheckDraft, text?: string): EditorModel {
  const [doc, patches, inverse] = produceWithPatches(model.doc, (draft: unknown) => reconcile(draft, next));
  if (patches.length === 0) return text === undefined ? model : { ...model, text, settledText: text };
  const settledDoc = settle({ ...model, future: [] }, doc, check, text);
  const step: EditStep = { patches, inverse, textBefore: model.settledText, textAfter: settledDoc.text };
  return { ...settledDoc, past: [...model.past, step].slice(-MAX_UNDO) };
}

function settle(model: EditorModel, doc: unknown, check: CheckDraft, text?: string): EditorModel {
  const issues = check(doc);
  const shown = text ?? formatJson(doc, TEXT_WIDTH);
  return {
    ...model,
    doc,
    text: shown,
    settledText: shown,
    pending: false,
    syntax: null,
    issues,
    runnable: issues.length === 0 ? { data: doc } : model.runnable,
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Equal as JSON text: the same values, with object keys in the same order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    const other = Object.keys(b);
    return keys.length === other.length && keys.every((key, i) => key === other[i] && sameJson(a[key], b[key]));
  }
  return false;
}

/**
 * Makes `draft` equal to `next` with the fewest patches: a list or object whose shape (length,
 * keys and their order) is unchanged is changed member by member, anything else is replaced
 * whole, so that undo puts keys back in their order. Returns the replacement at the root.
 */
function reconcile(draft: unknown, next: unknown): unknown {
  if (!sameShape(draft, next)) return next;
  const target = draft as Record<string, unknown>;
  const source = next as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (sameJson(target[key], source[key])) continue;
    if (sameShape(target[key], source[key])) reconcile(target[key], source[key]);
    else target[key] = source[key];
  }
  return undefined;
}

function sameShape(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length;
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a);
  const other = Object.keys(b);
  return keys.length === other.length && keys.every((key, i) => key === other[i]);
}

/** What a keydown in the editor asks for: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl/Cmd+Y redo. */
export function shortcutOf(event: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !event.shiftKey) return 'redo';
  return null;
}

export type { Json, SyntaxProblem };
