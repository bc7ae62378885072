// A value of a run as the timeline prints it: its JSON, shortened past a few hundred
// characters. A timeline line is read by a person; a 5 MB string or a state that doubled
// twenty times would be one line of megabytes that nobody reads and every terminal chokes
// on. `--json` and `--trace FILE` keep every value whole.

/** Characters of a value's JSON that a timeline line shows before it cuts the rest. */
export const MAX_VALUE_CHARS = 300;

const count = (n: number): string => n.toLocaleString('en-US');

/**
 * JSON.stringify's text (the record's own key order), or, when that is longer than
 * MAX_VALUE_CHARS, its first characters, '…' and how big the whole is. The text is built
 * only up to the cut, so a huge value costs the walk that counts it, not its text.
 * @example jsonText('a'.repeat(5_000_000)) // '"aaa…aaa…" (5,000,000 characters)' (299 a's: 300 characters of JSON)
 * @example jsonText({ l: [], r: [] }) // '{"l":[],"r":[]}'
 */
export function jsonText(value: unknown): string {
  const { text, cut } = jsonPrefix(value, MAX_VALUE_CHARS);
  if (!cut) return text;
  return typeof value === 'string' ? `${text}…" (${count(value.length)} characters)` : `${text}… (${count(countValues(value))} values)`;
}

/** `s` JSON-quoted, cut after `n` of its characters, without the closing quote; never half a surrogate pair. */
function quotedPrefix(s: string, n: number): string {
  const end = n > 0 && isHighSurrogate(s.charCodeAt(n - 1)) ? n - 1 : n;
  return JSON.stringify(s.slice(0, end)).slice(0, -1);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

type Frame = { list: readonly unknown[]; next: number } | { object: Readonly<Record<string, unknown>>; keys: string[]; next: number; written: number };

/**
 * The text JSON.stringify gives `value`, written until it is longer than `max` characters
 * (`cut`: it was, and the text stops there). Iterative: a value nested deeper than the call
 * stack prints like any other.
 */
export function jsonPrefix(value: unknown, max: number): { text: string; cut: boolean } {
  let text = '';
  const stack: Frame[] = [];
  let pending: unknown = value;
  let hasPending = true;
  while (text.length <= max) {
    if (hasPending) {
      hasPending = false;
      const v = pending;
      if (typeof v === 'string') text += v.length > max - text.length ? quotedPrefix(v, max - text.length + 1) : JSON.stringify(v);
      else if (typeof v !== 'object' || v === null) text += JSON.stringify(v) ?? 'null';
      else if (Array.isArray(v)) {
        text += '[';
        stack.push({ list: v, next: 0 });
      } else {
        text += '{';
        stack.push({ object: v as Record<string, unknown>, keys: Object.keys(v), next: 0, written: 0 });
      }
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return { text, cut: false };
    if ('list' in top) {
      if (top.next === top.list.length) {
        text += ']';
        stack.pop();
        continue;
      }
      if (top.next > 0) text += ',';
      pending = top.list[top.next++];
      // JSON.stringify writes a hole or an undefined element as null.
      if (pending === undefined) pending = null;
      hasPending = true;
      continue;
    }
    if (top.next === top.keys.length) {
      text += '}';
      stack.pop();
      continue;
    }
    const key = top.keys[top.next++]!;
    const member = top.object[key];
    if (member === undefined) continue;
    text += `${top.written++ > 0 ? ',' : ''}${JSON.stringify(key)}:`;
    pending = member;
    hasPending = true;
  }
  return { text: text.slice(0, max > 0 && isHighSurrogate(text.charCodeAt(max - 1)) ? max - 1 : max), cut: true };
}

/**
 * The lists, objects and scalars in `value` counted as a tree, each every time it appears
 * (as the expression language's value limit counts them). A list or object met again is
 * counted from what it came to the first time: `{l: s, r: s}` built twenty times over is
 * twenty distinct objects, not a walk of a million.
 */
export function countValues(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1;
  const sizes = new Map<object, number>();
  const stack: object[] = [value];
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    if (sizes.has(node)) {
      stack.pop();
      continue;
    }
    const members = Array.isArray(node) ? node : Object.values(node).filter((m) => m !== undefined);
    let waiting = false;
    for (const m of members) {
      if (typeof m === 'object' && m !== null && !sizes.has(m)) {
        stack.push(m);
        waiting = true;
      }
    }
    if (waiting) continue;
    let n = 1;
    for (const m of members) n += typeof m === 'object' && m !== null ? sizes.get(m)! : 1;
    sizes.set(node, n);
    stack.pop();
  }
  return sizes.get(value)!;
}
