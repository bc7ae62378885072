/**
 * JSON text for the scenario editor: where a draft's syntax error is (line and column, the
 * same in every browser, since JavaScript engines word and place JSON.parse's errors
 * differently), and a compact layout for showing a scenario as text, with short lists and
 * objects on one line as the shipped files write them.
 */

/** Where and why a text is not JSON. Line and column count from 1 (columns in UTF-16 code units). */
export interface SyntaxProblem {
  message: string;
  line: number;
  column: number;
  /** Offset in the text, from 0. */
  offset: number;
}

export type ParsedText = { ok: true; value: unknown } | { ok: false; problem: SyntaxProblem };

/**
 * Parses `text` as JSON, or says where it stops being JSON.
 * @example parseJsonText('{"a": 1,}') // { ok: false, problem: { line: 1, column: 9, message: … } }
 */
export function parseJsonText(text: string): ParsedText {
  const problem = locateJsonError(text);
  if (problem !== null) return { ok: false, problem };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // The scanner and JSON.parse agree on the grammar; this is only a safety net.
    return { ok: false, problem: problemAt(text, 0, error instanceof Error ? error.message : String(error)) };
  }
}

function problemAt(text: string, offset: number, message: string): SyntaxProblem {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { message, line, column: offset - lineStart + 1, offset };
}

type Expect = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'commaOrEnd' | 'end';

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/**
 * The first place where `text` is not JSON (RFC 8259), or null when it is. An explicit
 * stack of open lists and objects, so any depth of nesting is safe.
 */
export function locateJsonError(text: string): SyntaxProblem | null {
  const open: number[] = [];
  let expect: Expect = 'value';
  let i = 0;
  const fail = (at: number, message: string): SyntaxProblem => problemAt(text, at, message);
  /** What comes after a complete value. */
  const afterValue = (): Expect => (open.length === 0 ? 'end' : 'commaOrEnd');
  for (;;) {
    while (i < text.length && isWs(text.charCodeAt(i))) i++;
    if (i >= text.length) {
      if (expect === 'end') return null;
      if (open.length === 0 && expect === 'value') return fail(i, 'the text is empty: expected a JSON value');
      return fail(i, `the text ends inside ${open[open.length - 1] === 0x7b ? 'an object' : 'a list'}: a closing ${open[open.length - 1] === 0x7b ? "'}'" : "']'"} is missing`);
    }
    const c = text.charCodeAt(i);
    switch (expect) {
      case 'end':
        return fail(i, 'unexpected text after the end of the JSON value');
      case 'colon':
        if (c !== 0x3a) return fail(i, "expected ':' after a property name");
        i++;
        expect = 'value';
        continue;
      case 'commaOrEnd': {
        const top = open[open.length - 1]!;
        const close = top === 0x7b ? 0x7d : 0x5d;
        if (c === 0x2c) {
          i++;
          expect = top === 0x7b ? 'key' : 'value';
        } else if (c === close) {
          i++;
          open.pop();
          expect = afterValue();
        } else {
          return fail(i, top === 0x7b ? "expected ',' or '}' after a property value" : "expected ',' or ']' after a list item");
        }
        continue;
      }
      case 'key':
      case 'keyOrEnd':
        if (c === 0x7d && expect === 'keyOrEnd') {
          i++;
          open.pop();
          expect = afterValue();
          continue;
        }
        if (c !== 0x22) {
          return fail(i, c === 0x7d ? "a trailing comma before '}' is not allowed in JSON" : 'expected a property name in double quotes');
        }
        {
          const end = scanString(text, i);
          if (typeof end !== 'number') return fail(end.at, end.message);
          i = end;
        }
        expect = 'colon';
        continue;
      case 'value':
      case 'valueOrEnd': {
        if (c === 0x5d && expect === 'valueOrEnd') {
          i++;
          open.pop();
          expect = afterValue();
          continue;
        }
        if (c === 0x7b || c === 0x5b) {
          open.push(c);
          expect = c === 0x7b ? 'keyOrEnd' : 'valueOrEnd';
          i++;
          continue;
        }
        const end = c === 0x22 ? scanString(text, i) : c === 0x2d || isDigit(c) ? scanNumber(text, i) : scanLiteral(text, i);
        if (typeof end !== 'number') return fail(end.at, end.message);
        i = end;
        expect = afterValue();
        continue;
      }
    }
  }
}

type Scan = number | { at: number; message: string };

function scanString(text: string, start: number): Scan {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return { at: i, message: 'a string cannot hold a line break or other control character (write \\n)' };
    if (c === 0x5c) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) {
          if (!isHex(text.charCodeAt(i + k))) return { at: i, message: 'expected four hex digits after \\u' };
        }
        i += 6;
        continue;
      }
      if ('"\\/bfnrt'.includes(text.charAt(i + 1)) && i + 1 < text.length) {
        i += 2;
        continue;
      }
      return { at: i, message: 'unknown escape in a string (known: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)' };
    }
    i++;
  }
  return { at: start, message: 'this string is not closed: a closing " is missing' };
}

function scanNumber(text: string, start: number): Scan {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) {
    i++;
    if (isDigit(text.charCodeAt(i))) return { at: i, message: 'a number cannot have a leading zero' };
  } else if (isDigit(text.charCodeAt(i))) {
    while (isDigit(text.charCodeAt(i))) i++;
  } else {
    return { at: i, message: 'expected a digit' };
  }
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return { at: i, message: "expected a digit after '.'" };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const sign = text.charCodeAt(i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return { at: i, message: 'expected a digit in the exponent' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function scanLiteral(text: string, start: number): Scan {
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, start)) return start + word.length;
  }
  const c = text.charAt(start);
  const hint = c === "'" ? ' (JSON strings use double quotes)' : c === '/' ? ' (JSON has no comments)' : '';
  return { at: start, message: `expected a value (a string, number, object, list, true, false or null), found '${c}'${hint}` };
}

/**
 * `value` as indented JSON text in which every list or object that fits in `width`
 * columns stays on one line: `{ "key": "a", "v": 1 }`.
 * @example formatJson({ a: [1, 2], b: { c: true } }, 80) // '{ "a": [1, 2], "b": { "c": true } }'
 */
export function formatJson(value: unknown, width = 80): string {
  return layout(value, '', width);
}

/** `value` laid out at `indent`; its first line starts `lead` columns further right (after a property name). */
function layout(value: unknown, indent: string, width: number, lead = 0): string {
  const flat = inline(value, width - indent.length - lead);
  if (flat !== null || typeof value !== 'object' || value === null) return flat ?? JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item: unknown) => inner + layout(item, inner, width)).join(',\n')}\n${indent}]`;
  }
  const lines = Object.entries(value).map(([key, item]) => {
    const head = `${JSON.stringify(key)}: `;
    return inner + head + layout(item, inner, width, head.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** `value` on one line, or null when it takes more than `room` characters. */
function inline(value: unknown, room: number): string | null {
  if (typeof value !== 'object' || value === null) {
    const text = JSON.stringify(value) ?? 'null';
    return text.length <= room ? text : null;
  }
  const parts: string[] = [];
  let used = 4;
  const entries: [string | null, unknown][] = Array.isArray(value) ? value.map((v: unknown) => [null, v]) : Object.entries(value);
  if (entries.length === 0) return Array.isArray(value) ? '[]' : '{}';
  for (const [key, item] of entries) {
    const head = key === null ? '' : `${JSON.stringify(key)}: `;
    const text = inline(item, room - used - head.length);
    if (text === null) return null;
    parts.push(head + text);
    used += head.length + text.length + 2;
    if (used > room) return null;
  }
  return Array.isArray(value) ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
}

/**
 * Where two texts first differ, and on which line (from 1) of `after` that is: the editor
 * shows that line when a setting or undo rewrites the text.
 * @example firstChange('a\nb', 'a\nc') // { offset: 2, line: 2 }
 */
export function firstChange(before: string, after: string): { offset: number; line: number } {
  let offset = 0;
  const end = Math.min(before.length, after.length);
  while (offset < end && before.charCodeAt(offset) === after.charCodeAt(offset)) offset++;
  let line = 1;
  for (let i = 0; i < offset; i++) if (after.charCodeAt(i) === 0x0a) line++;
  return { offset, line };
}
