/**
 * The lexer cuts an expression into tokens: numbers, strings, names, `$` names and
 * operators. It is strict in the way JSON is strict (no octal-looking `07`, no unknown
 * escapes, no raw line breaks inside strings) because an expression lives inside a JSON
 * scenario file, and a teacher should get the same answer from Weir as from any JSON
 * tool. Each error names the exact character that stopped it.
 */
import { ExprSyntaxError } from './errors.ts';

export type TokenType = 'number' | 'string' | 'name' | 'dollar' | 'op' | 'end';

/** One token. `text` is the raw source slice; `value` the decoded number or string. */
export interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly value: number | string;
  readonly start: number;
  readonly end: number;
}

/** Operators, longest first so that `<=` wins over `<`. */
const OPERATORS = ['?.', '==', '!=', '<=', '>=', '&&', '||', '(', ')', '[', ']', '{', '}', ',', ':', '?', '.', '!', '<', '>', '+', '-', '*', '/', '%'];

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNamePart = (c: number): boolean => isNameStart(c) || isDigit(c);
const isHex = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/** A character for a message: itself when printable ASCII, else its code point. */
export function showChar(source: string, at: number): string {
  const cp = source.codePointAt(at);
  if (cp === undefined) return 'end of expression';
  if (cp > 0x20 && cp < 0x7f) return `'${String.fromCharCode(cp)}'`;
  return `character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The tokens of `source`, ending with one `end` token at `source.length`.
 *
 * @example tokenize('a + 1').map((t) => t.text) // ['a', '+', '1', '']
 * @throws ExprSyntaxError at the first character that cannot start or continue a token
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  const error = (detail: string, at: number): ExprSyntaxError => new ExprSyntaxError(detail, source, at + 1);
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i += 1;
      continue;
    }
    const start = i;
    if (isDigit(c)) {
      i = scanNumber(source, i, error);
      const text = source.slice(start, i);
      const value = Number(text);
      if (!Number.isFinite(value)) throw error(`number ${text} is too large`, start);
      tokens.push({ type: 'number', text, value, start, end: i });
    } else if (c === 34 || c === 39) {
      const [value, end] = scanString(source, i, error);
      i = end;
      tokens.push({ type: 'string', text: source.slice(start, i), value, start, end: i });
    } else if (isNameStart(c)) {
      while (i < n && isNamePart(source.charCodeAt(i))) i += 1;
      const text = source.slice(start, i);
      tokens.push({ type: 'name', text, value: text, start, end: i });
    } else if (c === 36) {
      i += 1;
      while (i < n && isNamePart(source.charCodeAt(i))) i += 1;
      const text = source.slice(start, i);
      if (text !== '$' && text !== '$timestamp') {
        throw error(`unknown name '${text}': the only names starting with $ are $ (the whole value) and $timestamp`, start);
      }
      tokens.push({ type: 'dollar', text, value: text, start, end: i });
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      // As in JavaScript, `?.` followed by a digit is `?` then a number, not optional access.
      if (op === undefined || (op === '?.' && isDigit(source.charCodeAt(i + 2)))) {
        if (c === 63) {
          tokens.push({ type: 'op', text: '?', value: '?', start, end: i + 1 });
          i += 1;
          continue;
        }
        if (c === 61) throw error("'=' is not an operator: write '==' to compare", start);
        if (c === 38) throw error("'&' is not an operator: write '&&' for 'and'", start);
        if (c === 124) throw error("'|' is not an operator: write '||' for 'or'", start);
        throw error(`unexpected ${showChar(source, i)}`, start);
      }
      if ((op === '==' || op === '!=') && source.charCodeAt(i + 2) === 61) {
        throw error(`'${op}=' is not an operator: write '${op}' (equality is always structural)`, start);
      }
      i += op.length;
      tokens.push({ type: 'op', text: op, value: op, start, end: i });
    }
  }
  tokens.push({ type: 'end', text: '', value: '', start: n, end: n });
  return tokens;
}

type ErrorAt = (detail: string, at: number) => ExprSyntaxError;

/** Scans `digits [. digits] [e [+-] digits]` from `i`; returns the end offset. */
function scanNumber(source: string, i: number, error: ErrorAt): number {
  const start = i;
  if (source.charCodeAt(i) === 48 && isDigit(source.charCodeAt(i + 1))) {
    throw error('a number cannot start with 0 followed by more digits (write 7, not 07)', start);
  }
  while (isDigit(source.charCodeAt(i))) i += 1;
  if (source.charCodeAt(i) === 46 && isDigit(source.charCodeAt(i + 1))) {
    i += 1;
    while (isDigit(source.charCodeAt(i))) i += 1;
  }
  const e = source.charCodeAt(i);
  if (e === 101 || e === 69) {
    let j = i + 1;
    const sign = source.charCodeAt(j);
    if (sign === 43 || sign === 45) j += 1;
    if (!isDigit(source.charCodeAt(j))) {
      throw error(`expected the digits of an exponent but found ${showChar(source, j)}`, j);
    }
    while (isDigit(source.charCodeAt(j))) j += 1;
    i = j;
  }
  if (isNameStart(source.charCodeAt(i))) {
    throw error(`unexpected ${showChar(source, i)} right after the number ${source.slice(start, i)}`, i);
  }
  return i;
}

/** Scans a quoted string from its opening quote at `i`; returns [value, end offset]. */
function scanString(source: string, i: number, error: ErrorAt): [string, number] {
  const quote = source.charCodeAt(i);
  const open = i;
  i += 1;
  let value = '';
  let chunk = i;
  for (;;) {
    if (i >= source.length) {
      throw error(
        `expected ${quote === 34 ? `'"'` : `"'"`} to close the string that starts at column ${open + 1} but found end of expression`,
        i,
      );
    }
    const c = source.charCodeAt(i);
    if (c === quote) {
      value += source.slice(chunk, i);
      return [value, i + 1];
    }
    if (c < 0x20) {
      throw error(`${showChar(source, i)} inside a string: write it as an escape such as \\n or \\t`, i);
    }
    if (c !== 92) {
      i += 1;
      continue;
    }
    value += source.slice(chunk, i);
    const esc = source[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) {
      value += simple;
      i += 2;
    } else if (esc === 'u') {
      for (let k = 2; k < 6; k++) {
        if (!isHex(source.charCodeAt(i + k))) {
          throw error(`expected 4 hexadecimal digits after \\u but found ${showChar(source, i + k)}`, i + k);
        }
      }
      value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      throw error(
        esc === '' ? 'a string cannot end with a lone backslash' : `unknown escape '\\${esc}' (known: \\" \\' \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`,
        i,
      );
    }
    chunk = i;
  }
}
