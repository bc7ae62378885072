/**
 * A record's value for reading in a table: an object reads as its fields, `key a · window
 * [0, 1,000) · value 2`, each field a unit that a line may end after but never inside, so
 * no word is cut in two; the exact JSON stays one toggle (or tooltip) away, and even that
 * breaks only after a comma.
 */
import { compactJson, formatCount } from './format.ts';

export interface RecordField {
  readonly name: string;
  readonly text: string;
}

/** Longer values are cut: a table cell is for reading, the report has the rest. */
const MAX_FIELD_CHARS = 120;
const MAX_FIELDS = 12;
/** The exact JSON, in a tooltip or the JSON view, up to this many characters. */
export const MAX_EXACT_CHARS = 2_000;

/**
 * The fields of an object value, for reading; null for anything else (a number, a string,
 * a list), which reads best as JSON.
 * @example recordFields({ key: 'a', window: { start: 0, end: 1000 }, value: 2 })
 * // [{ name: 'key', text: 'a' }, { name: 'window', text: '[0, 1,000)' }, { name: 'value', text: '2' }]
 */
export function recordFields(value: unknown): RecordField[] | null {
  if (!isPlainObject(value)) return null;
  const entries = Object.entries(value);
  if (entries.length === 0) return null;
  const fields = entries.slice(0, MAX_FIELDS).map(([name, v]) => ({ name, text: cut(fieldText(v)) }));
  const more = entries.length - fields.length;
  if (more > 0) fields.push({ name: '…', text: `${formatCount(more)} more field${more === 1 ? '' : 's'}` });
  return fields;
}

/** `key a · window [0, 1,000) · value 2`, or JSON for a value that is not an object. */
export function readableRecord(value: unknown): string {
  const fields = recordFields(value);
  return fields === null ? spacedJson(value) : fields.map((f) => `${f.name} ${f.text}`).join(' · ');
}

/** The exact JSON of a value, cut only past MAX_EXACT_CHARS. */
export function exactJson(value: unknown): string {
  return compactJson(value, MAX_EXACT_CHARS);
}

/**
 * JSON text in pieces that each end after a comma: a line may break between pieces (at a
 * field or item boundary), never inside one.
 * @example jsonPieces('{"a":1,"b":[2,3]}') // ['{"a":1,', '"b":[2,', '3]}']
 */
export function jsonPieces(text: string): string[] {
  return text.split(/(?<=,)/);
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? formatCount(value) : String(value);
  if (isWindow(value)) return `[${formatCount(value.start)}, ${formatCount(value.end)})`;
  return spacedJson(value);
}

/** JSON with a space after each comma and colon, so that it wraps at its boundaries. */
function spacedJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, 1);
  } catch {
    text = undefined;
  }
  if (text === undefined) return compactJson(value, MAX_FIELD_CHARS);
  // JSON.stringify escapes line breaks inside strings, so every real one is layout.
  const spaced = text
    .replace(/([{[])\n\s*/g, '$1')
    .replace(/\n\s*([}\]])/g, '$1')
    .replace(/\n\s*/g, ' ');
  return cut(spaced);
}

function cut(text: string): string {
  return text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS - 1)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A time window as the engine writes it: `{ start, end }`, integers, nothing else. */
function isWindow(value: unknown): value is { start: number; end: number } {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 2 && Number.isSafeInteger(value['start']) && Number.isSafeInteger(value['end']);
}
