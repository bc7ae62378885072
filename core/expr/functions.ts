/**
 * The built-in functions, in one table. Each is pure and gives the same answer in every
 * JavaScript engine: they use only IEEE basic arithmetic (`+ - * /`, `sqrt`, `floor`,
 * which the standard defines exactly) and string operations defined by the language, never
 * `Math.sin`, `Math.exp` or `Math.pow`, whose last bits differ between engines and would
 * make two runs of the same scenario disagree.
 *
 * The table is also the documentation's source of truth: the checker reads the arities
 * from it, and docs/expressions.md lists the same entries.
 */
import { builtJoin, builtScalars, MAX_BUILT_DEPTH, MAX_BUILT_SIZE } from './depth.ts';
import { fail } from './errors.ts';
import { canonicalJson, deepEqual, describeValue, kindOf, stableHash32, type JsonValue } from './json.ts';

/** One built-in function. */
/**
 * The longest list and string an expression may build, how deep it may nest lists and
 * objects, and how many nodes a value it builds may have counted as a tree (depth.ts says
 * why 256 and why ten million). Past them a run would stall, or die with an engine's own
 * limit (which differs between Node and Chromium): the expression fails instead, the same
 * everywhere, and the task with it.
 */
export const VALUE_LIMITS: Readonly<{ maxListLength: number; maxStringLength: number; maxDepth: number; maxSize: number }> = Object.freeze({
  maxListLength: 1_000_000,
  maxStringLength: 10_000_000,
  maxDepth: MAX_BUILT_DEPTH,
  maxSize: MAX_BUILT_SIZE,
});

/** Fails when a list of `n` items or a string of `n` code units would pass its limit. */
export function checkBuilt(what: string, kind: 'list' | 'string', n: number): void {
  const max = kind === 'list' ? VALUE_LIMITS.maxListLength : VALUE_LIMITS.maxStringLength;
  if (n > max) fail(`${what} would give a ${kind} of ${grouped(n)} ${kind === 'list' ? 'items' : 'characters'}; Weir's limit is ${grouped(max)}`);
}

// Digits in groups of three, without the engine's locale data.
const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export interface BuiltinFunction {
  /** The parameter list as documentation writes it, e.g. `(s, start, len?)`. */
  readonly params: string;
  readonly minArgs: number;
  /** `Infinity` for functions that take any number of arguments. */
  readonly maxArgs: number;
  /** What it does, in one sentence. */
  readonly doc: string;
  /** An example call and its result. */
  readonly example: string;
  /**
   * Evaluates the call on already evaluated arguments (their count is within the bounds;
   * the array belongs to the call site and must not be kept).
   */
  readonly apply: (args: readonly JsonValue[]) => JsonValue;
  /** Arguments are evaluated one at a time, left to right, only as far as needed (coalesce). */
  readonly lazy?: boolean;
}

type Args = readonly JsonValue[];

// Argument helpers: each names the function in its message, so a teacher sees which call failed.

function number(fn: string, v: JsonValue | undefined, what = 'a number'): number {
  if (typeof v !== 'number') fail(`${fn}() expects ${what} but got ${show(v)}`);
  return v;
}

function string(fn: string, v: JsonValue | undefined, what = 'a string'): string {
  if (typeof v !== 'string') fail(`${fn}() expects ${what} but got ${show(v)}`);
  return v;
}

function list(fn: string, v: JsonValue | undefined, what = 'a list'): JsonValue[] {
  if (!Array.isArray(v)) fail(`${fn}() expects ${what} but got ${show(v)}`);
  return v;
}

function count(fn: string, v: JsonValue | undefined, what: string): number {
  const n = number(fn, v, what);
  if (!Number.isInteger(n) || n < 0) fail(`${fn}() expects ${what} but got ${n}`);
  return n;
}

function show(v: JsonValue | undefined): string {
  return v === undefined ? 'nothing' : describeValue(v);
}

/** `x + 0` turns -0 into 0 and changes nothing else: results never carry a negative zero. */
const noNegativeZero = (x: number): number => x + 0;

/** Round half away from zero; `m - floor(m)` is exact for doubles, so there is no drift. */
function roundHalfAwayFromZero(x: number): number {
  const m = x < 0 ? -x : x;
  const f = Math.floor(m);
  const r = m - f >= 0.5 ? f + 1 : f;
  return noNegativeZero(x < 0 ? -r : r);
}

/** The canonical string of a value; a string is itself. What `str()` and `+` produce. */
export function toText(v: JsonValue): string {
  return typeof v === 'string' ? v : canonicalJson(v);
}

/** Decimal numbers as people write them: `12`, `-3.5`, `1e3`, `.5`, with surrounding spaces. */
const NUMERIC = /^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*$/;

function parseNumber(v: JsonValue | undefined): number {
  if (typeof v === 'number') return v;
  const s = string('num', v, 'a number or a numeric string');
  if (!NUMERIC.test(s)) fail(`num() cannot read a number from ${describeValue(s)}`);
  const n = Number(s);
  if (!Number.isFinite(n)) fail(`num() read a number too large for JSON from ${describeValue(s)}`);
  return noNegativeZero(n);
}

/** min/max: over the arguments, or over the elements of a single list argument. */
function extreme(fn: 'min' | 'max', args: Args): number {
  let values = args;
  if (args.length === 1 && Array.isArray(args[0])) {
    values = args[0];
    if (values.length === 0) fail(`${fn}() of an empty list has no value`);
  }
  let best = number(fn, values[0], 'numbers or one list of numbers');
  for (let i = 1; i < values.length; i++) {
    const x = number(fn, values[i], 'numbers or one list of numbers');
    if (fn === 'min' ? x < best : x > best) best = x;
  }
  return best;
}

/**
 * The area of New York City as Flink's training course draws it (GeoUtils): a box of
 * longitudes and latitudes. `isInNYC` is the course's test, so that the ride-cleansing
 * lesson reads like its solution; the taxi generators spread rides a little beyond it.
 */
export const NYC_BOUNDS = Object.freeze({ lonEast: -73.7, lonWest: -74.05, latNorth: 41.0, latSouth: 40.5 });

/** Inside the box, edges included, as GeoUtils.isInNYC compares (float coordinates against double bounds). */
function isInNYC(lon: number, lat: number): boolean {
  return !(lon > NYC_BOUNDS.lonEast || lon < NYC_BOUNDS.lonWest) && !(lat > NYC_BOUNDS.latNorth || lat < NYC_BOUNDS.latSouth);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TABLE: Readonly<Record<string, BuiltinFunction>> = {
  abs: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'The absolute value of a number.',
    example: 'abs(-3) == 3',
    apply: (a) => noNegativeZero(Math.abs(number('abs', a[0]))),
  },
  ceil: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'The smallest integer greater than or equal to x.',
    example: 'ceil(2.1) == 3',
    apply: (a) => noNegativeZero(Math.ceil(number('ceil', a[0]))),
  },
  coalesce: {
    params: '(a, b, ...)', minArgs: 1, maxArgs: Infinity,
    doc: 'The first argument that is not null (null if all are). Later arguments are not evaluated once one is found.',
    example: 'coalesce($?.discount, 0) == 0  (for a record without discount)',
    apply: (a) => a.find((x) => x !== null) ?? null,
    lazy: true,
  },
  concat: {
    params: '(list1, list2, ...)', minArgs: 2, maxArgs: Infinity,
    doc: 'A new list: the elements of each list, in order.',
    example: 'concat([1, 2], [3]) == [1, 2, 3]',
    apply: (a) => {
      const lists = a.map((x) => list('concat', x, 'lists'));
      checkBuilt('concat', 'list', lists.reduce((n, l) => n + l.length, 0));
      const out: JsonValue[] = [];
      for (const l of lists) for (const y of l) out.push(y);
      return builtJoin('concat', out, lists);
    },
  },
  contains: {
    params: '(haystack, needle)', minArgs: 2, maxArgs: 2,
    doc: 'Whether a string contains a substring, a list contains an element (==), or an object has a field.',
    example: 'contains("kafka", "fk") == true; contains([1, 2], 2) == true; contains({a: 1}, "a") == true',
    apply: (a) => {
      const [h, n] = a as [JsonValue, JsonValue];
      if (typeof h === 'string') return h.includes(string('contains', n, 'a string to look for in a string'));
      if (Array.isArray(h)) return h.some((x) => deepEqual(x, n));
      if (kindOf(h) === 'object') return Object.hasOwn(h as object, string('contains', n, 'a field name to look for in an object'));
      return fail(`contains() expects a string, a list or an object but got ${describeValue(h)}`);
    },
  },
  floor: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'The largest integer less than or equal to x.',
    example: 'floor(-2.5) == -3',
    apply: (a) => noNegativeZero(Math.floor(number('floor', a[0]))),
  },
  hash: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'A 32-bit unsigned hash of any value, the same in every engine (MurmurHash3 of its canonical JSON).',
    example: 'hash("a") % 4  (a bucket 0..3)',
    apply: (a) => stableHash32(a[0] ?? null),
  },
  int: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'x with its fractional part removed (towards zero).',
    example: 'int(-2.7) == -2',
    apply: (a) => noNegativeZero(Math.trunc(number('int', a[0]))),
  },
  isInNYC: {
    params: '(lon, lat)', minArgs: 2, maxArgs: 2,
    doc: "Whether a point lies in New York City as Flink's training course bounds it: longitude -74.05 to -73.7, latitude 40.5 to 41.0, edges included.",
    example: 'isInNYC(-73.9947, 40.750626) == true; isInNYC(-74.1, 40.75) == false',
    apply: (a) => isInNYC(number('isInNYC', a[0], 'a longitude (a number)'), number('isInNYC', a[1], 'a latitude (a number)')),
  },
  join: {
    params: '(list, separator)', minArgs: 2, maxArgs: 2,
    doc: 'The elements of a list as one string (each as str() writes it), separated by separator.',
    example: 'join(["a", 1], "-") == "a-1"',
    apply: (a) => {
      const items = list('join', a[0]);
      const sep = string('join', a[1], 'a separator string');
      let out = '';
      for (let i = 0; i < items.length; i++) {
        out += (i === 0 ? '' : sep) + toText(items[i]!);
        checkBuilt('join', 'string', out.length);
      }
      return out;
    },
  },
  keys: {
    params: '(object)', minArgs: 1, maxArgs: 1,
    doc: 'The field names of an object, sorted (by UTF-16 code units, as canonical JSON sorts them).',
    example: 'keys({b: 1, a: 2}) == ["a", "b"]',
    apply: (a) => {
      const o = a[0] ?? null;
      if (kindOf(o) !== 'object') fail(`keys() expects an object but got ${describeValue(o)}`);
      const names = Object.keys(o as object).sort(compareCodeUnits);
      return builtScalars('keys', names);
    },
  },
  len: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'The length of a string (in UTF-16 code units), a list, or an object (its number of fields).',
    example: 'len("abc") == 3; len([1, 2]) == 2; len({a: 1}) == 1',
    apply: (a) => {
      const x = a[0] ?? null;
      if (typeof x === 'string' || Array.isArray(x)) return x.length;
      if (kindOf(x) === 'object') return Object.keys(x as object).length;
      return fail(`len() expects a string, a list or an object but got ${describeValue(x)}`);
    },
  },
  lower: {
    params: '(s)', minArgs: 1, maxArgs: 1,
    doc: 'The string in lower case (Unicode default case mapping, no locale).',
    example: 'lower("Flink") == "flink"',
    apply: (a) => string('lower', a[0]).toLowerCase(),
  },
  max: {
    params: '(a, b, ...) or (list)', minArgs: 1, maxArgs: Infinity,
    doc: 'The largest of some numbers, or of the numbers in one list.',
    example: 'max(3, 7, 5) == 7; max([3, 7]) == 7',
    apply: (a) => extreme('max', a),
  },
  min: {
    params: '(a, b, ...) or (list)', minArgs: 1, maxArgs: Infinity,
    doc: 'The smallest of some numbers, or of the numbers in one list.',
    example: 'min(3, 7, 5) == 3; min([3, 7]) == 3',
    apply: (a) => extreme('min', a),
  },
  num: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'A number from a number or from a string that holds one (decimal, optional exponent); anything else fails.',
    example: 'num("2.5e1") == 25',
    apply: (a) => parseNumber(a[0]),
  },
  round: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'x rounded to the nearest integer; halves go away from zero.',
    example: 'round(2.5) == 3; round(-2.5) == -3; round(2.4) == 2',
    apply: (a) => roundHalfAwayFromZero(number('round', a[0])),
  },
  split: {
    params: '(s, separator)', minArgs: 2, maxArgs: 2,
    doc: 'The parts of s between occurrences of a non-empty separator.',
    example: 'split("a b c", " ") == ["a", "b", "c"]',
    apply: (a) => {
      const s = string('split', a[0]);
      const sep = string('split', a[1], 'a separator string');
      if (sep === '') fail('split() needs a non-empty separator');
      const parts = s.split(sep);
      checkBuilt('split', 'list', parts.length);
      return builtScalars('split', parts);
    },
  },
  sqrt: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'The square root of a number >= 0 (correctly rounded, so the same everywhere).',
    example: 'sqrt(16) == 4',
    apply: (a) => {
      const x = number('sqrt', a[0]);
      if (x < 0) fail(`sqrt() of a negative number (${x}) is not a number`);
      return noNegativeZero(Math.sqrt(x));
    },
  },
  str: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'The value as text: a string is itself, anything else its canonical JSON (keys sorted).',
    example: 'str(1.5) == "1.5"; str({b: 1, a: 2}) == "{\\"a\\":2,\\"b\\":1}"',
    apply: (a) => toText(a[0] ?? null),
  },
  substr: {
    params: '(s, start, len?)', minArgs: 2, maxArgs: 3,
    doc: 'The part of s from index start (0-based, in UTF-16 code units), len long or to the end; clipped at the end of s.',
    example: 'substr("stream", 1, 3) == "tre"; substr("stream", 2) == "ream"',
    apply: (a) => {
      const s = string('substr', a[0]);
      const start = count('substr', a[1], 'a start index that is an integer >= 0');
      if (a.length < 3) return s.slice(start);
      return s.slice(start, start + count('substr', a[2], 'a length that is an integer >= 0'));
    },
  },
  type: {
    params: '(x)', minArgs: 1, maxArgs: 1,
    doc: 'The kind of a value: "null", "boolean", "number", "string", "list" or "object".',
    example: 'type([1]) == "list"',
    apply: (a) => kindOf(a[0] ?? null),
  },
  upper: {
    params: '(s)', minArgs: 1, maxArgs: 1,
    doc: 'The string in upper case (Unicode default case mapping, no locale).',
    example: 'upper("Flink") == "FLINK"',
    apply: (a) => string('upper', a[0]).toUpperCase(),
  },
};

/**
 * The built-in functions by name. A Map, so that no name (`constructor`, `__proto__`) can
 * reach anything but an entry of the table.
 *
 * @example BUILTIN_FUNCTIONS.get('floor')?.apply([2.5]) // 2
 */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map(Object.entries(TABLE));
