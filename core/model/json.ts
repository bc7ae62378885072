/**
 * Record values are JSON: what a scenario file can write down is what flows through a job.
 * The canonical form (keys sorted, no spaces, numbers as JavaScript prints them) is what
 * hashes, trace encodings and key comparisons read, so two engines that hold the same
 * value always produce the same bytes.
 */
import { assert } from '../kernel/index.ts';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, for signatures that need one. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * How deep the recursive walks below go before they hand the rest of a value to an
 * iterative walk: recursion is the fast path for the usual shallow record, and the
 * iterative walk keeps a value nested ten thousand levels deep (which JSON allows and
 * the DataStream API or a process function's state can build) from overflowing the stack.
 */
const RECURSION_DEPTH = 200;

/**
 * The canonical JSON text of `value`: object keys in code-unit order, no white space.
 * JavaScript's number printing is the shortest round-trip form and is specified exactly,
 * so it is the same in every engine; -0 prints as 0. NaN and infinities are not JSON.
 * @example canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: JsonValue): string {
  return encode(value, 0);
}

function encode(value: JsonValue, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return encodeNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (depth >= RECURSION_DEPTH) return encodeDeep(value);
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + encode(value[i]!, depth + 1);
        return out + ']';
      }
      const keys = sortedKeys(value);
      let out = '{';
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i]!;
        const v = value[k];
        if (v === undefined) continue;
        out += (out.length === 1 ? '' : ',') + JSON.stringify(k) + ':' + encode(v, depth + 1);
      }
      return out + '}';
    }
    default:
      throw new TypeError(`not a JSON value: ${typeof value}`);
  }
}

/**
 * The keys of `object` in code-unit order, as `Object.keys(object).sort()` gives them. A
 * record has a handful of keys, and sorting those in place by insertion spares the work
 * array that Array.prototype.sort allocates on every call: canonical text is made for
 * every record a checker compares, so that garbage was a tenth of a `weir check` run's.
 */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  if (keys.length > 16) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

function encodeNumber(value: number): string {
  assert(Number.isFinite(value), () => `not a JSON number: ${value}`);
  return value === 0 ? '0' : String(value);
}

/** Text to write as it is, on the stack of `encodeDeep` beside values still to encode. */
class Verbatim {
  constructor(readonly text: string) {}
}

/** `canonicalJson` with an explicit stack: the same text, for values of any depth. */
function encodeDeep(root: JsonValue): string {
  let out = '';
  const stack: (JsonValue | Verbatim)[] = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item instanceof Verbatim) {
      out += item.text;
      continue;
    }
    if (typeof item !== 'object' || item === null) {
      out += encode(item, 0);
      continue;
    }
    if (Array.isArray(item)) {
      out += '[';
      stack.push(new Verbatim(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]!);
        if (i > 0) stack.push(new Verbatim(','));
      }
      continue;
    }
    const keys = Object.keys(item).filter((k) => item[k] !== undefined).sort();
    out += '{';
    stack.push(new Verbatim('}'));
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      stack.push(item[k]!, new Verbatim((i > 0 ? ',' : '') + JSON.stringify(k) + ':'));
    }
  }
  return out;
}

/** Structural equality of two JSON values (object key order does not matter). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  return equalTo(a, b, 0);
}

function equalTo(a: JsonValue, b: JsonValue, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth >= RECURSION_DEPTH) return equalDeep(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalTo(a[i]!, b[i]!, depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !equalTo(a[k]!, b[k]!, depth + 1)) return false;
  }
  return true;
}

/** `jsonEqual` with an explicit stack of pairs still to compare, for values of any depth. */
function equalDeep(a: JsonValue, b: JsonValue): boolean {
  const stack: JsonValue[] = [a, b];
  while (stack.length > 0) {
    const y = stack.pop()!;
    const x = stack.pop()!;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) stack.push(x[i]!, y[i]!);
      continue;
    }
    if (Array.isArray(y)) return false;
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!Object.hasOwn(y, k)) return false;
      stack.push(x[k]!, y[k]!);
    }
  }
  return true;
}

/**
 * A deep copy of a JSON value, so that a snapshot is never changed by later writes to the
 * live state. Iterative (an explicit stack), so deeply nested input cannot overflow the
 * call stack; a `__proto__` key is copied as an own property, never as a prototype.
 *
 * A list or object that appears more than once in `value` is copied once and the copy
 * appears in the same places: `{l: s, r: s}` built n times over holds 2^n objects counted
 * as a tree but only n distinct ones, and a copy that expanded it would be the tree.
 */
export function cloneJson(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null) return value;
  const root: JsonValue = Array.isArray(value) ? new Array<JsonValue>(value.length) : {};
  const copy = new Copy(value, root);
  while (copy.stack.length > 0) {
    const to = copy.stack.pop()!;
    const from = copy.stack.pop()!;
    if (Array.isArray(from)) for (let i = 0; i < from.length; i++) copy.put(to, i, from[i]!);
    else for (const k of Object.keys(from as JsonObject)) copy.put(to, k, (from as JsonObject)[k]!);
  }
  return root;
}

class Copy {
  /** (source, copy) pairs whose members are still to be copied. */
  readonly stack: JsonValue[];
  /** The copy of each list and object met so far; made at the first nested one, as a flat value needs none. */
  #copies: Map<object, JsonValue> | null = null;

  constructor(root: JsonValue, rootCopy: JsonValue) {
    this.stack = [root, rootCopy];
  }

  /** Puts a copy of `v` at `target[key]`; a list or object not met before is pushed (source, copy) to be filled later. */
  put(target: JsonValue, key: string | number, v: JsonValue): void {
    let copy: JsonValue = v;
    if (typeof v === 'object' && v !== null) {
      this.#copies ??= new Map<object, JsonValue>();
      const seen = this.#copies.get(v);
      if (seen !== undefined) copy = seen;
      else {
        copy = Array.isArray(v) ? new Array<JsonValue>(v.length) : {};
        this.#copies.set(v, copy);
        this.stack.push(v, copy);
      }
    }
    if (Array.isArray(target)) target[key as number] = copy;
    else if (key === '__proto__') Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else (target as JsonObject)[key] = copy;
  }
}

/**
 * The length of `canonicalJson(value)`, computed without building the text: how Weir sizes
 * state (a checkpoint's "bytes"), so that sizing a large snapshot costs a walk, not a copy.
 * Iterative, so deep values cannot overflow the stack.
 */
export function canonicalJsonLength(value: JsonValue): number {
  let length = 0;
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const v = stack.pop()!;
    switch (typeof v) {
      case 'string':
        length += quotedLength(v);
        break;
      case 'number':
        length += v === 0 ? 1 : String(v).length;
        break;
      case 'boolean':
        length += v ? 4 : 5;
        break;
      case 'object':
        if (v === null) length += 4;
        else if (Array.isArray(v)) {
          length += 2 + Math.max(0, v.length - 1);
          for (let i = 0; i < v.length; i++) stack.push(v[i]!);
        } else {
          let n = 0;
          for (const k of Object.keys(v)) {
            const x = v[k];
            if (x === undefined) continue;
            n++;
            length += quotedLength(k) + 1;
            stack.push(x);
          }
          length += 2 + Math.max(0, n - 1);
        }
        break;
    }
  }
  return length;
}

/** The length of JSON.stringify(s): quotes, and escapes where JSON needs them. */
function quotedLength(s: string): number {
  let n = s.length + 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) n += 1;
    else if (c < 0x20) n += 5;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const lead = c <= 0xdbff;
      const next = s.charCodeAt(i + 1);
      if (lead && next >= 0xdc00 && next <= 0xdfff) i++;
      else n += 5; // a lone surrogate is written as \uXXXX
    }
  }
  return n;
}
