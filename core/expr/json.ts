/**
 * Expressions compute JSON from JSON: a record's value goes in, a new value comes out, and
 * nothing else (no undefined, no NaN, no functions) can appear in between. This file holds
 * what the language needs to know about such values: equality, truthiness, the canonical
 * text, a hash that every JavaScript engine computes identically, and words for values in
 * error messages.
 *
 * The JSON type and its canonical form are defined once, in the model layer, so that trace
 * hashes, key groups and `str()` can never disagree about how a value is written; this
 * file re-exports them under the expression layer's names.
 */
import { canonicalJson, jsonEqual, type JsonValue } from '../model/index.ts';

export { canonicalJson, type JsonValue };

/**
 * Structural equality, the meaning of `==`: numbers, strings, booleans and null by value;
 * lists element by element; objects by their sets of keys and values, whatever the key
 * order.
 *
 * @example deepEqual({ a: [1, 2], b: null }, { b: null, a: [1, 2] }) // true
 */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && jsonEqual(a, b));
}

/**
 * The truth of a value where a condition is expected (`filter`, `?:`, `&&`, `||`, `!`):
 * `false`, `null`, `0` and `""` are false; everything else, including empty lists and
 * empty objects, is true.
 *
 * @example isTruthy(0) // false;  isTruthy([]) // true;  isTruthy("no") // true
 */
export function isTruthy(v: JsonValue): boolean {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v !== '';
    default:
      return v !== null;
  }
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

// The running state of one murmur3Utf8 call, kept at module level (a call never nests in
// another) so that the byte step is one plain function, not a closure made per call: key
// hashing runs per record, and under tsx's keepNames each closure costs a defineProperty.
let mH = 0;
let mK = 0;
let mN = 0;

function addByte(byte: number): void {
  mK |= byte << ((mN & 3) << 3);
  mN += 1;
  if ((mN & 3) === 0) {
    mK = Math.imul(mK, C1);
    mK = (mK << 15) | (mK >>> 17);
    mH ^= Math.imul(mK, C2);
    mH = (mH << 13) | (mH >>> 19);
    mH = (Math.imul(mH, 5) + 0xe6546b64) | 0;
    mK = 0;
  }
}

/**
 * MurmurHash3 (x86, 32-bit) of the UTF-8 bytes of `text`, computed with 32-bit integer
 * operations only, so every engine gives the same number. Lone surrogates are encoded as
 * U+FFFD, as TextEncoder does.
 *
 * @example murmur3Utf8('hello') // 0x248bfa47 (613153351)
 */
export function murmur3Utf8(text: string, seed = 0): number {
  mH = seed | 0;
  mK = 0;
  mN = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      addByte(c);
    } else if (c < 0x800) {
      addByte(0xc0 | (c >> 6));
      addByte(0x80 | (c & 0x3f));
    } else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < length) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i += 1;
          addByte(0xf0 | (cp >> 18));
          addByte(0x80 | ((cp >> 12) & 0x3f));
          addByte(0x80 | ((cp >> 6) & 0x3f));
          addByte(0x80 | (cp & 0x3f));
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
      addByte(0xe0 | (c >> 12));
      addByte(0x80 | ((c >> 6) & 0x3f));
      addByte(0x80 | (c & 0x3f));
    }
  }
  let h = mH;
  const k = mK;
  const n = mN;
  if ((n & 3) !== 0) h ^= Math.imul((Math.imul(k, C1) << 15) | (Math.imul(k, C1) >>> 17), C2);
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit unsigned hash of a JSON value that is the same in every JavaScript engine and
 * on every run: MurmurHash3 (x86_32, seed 0) over the UTF-8 bytes of `canonicalJson(v)`.
 * Equal values (`deepEqual`) hash equally, whatever their key order. Keys are routed to
 * key groups with it, and the expression function `hash(x)` returns it.
 *
 * @example stableHash32("a") // murmur3 of the 3 bytes `"a"` (quotes included)
 * @example stableHash32({ b: 1, a: 2 }) === stableHash32({ a: 2, b: 1 }) // true
 */
export function stableHash32(v: JsonValue): number {
  return murmur3Utf8(canonicalJson(v));
}

/** The language's names for the kinds of value, as error messages use them. */
export type ValueKind = 'null' | 'boolean' | 'number' | 'string' | 'list' | 'object';

/** The kind of a value: `list` and `object` rather than JavaScript's `object`. */
export function kindOf(v: JsonValue): ValueKind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v as 'boolean' | 'number' | 'string' | 'object';
}

const SHOWN_CHARS = 40;

/** A value for an error message: its kind and, when short enough, its text. */
export function describeValue(v: JsonValue): string {
  const kind = kindOf(v);
  if (kind === 'null') return 'null';
  const article = kind === 'object' ? 'an' : 'a';
  let text = canonicalJson(v);
  if (text.length > SHOWN_CHARS) text = `${text.slice(0, SHOWN_CHARS - 3)}...`;
  return `${article} ${kind} (${text})`;
}
