/**
 * Property tests (fast-check; a failure prints its seed and path, and shrinks to a small
 * counterexample). They hold the language to an independent reference: random integer
 * ASTs printed with as few parentheses as precedence allows must evaluate like the tree;
 * random text never throws anything but an ExprSyntaxError; random records never make an
 * expression throw anything but an ExprRuntimeError; canonical JSON and the hash ignore key
 * order; the UTF-8 encoding inside the hash agrees with Node's.
 */
import { Buffer } from 'node:buffer';
import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  canonicalJson,
  compileExpression,
  deepEqual,
  ExprRuntimeError,
  ExprSyntaxError,
  isTruthy,
  stableHash32,
  type CompiledExpr,
  type JsonValue,
} from '../../core/expr/index.ts';
import { murmur3Utf8 } from '../../core/expr/json.ts';

// ---------------------------------------------------------------------------------------
// A tiny independent model of integer and boolean expressions: its own trees (well typed
// by construction), a printer that uses as few parentheses as precedence allows, and a
// BigInt evaluator.

type IntE =
  | { t: 'num'; v: number }
  | { t: 'var'; name: 'a' | 'b' | 'c' }
  | { t: 'missing' }
  | { t: 'neg'; e: IntE }
  | { t: 'bin'; op: '+' | '-' | '*' | '%'; l: IntE; r: IntE }
  | { t: 'cond'; c: BoolE; a: IntE; b: IntE };
type BoolE =
  | { t: 'lit'; v: boolean }
  | { t: 'cmp'; op: '<' | '<=' | '>' | '>=' | '==' | '!='; l: IntE; r: IntE }
  | { t: 'not'; e: BoolE }
  | { t: 'log'; op: '&&' | '||'; l: BoolE; r: BoolE }
  | { t: 'beq'; op: '==' | '!='; l: BoolE; r: BoolE };
type Node = IntE | BoolE;

const trees = fc.letrec<{ int: IntE; bool: BoolE }>((tie) => ({
  int: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('num' as const), v: fc.integer({ min: -10, max: 10 }) }),
    fc.record({ t: fc.constant('var' as const), name: fc.constantFrom('a' as const, 'b' as const, 'c' as const) }),
    // A field the record does not have: evaluating it fails, so laziness shows.
    fc.constant({ t: 'missing' as const }),
    fc.record({ t: fc.constant('neg' as const), e: tie('int') }),
    fc.record({ t: fc.constant('bin' as const), op: fc.constantFrom('+' as const, '-' as const, '*' as const, '%' as const), l: tie('int'), r: tie('int') }),
    fc.record({ t: fc.constant('cond' as const), c: tie('bool'), a: tie('int'), b: tie('int') }),
  ),
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ t: fc.constant('lit' as const), v: fc.boolean() }),
    fc.record({ t: fc.constant('cmp' as const), op: fc.constantFrom('<' as const, '<=' as const, '>' as const, '>=' as const, '==' as const, '!=' as const), l: tie('int'), r: tie('int') }),
    fc.record({ t: fc.constant('not' as const), e: tie('bool') }),
    fc.record({ t: fc.constant('log' as const), op: fc.constantFrom('&&' as const, '||' as const), l: tie('bool'), r: tie('bool') }),
    fc.record({ t: fc.constant('beq' as const), op: fc.constantFrom('==' as const, '!=' as const), l: tie('bool'), r: tie('bool') }),
  ),
}));

// Precedence in the printed language: higher binds tighter.
const PREC: Record<string, number> = { '?:': 1, '||': 2, '&&': 3, '==': 4, '!=': 4, '<': 5, '<=': 5, '>': 5, '>=': 5, '+': 6, '-': 6, '*': 7, '%': 7 };
const UNARY = 8;
const ATOM = 9;

function prec(e: Node): number {
  switch (e.t) {
    case 'num':
      return e.v < 0 ? UNARY : ATOM;
    case 'var':
    case 'missing':
    case 'lit':
      return ATOM;
    case 'neg':
    case 'not':
      return UNARY;
    case 'cond':
      return PREC['?:']!;
    default:
      return PREC[e.op]!;
  }
}

/** Prints with the fewest parentheses the grammar needs (comparisons and equalities do not chain). */
function print(e: Node): string {
  const wrap = (x: Node, needed: boolean): string => (needed ? `(${print(x)})` : print(x));
  switch (e.t) {
    case 'num':
      return String(e.v);
    case 'var':
      return e.name;
    case 'missing':
      return 'nope';
    case 'lit':
      return String(e.v);
    case 'neg':
      return `-${wrap(e.e, prec(e.e) < UNARY)}`;
    case 'not':
      return `!${wrap(e.e, prec(e.e) < UNARY)}`;
    case 'bin':
    case 'log':
      return `${wrap(e.l, prec(e.l) < PREC[e.op]!)} ${e.op} ${wrap(e.r, prec(e.r) <= PREC[e.op]!)}`;
    case 'cmp':
    case 'beq':
      return `${wrap(e.l, prec(e.l) <= PREC[e.op]!)} ${e.op} ${wrap(e.r, prec(e.r) <= PREC[e.op]!)}`;
    case 'cond':
      // The test binds tighter than ?:; the branches may be conditionals themselves.
      return `${wrap(e.c, prec(e.c) <= PREC['?:']!)} ? ${print(e.a)} : ${print(e.b)}`;
  }
}

class RefError extends Error {}

/** The reference: BigInt arithmetic, so it cannot share a rounding mistake with the engine. */
function refInt(e: IntE, env: Record<string, bigint>, seen: bigint[]): bigint {
  const v = ((): bigint => {
    switch (e.t) {
      case 'num':
        return BigInt(e.v);
      case 'var':
        return env[e.name]!;
      case 'missing':
        throw new RefError('missing field');
      case 'neg':
        return -refInt(e.e, env, seen);
      case 'bin': {
        const l = refInt(e.l, env, seen);
        const r = refInt(e.r, env, seen);
        if (e.op === '+') return l + r;
        if (e.op === '-') return l - r;
        if (e.op === '*') return l * r;
        if (r === 0n) throw new RefError('remainder by zero');
        return l % r; // BigInt % truncates, like JavaScript's %
      }
      case 'cond':
        return refBool(e.c, env, seen) ? refInt(e.a, env, seen) : refInt(e.b, env, seen);
    }
  })();
  seen.push(v);
  return v;
}

function refBool(e: BoolE, env: Record<string, bigint>, seen: bigint[]): boolean {
  switch (e.t) {
    case 'lit':
      return e.v;
    case 'not':
      return !refBool(e.e, env, seen);
    case 'log':
      return e.op === '&&' ? refBool(e.l, env, seen) && refBool(e.r, env, seen) : refBool(e.l, env, seen) || refBool(e.r, env, seen);
    case 'beq':
      return (refBool(e.l, env, seen) === refBool(e.r, env, seen)) === (e.op === '==');
    case 'cmp': {
      const l = refInt(e.l, env, seen);
      const r = refInt(e.r, env, seen);
      switch (e.op) {
        case '<':
          return l < r;
        case '<=':
          return l <= r;
        case '>':
          return l > r;
        case '>=':
          return l >= r;
        case '==':
          return l === r;
        case '!=':
          return l !== r;
      }
    }
  }
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

describe('integer and boolean expressions against a BigInt reference', () => {
  fcTest.prop([fc.oneof(trees.int, trees.bool), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -3, max: 3 })], {
    numRuns: 1000,
  })('compileExpression(print(tree)).evaluate(...) equals the reference', (tree, a, b, c) => {
    const env = { a: BigInt(a), b: BigInt(b), c: BigInt(c) };
    const source = print(tree);
    const compiled = compileExpression(source);
    const seen: bigint[] = [];
    let expected: bigint | boolean;
    try {
      expected = tree.t === 'num' || tree.t === 'var' || tree.t === 'missing' || tree.t === 'neg' || tree.t === 'bin' || tree.t === 'cond' ? refInt(tree, env, seen) : refBool(tree, env, seen);
    } catch (e) {
      if (!(e instanceof RefError)) throw e;
      expect(() => compiled.evaluate({ a, b, c }, null)).toThrow(e.message === 'missing field' ? "record has no field 'nope'" : 'division by zero');
      return;
    }
    // Only where every intermediate integer is exact as a double are numbers and BigInts alike.
    fc.pre(seen.every((v) => v <= SAFE && v >= -SAFE));
    expect(compiled.evaluate({ a, b, c }, null)).toBe(typeof expected === 'bigint' ? Number(expected) : expected);
  });
});

// ---------------------------------------------------------------------------------------
// Robustness: random text and random records.

const FRAGMENTS = [
  'a', 'b', 'x', 'v', '1', '0', '2.5', '1e3', '-', '"s"', "'t'", '"\\u0041"', '(', ')', '[', ']', '{', '}', ',', ':', '?', '?.',
  '.', '!', '==', '!=', '<', '<=', '>', '>=', '+', '*', '/', '%', '&&', '||', '$', '$timestamp', 'floor', 'len', 'max',
  'coalesce', 'substr', 'keys', 'hash', 'str', 'num', 'true', 'false', 'null', 'constructor', '__proto__', 'toString', ' ',
  '=', '&', '"', '\\', '#', '\n', 'é',
];
const tokenSoup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join(''));
const anyText = fc.oneof(tokenSoup, fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 40 }));

/** A record shaped like the names in FRAGMENTS, with random JSON in its fields. */
const records = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    { a: fc.jsonValue({ maxDepth: 2 }), b: fc.jsonValue({ maxDepth: 2 }), x: fc.jsonValue({ maxDepth: 2 }), v: fc.jsonValue({ maxDepth: 2 }) },
    { requiredKeys: [] },
  ),
) as fc.Arbitrary<JsonValue>;

function tryCompile(source: string): CompiledExpr | null {
  try {
    return compileExpression(source);
  } catch (e) {
    if (e instanceof ExprSyntaxError) {
      expect(e.column).toBeGreaterThanOrEqual(1);
      expect(e.column).toBeLessThanOrEqual(source.length + 1);
      expect(e.message).toBe(`column ${e.column}: ${e.detail}`);
      return null;
    }
    throw e;
  }
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Does a value contain anything that is not JSON (undefined, NaN, Infinity, -0, a non-plain object)? */
function isStrictJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (Array.isArray(v)) return v.every(isStrictJson);
  if (typeof v === 'object') return Object.values(v).every(isStrictJson);
  return false;
}

describe('robustness', () => {
  fcTest.prop([anyText], { numRuns: 2000 })('compiling random text throws nothing but an ExprSyntaxError, with a column inside the text', (source) => {
    tryCompile(source);
  });

  fcTest.prop([tokenSoup, fc.array(records, { minLength: 1, maxLength: 5 }), fc.option(fc.integer())], { numRuns: 2000 })(
    'evaluating on random records throws nothing but an ExprRuntimeError, returns strict JSON and never changes the record',
    (source, values, timestamp) => {
      const compiled = tryCompile(source);
      if (compiled === null) return;
      for (const value of values) {
        const before = canonicalJson(value);
        try {
          const out = compiled.evaluate(deepFreeze(value), timestamp);
          expect(isStrictJson(out)).toBe(true);
        } catch (e) {
          if (!(e instanceof ExprRuntimeError)) throw e;
          expect(e.source).toBe(source);
          expect(e.message.length).toBeGreaterThan(0);
        }
        expect(canonicalJson(value)).toBe(before);
      }
    },
  );

  fcTest.prop([fc.jsonValue({ maxDepth: 4 })], { numRuns: 500 })('any JSON value written as a literal evaluates to itself', (value) => {
    const source = literal(value as JsonValue);
    fc.pre(source.length <= 10_000);
    expect(deepEqual(compileExpression(source).evaluate(null, null), value as JsonValue)).toBe(true);
  });

  fcTest.prop([fc.jsonValue({ maxDepth: 3 }), fc.jsonValue({ maxDepth: 3 })])('== agrees with canonicalJson equality', (a, b) => {
    const eq = compileExpression('a == b').evaluate({ a: a as JsonValue, b: b as JsonValue }, null);
    expect(eq).toBe(canonicalJson(a as JsonValue) === canonicalJson(b as JsonValue));
    expect(compileExpression('a == a').evaluate({ a: a as JsonValue }, null)).toBe(true);
  });

  fcTest.prop([fc.jsonValue({ maxDepth: 3 })])('filter truthiness: !x is the negation of isTruthy(x)', (x) => {
    expect(compileExpression('!x').evaluate({ x: x as JsonValue }, null)).toBe(!isTruthy(x as JsonValue));
  });
});

/** A JSON value as expression source: quoted keys, JSON strings, numbers as JavaScript prints them. */
function literal(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${literal(x)}`).join(', ')}}`;
  }
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------
// Canonical form and hash.

/** The same object with its keys inserted in another order, at every level. */
function reorder(v: JsonValue, seed: number): JsonValue {
  if (Array.isArray(v)) return v.map((x, i) => reorder(x, seed + i));
  if (typeof v !== 'object' || v === null) return v;
  const entries = Object.entries(v);
  const rotated = entries.length === 0 ? entries : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse();
  const out: Record<string, JsonValue> = {};
  for (const [k, x] of rotated) Object.defineProperty(out, k, { value: reorder(x, seed + 1), enumerable: true, writable: true, configurable: true });
  return out;
}

describe('canonical form and hash', () => {
  fcTest.prop([fc.jsonValue({ maxDepth: 4 }), fc.nat(100)])('canonicalJson and stableHash32 do not depend on key insertion order', (value, seed) => {
    const v = value as JsonValue;
    const w = reorder(v, seed);
    expect(canonicalJson(w)).toBe(canonicalJson(v));
    expect(stableHash32(w)).toBe(stableHash32(v));
    expect(deepEqual(v, w)).toBe(true);
    expect(JSON.parse(canonicalJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
  });

  fcTest.prop([fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 })])(
    "the hash's UTF-8 encoding agrees with Node's (lone surrogates become U+FFFD)",
    (units) => {
      const text = String.fromCharCode(...units);
      expect(murmur3Utf8(text)).toBe(murmurBytes(Buffer.from(text, 'utf8')));
    },
  );
});

/** A second, byte-oriented MurmurHash3 x86_32, written from the reference C code. */
function murmurBytes(data: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = data.length >> 2;
  for (let i = 0; i < blocks; i++) {
    let k = data[4 * i]! | (data[4 * i + 1]! << 8) | (data[4 * i + 2]! << 16) | (data[4 * i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  // The tail, as the C code's fall-through switch reads it: up to 3 bytes, little-endian.
  const tail = blocks * 4;
  const rest = data.length & 3;
  if (rest > 0) {
    let k = 0;
    if (rest >= 3) k ^= data[tail + 2]! << 16;
    if (rest >= 2) k ^= data[tail + 1]! << 8;
    k ^= data[tail]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= data.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
