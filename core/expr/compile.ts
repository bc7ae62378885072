/**
 * The compiler turns a checked syntax tree into a tree of closures, once, when the
 * operator opens. Evaluating a record then calls those closures directly: no tree walk,
 * no switch on node kinds, no allocation except the lists and objects the expression
 * itself builds. A scenario's map runs on every record of the stream, so this is the
 * difference between an interpreter and a hot path.
 *
 * Every closure has the same shape, `(value, timestamp, bindings) => JsonValue`. A record
 * never exposes its prototype: a field read of a name Object.prototype has checks
 * `Object.hasOwn` first, so `constructor`, `__proto__` and `toString` are simply fields it
 * does not have (any other name can only be an own field of a plain object). Numbers
 * that would leave JSON (overflow to Infinity, NaN) and divisions by zero fail the record
 * instead of flowing on. Scalar subexpressions whose inputs are all constants are computed
 * here, once. A list or object built here remembers its depth and size, so that nesting
 * and sharing are bounded (VALUE_LIMITS.maxDepth, maxSize) at the cost of one look at each
 * child (depth.ts).
 */
import type { BinaryNode, CallNode, Expr, ObjectEntry } from './ast.ts';
import { EvalFailure, fail } from './errors.ts';
import { builtFields, builtList, builtObject, builtScalars } from './depth.ts';
import { BUILTIN_FUNCTIONS } from './functions.ts';
import { checkBuilt, toText } from './functions.ts';
import { deepEqual, describeValue, isTruthy, kindOf, type JsonValue } from './json.ts';

/**
 * The values of the bindings an operator passes to evaluate (state, key, window...), by
 * slot: the position of each name in the list the expression was compiled with. A read
 * of a binding is then one load from an array of one shape, whatever the operator, where a
 * field of bindings objects of many shapes made every binding read megamorphic. A slot
 * holding undefined is a binding the operator did not provide.
 */
export type Bindings = readonly (JsonValue | undefined)[] | undefined;

/** A compiled expression or subexpression. */
export type Evaluator = (value: JsonValue, timestamp: number | null, bindings: Bindings) => JsonValue;

type JsonObject = { [key: string]: JsonValue };
type Scalar = null | boolean | number | string;

/** A compiled node, at compile time only: its closure, and its value when it is a constant. */
interface Compiled {
  readonly run: Evaluator;
  readonly constant: boolean;
  readonly value: Scalar;
}

const hasOwn = Object.hasOwn;
const FIELDS_LISTED = 10;
const SNIPPET_CHARS = 40;

/** A compiled expression: its closure, and the slots of the bindings it reads, ascending. */
export interface CompiledTree {
  readonly run: Evaluator;
  readonly slotsRead: readonly number[];
  /** Whether every value it gives is a scalar (see givesScalar). */
  readonly givesScalar: boolean;
  /** For a list literal of scalar-giving items: its items written over a list's (see intoWriter); else null. */
  readonly into: IntoWriter | null;
}

/** Evaluates a list literal's items, then writes them over `target`'s first items; returns target. */
export type IntoWriter = (target: JsonValue[], value: JsonValue, timestamp: number | null, bindings: Bindings) => JsonValue[];

/**
 * Compiles `expr` (already checked) into one closure. The names in `bindings` read the
 * bindings' slots, in that order; every other bare name reads a field of the record's value.
 *
 * @example compileTree(parseExpression('v * k'), 'v * k', ['k']).run({ v: 21 }, null, [2]) // 42
 */
export function compileTree(expr: Expr, source: string, bindings: readonly string[]): CompiledTree {
  const compiler = new Compiler(source, bindings);
  const run = compiler.compile(expr).run;
  const slotsRead = [...compiler.slotsRead].sort((a, b) => a - b);
  const into = expr.kind === 'list' && expr.items.every(givesScalar) ? intoWriter(expr.items.map((item) => compiler.compile(item).run)) : null;
  return { run, slotsRead, givesScalar: givesScalar(expr), into };
}

function dynamic(run: Evaluator): Compiled {
  return { run, constant: false, value: null };
}

function constant(value: Scalar): Compiled {
  return { run: () => value, constant: true, value };
}

function isScalar(v: JsonValue): v is Scalar {
  return v === null || typeof v !== 'object';
}

class Compiler {
  readonly #source: string;
  readonly #slots = new Map<string, number>();
  readonly slotsRead = new Set<number>();

  constructor(source: string, bindings: readonly string[]) {
    this.#source = source;
    // A name listed twice reads its first slot.
    bindings.forEach((name, slot) => {
      if (!this.#slots.has(name)) this.#slots.set(name, slot);
    });
  }

  /** The slot of the binding `name`, or undefined when `name` is not a binding. */
  #slot(name: string): number | undefined {
    const slot = this.#slots.get(name);
    if (slot !== undefined) this.slotsRead.add(slot);
    return slot;
  }

  compile(e: Expr): Compiled {
    switch (e.kind) {
      case 'literal':
        return constant(e.value);
      case 'root':
        return dynamic((v) => v);
      case 'timestamp':
        return dynamic((_v, t) => t ?? null);
      case 'name': {
        const slot = this.#slot(e.name);
        return dynamic(slot !== undefined ? bindingRead(slot, e.name) : fieldRead(e.name));
      }
      case 'member':
        return dynamic(this.#fieldOf(e.object, e.name, memberRead(this.compile(e.object).run, e.name, e.optional, this.#text(e.object))));
      case 'index': {
        const object = this.compile(e.object).run;
        const index = this.compile(e.index);
        const what = this.#text(e.object);
        if (!index.constant) return dynamic(indexRead(object, index.run, e.optional, what));
        const read = constantIndexRead(object, index.value, e.optional, what);
        return dynamic(typeof index.value === 'string' ? this.#fieldOf(e.object, index.value, read) : this.#itemOf(e.object, index.value, read));
      }
      case 'call':
        return this.#call(e);
      case 'unary': {
        const operand = this.compile(e.operand);
        return fold(e.op === '!' ? not(operand.run) : negate(operand.run), [operand]);
      }
      case 'binary':
        return this.#binary(e);
      case 'conditional': {
        const test = this.compile(e.test);
        const then = this.compile(e.then);
        const otherwise = this.compile(e.otherwise);
        if (test.constant) return isTruthy(test.value) ? then : otherwise;
        const [c, a, b] = [test.run, then.run, otherwise.run];
        return dynamic((v, t, bs) => (isTruthy(c(v, t, bs)) ? a(v, t, bs) : b(v, t, bs)));
      }
      case 'list': {
        const items = e.items.map((item) => this.compile(item).run);
        return dynamic(e.items.every(givesScalar) ? scalarListBuilder(items) : listBuilder(items));
      }
      case 'object':
        return dynamic(objectBuilder(e.entries, e.entries.map((entry) => this.compile(entry.value).run)));
    }
  }

  /**
   * Field `name` of `$` or of a binding (`$.v`, `window.start`, `state["n"]`) in one closure
   * instead of two; anything but a plain hit goes to `read`, the general reader, which
   * gives the same answer or the same error.
   */
  #fieldOf(object: Expr, name: string, read: Evaluator): Evaluator {
    if (inherited(name)) return read;
    if (object.kind === 'root') return rootField(name, read);
    const slot = object.kind === 'name' ? this.#slot(object.name) : undefined;
    if (slot !== undefined) return bindingField(slot, name, read);
    return read;
  }

  /** Item `i` of `$` or of a binding (`acc[0]`), as #fieldOf does for fields. */
  #itemOf(object: Expr, i: Scalar, read: Evaluator): Evaluator {
    if (typeof i !== 'number' || i < 0 || !Number.isInteger(i)) return read;
    if (object.kind === 'root') return rootItem(i, read);
    const slot = object.kind === 'name' ? this.#slot(object.name) : undefined;
    if (slot !== undefined) return bindingItem(slot, i, read);
    return read;
  }

  /** The source text of a node, shortened, for messages about it. */
  #text(e: Expr): string {
    const text = this.#source.slice(e.start, e.end);
    return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 3)}...` : text;
  }

  #binary(e: BinaryNode): Compiled {
    const left = this.compile(e.left);
    const right = this.compile(e.right);
    const [l, r] = [left.run, right.run];
    if (e.op === '&&' || e.op === '||') {
      // Short-circuit: a constant left side that decides the answer makes the right side dead.
      if (left.constant && isTruthy(left.value) === (e.op === '||')) return constant(e.op === '||');
      if (left.constant) return fold((v, t, b) => isTruthy(r(v, t, b)), [right]);
      const run: Evaluator =
        e.op === '&&'
          ? (v, t, b) => isTruthy(l(v, t, b)) && isTruthy(r(v, t, b))
          : (v, t, b) => isTruthy(l(v, t, b)) || isTruthy(r(v, t, b));
      return dynamic(run);
    }
    if (right.constant && typeof right.value === 'number' && !left.constant) {
      const run = constantRightOperator(e.op, l, right.value);
      if (run !== null) return dynamic(run);
    }
    return fold(binaryOperator(e.op, l, r), [left, right]);
  }

  #call(e: CallNode): Compiled {
    // The checker has already made sure the function exists and the arity fits.
    const fn = BUILTIN_FUNCTIONS.get(e.callee)!;
    const args = e.args.map((arg) => this.compile(arg));
    const fs = args.map((arg) => arg.run);
    if (fn.lazy === true) {
      return fold((v, t, b) => {
        for (let i = 0; i < fs.length; i++) {
          const x = fs[i]!(v, t, b);
          if (x !== null) return x;
        }
        return null;
      }, args);
    }
    return fold(callSite(fn.apply, fs), args);
  }
}

/**
 * A node whose inputs are all constants is evaluated now, once, if its result is a scalar.
 * A failure (say `1 / 0`) is left to happen at run time, where the language says it does.
 * Lists and objects are never shared between records, so they are rebuilt every time.
 */
function fold(run: Evaluator, inputs: readonly Compiled[]): Compiled {
  if (!inputs.every((input) => input.constant)) return dynamic(run);
  let value: JsonValue;
  try {
    value = run(null, null, undefined);
  } catch (e) {
    if (e instanceof EvalFailure) return dynamic(run);
    throw e;
  }
  return isScalar(value) ? constant(value) : dynamic(run);
}

/**
 * Whether a node gives a scalar whatever the record: a literal, an operator (arithmetic,
 * a join of strings, a comparison, a negation), `$timestamp`, or a choice between such.
 * A list of those is one level deep and has a node per item, known without a look at them.
 */
function givesScalar(e: Expr): boolean {
  switch (e.kind) {
    case 'literal':
    case 'timestamp':
    case 'unary':
    case 'binary':
      return true;
    case 'conditional':
      return givesScalar(e.then) && givesScalar(e.otherwise);
    default:
      return false;
  }
}

// Names ------------------------------------------------------------------------------------

/**
 * Whether reading `name` needs the own-field check. A record, a bindings object and a value
 * an expression built are plain objects, whose prototype is Object.prototype or null, so
 * a name Object.prototype lacks (when the expression is compiled) can only be found as an
 * own field, and the read skips `Object.hasOwn`, which costs as much as the read itself.
 * `constructor`, `toString`, `__proto__` and the like keep the check.
 */
function inherited(name: string): boolean {
  return name in Object.prototype;
}

function fieldRead(name: string): Evaluator {
  if (inherited(name)) {
    return (v) => {
      if (typeof v === 'object' && v !== null && hasOwn(v, name) && !Array.isArray(v)) {
        const x = (v as JsonObject)[name];
        if (x !== undefined) return x;
      }
      return fail(missingRecordField(v, name));
    };
  }
  return (v) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const x = (v as JsonObject)[name];
      if (x !== undefined) return x;
    }
    return fail(missingRecordField(v, name));
  };
}

function bindingRead(slot: number, name: string): Evaluator {
  return (_v, _t, b) => {
    if (b !== undefined) {
      const x = b[slot];
      if (x !== undefined) return x;
    }
    return fail(notProvided(name));
  };
}

function notProvided(name: string): string {
  return `the operator did not provide '${name}' to this expression`;
}

function fieldList(o: object): string {
  const keys = Object.keys(o).sort();
  if (keys.length === 0) return 'it has no fields';
  const shown = keys.slice(0, FIELDS_LISTED).join(', ');
  return `its fields: ${shown}${keys.length > FIELDS_LISTED ? `, ... (${keys.length} in all)` : ''}`;
}

function missingRecordField(v: JsonValue, name: string): string {
  if (kindOf(v) === 'object') return `record has no field '${name}' (${fieldList(v as object)})`;
  return `record has no field '${name}': its value is ${describeValue(v)}, not an object (use $ for the whole value)`;
}

function memberRead(object: Evaluator, name: string, optional: boolean, what: string): Evaluator {
  if (inherited(name)) {
    return (v, t, b) => {
      const o = object(v, t, b);
      if (typeof o === 'object' && o !== null && hasOwn(o, name) && !Array.isArray(o)) {
        const x = (o as JsonObject)[name];
        if (x !== undefined) return x;
      }
      return memberMiss(o, name, optional, what);
    };
  }
  return (v, t, b) => {
    const o = object(v, t, b);
    if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
      const x = (o as JsonObject)[name];
      if (x !== undefined) return x;
    }
    return memberMiss(o, name, optional, what);
  };
}

function memberMiss(o: JsonValue, name: string, optional: boolean, what: string): JsonValue {
  const kind = kindOf(o);
  if (optional && (kind === 'null' || kind === 'object')) return null;
  if (kind === 'object') return fail(`${what} has no field '${name}' (${fieldList(o as object)}; ${what}?.${name} gives null instead)`);
  if (kind === 'null') return fail(`cannot read field '${name}' of ${what}: it is null (${what}?.${name} gives null instead)`);
  if (kind === 'list') return fail(`cannot read field '${name}' of ${what}: it is a list, not an object (index it: ${what}[0])`);
  return fail(`cannot read field '${name}' of ${what}: it is ${describeValue(o)}, not an object`);
}

function indexRead(object: Evaluator, index: Evaluator, optional: boolean, what: string): Evaluator {
  return (v, t, b) => {
    const o = object(v, t, b);
    const i = index(v, t, b);
    if (Array.isArray(o)) {
      if (typeof i === 'number' && i >= 0 && i < o.length && Number.isInteger(i)) {
        const x = o[i];
        if (x !== undefined) return x;
      }
    } else if (typeof o === 'object' && o !== null && typeof i === 'string' && hasOwn(o, i)) {
      const x = (o as JsonObject)[i];
      if (x !== undefined) return x;
    }
    return indexMiss(o, i, optional, what);
  };
}

/**
 * An index that is a constant (`acc[0]`, `$["a b"]`) is checked once, here: a whole number
 * needs only the bounds check per record, a string reads like a field.
 */
function constantIndexRead(object: Evaluator, i: Scalar, optional: boolean, what: string): Evaluator {
  if (typeof i === 'number' && i >= 0 && Number.isInteger(i)) {
    return (v, t, b) => {
      const o = object(v, t, b);
      if (Array.isArray(o) && i < o.length) {
        const x = o[i];
        if (x !== undefined) return x;
      }
      return indexMiss(o, i, optional, what);
    };
  }
  if (typeof i === 'string' && !inherited(i)) {
    return (v, t, b) => {
      const o = object(v, t, b);
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
        const x = (o as JsonObject)[i];
        if (x !== undefined) return x;
      }
      return indexMiss(o, i, optional, what);
    };
  }
  return indexRead(object, () => i, optional, what);
}

/*
 * Fused reads: the object is `$` or a binding, read in place. Reads have no effects, so on
 * anything but a hit the general reader can start again and say what is wrong.
 */

function rootField(name: string, read: Evaluator): Evaluator {
  return (v, t, b) => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const x = (v as JsonObject)[name];
      if (x !== undefined) return x;
    }
    return read(v, t, b);
  };
}

function bindingField(slot: number, name: string, read: Evaluator): Evaluator {
  return (v, t, b) => {
    if (b !== undefined) {
      const o = b[slot];
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) {
        const x = (o as JsonObject)[name];
        if (x !== undefined) return x;
      }
    }
    return read(v, t, b);
  };
}

function rootItem(i: number, read: Evaluator): Evaluator {
  return (v, t, b) => {
    if (Array.isArray(v) && i < v.length) {
      const x = (v as JsonValue[])[i];
      if (x !== undefined) return x;
    }
    return read(v, t, b);
  };
}

function bindingItem(slot: number, i: number, read: Evaluator): Evaluator {
  return (v, t, b) => {
    if (b !== undefined) {
      const o = b[slot];
      if (Array.isArray(o) && i < o.length) {
        const x = (o as JsonValue[])[i];
        if (x !== undefined) return x;
      }
    }
    return read(v, t, b);
  };
}

function indexMiss(o: JsonValue, i: JsonValue, optional: boolean, what: string): JsonValue {
  const kind = kindOf(o);
  if (kind === 'list') {
    const length = (o as JsonValue[]).length;
    if (typeof i !== 'number') return fail(`a list is indexed by a number, but the index into ${what} is ${describeValue(i)}`);
    if (!Number.isInteger(i)) return fail(`a list index must be an integer, but the index into ${what} is ${i}`);
    if (optional) return null;
    return fail(`index ${i} is out of range for ${what}, a list of length ${length}`);
  }
  if (kind === 'object') {
    if (typeof i !== 'string') return fail(`an object is indexed by a string, but the index into ${what} is ${describeValue(i)}`);
    if (optional) return null;
    return fail(`${what} has no field '${i}' (${fieldList(o as object)})`);
  }
  if (kind === 'null') {
    if (optional) return null;
    return fail(`cannot index ${what}: it is null (${what}?.[...] gives null instead)`);
  }
  return fail(`cannot index ${what}: it is ${describeValue(o)}; only lists and objects can be indexed`);
}

// Operators --------------------------------------------------------------------------------

function not(f: Evaluator): Evaluator {
  return (v, t, b) => !isTruthy(f(v, t, b));
}

function negate(f: Evaluator): Evaluator {
  return (v, t, b) => {
    const x = f(v, t, b);
    // 0 - x rather than -x: negating 0 gives 0, never -0.
    if (typeof x === 'number') return 0 - x;
    return fail(`cannot apply '-' to ${describeValue(x)}: it negates numbers`);
  };
}

function badOperands(op: string, x: JsonValue, y: JsonValue, hint: string): never {
  return fail(`cannot apply '${op}' to ${describeValue(x)} and ${describeValue(y)}: ${hint}`);
}

function tooLarge(op: string, x: number, y: number): never {
  return fail(`the result of ${x} ${op} ${y} is too large for a JSON number`);
}

/** '+' adds numbers; when either side is a string it joins their texts. */
function add(x: JsonValue, y: JsonValue): JsonValue {
  if (typeof x === 'number' && typeof y === 'number') {
    const z = x + y;
    return z - z === 0 ? z + 0 : tooLarge('+', x, y);
  }
  if (typeof x === 'string' || typeof y === 'string') {
    const a = typeof x === 'string' ? x : toText(x);
    const b = typeof y === 'string' ? y : toText(y);
    checkBuilt("'+'", 'string', a.length + b.length);
    return a + b;
  }
  const lists = Array.isArray(x) && Array.isArray(y);
  return badOperands('+', x, y, lists ? 'to join lists, use concat(a, b)' : 'it adds numbers or joins strings');
}

const NUMBERS = 'it works on numbers';

/**
 * `x + 1`, `x - c`, `x * c` with a constant number on the right, the usual shape of a counter
 * or a scaling: the number case in one closure, without calling the constant's closure;
 * anything else goes to the operator's general code, which gives the same answer or error.
 * null for the other operators.
 */
function constantRightOperator(op: BinaryNode['op'], l: Evaluator, c: number): Evaluator | null {
  switch (op) {
    case '+':
      return (v, t, b) => {
        const x = l(v, t, b);
        if (typeof x === 'number') {
          const z = x + c;
          if (z - z === 0) return z + 0;
        }
        return add(x, c);
      };
    case '-':
      return (v, t, b) => {
        const x = l(v, t, b);
        if (typeof x === 'number') {
          const z = x - c;
          if (z - z === 0) return z + 0;
          return tooLarge('-', x, c);
        }
        return badOperands('-', x, c, NUMBERS);
      };
    case '*':
      return (v, t, b) => {
        const x = l(v, t, b);
        if (typeof x === 'number') {
          const z = x * c;
          if (z - z === 0) return z + 0;
          return tooLarge('*', x, c);
        }
        return badOperands('*', x, c, NUMBERS);
      };
    default:
      return null;
  }
}

function binaryOperator(op: Exclude<BinaryNode['op'], '&&' | '||'>, l: Evaluator, r: Evaluator): Evaluator {
  switch (op) {
    case '+':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if (typeof x === 'number' && typeof y === 'number') {
          const z = x + y;
          if (z - z === 0) return z + 0;
        }
        return add(x, y);
      };
    case '-':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if (typeof x !== 'number' || typeof y !== 'number') return badOperands('-', x, y, NUMBERS);
        const z = x - y;
        return z - z === 0 ? z + 0 : tooLarge('-', x, y);
      };
    case '*':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if (typeof x !== 'number' || typeof y !== 'number') return badOperands('*', x, y, NUMBERS);
        const z = x * y;
        return z - z === 0 ? z + 0 : tooLarge('*', x, y);
      };
    case '/':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if (typeof x !== 'number' || typeof y !== 'number') return badOperands('/', x, y, NUMBERS);
        if (y === 0) return fail(`division by zero (${x} / 0)`);
        const z = x / y;
        return z - z === 0 ? z + 0 : tooLarge('/', x, y);
      };
    case '%':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if (typeof x !== 'number' || typeof y !== 'number') return badOperands('%', x, y, NUMBERS);
        if (y === 0) return fail(`division by zero (${x} % 0)`);
        // Finite x and non-zero y always give a finite remainder with the sign of x.
        return (x % y) + 0;
      };
    case '==':
      return (v, t, b) => deepEqual(l(v, t, b), r(v, t, b));
    case '!=':
      return (v, t, b) => !deepEqual(l(v, t, b), r(v, t, b));
    case '<':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if ((typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string')) return x < y;
        return badCompare('<', x, y);
      };
    case '<=':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if ((typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string')) return x <= y;
        return badCompare('<=', x, y);
      };
    case '>':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if ((typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string')) return x > y;
        return badCompare('>', x, y);
      };
    case '>=':
      return (v, t, b) => {
        const x = l(v, t, b);
        const y = r(v, t, b);
        if ((typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string')) return x >= y;
        return badCompare('>=', x, y);
      };
  }
}

function badCompare(op: string, x: JsonValue, y: JsonValue): never {
  return badOperands(op, x, y, 'it compares two numbers or two strings');
}

// Calls, lists, objects ---------------------------------------------------------------------

/**
 * A call site owns one argument array, filled afresh on every call: evaluation never
 * re-enters a call site while it is filling its own arguments (the tree has no cycles), so
 * no array is allocated per record.
 */
function callSite(apply: (args: readonly JsonValue[]) => JsonValue, fs: readonly Evaluator[]): Evaluator {
  const args: JsonValue[] = fs.map(() => null);
  const [f0, f1, f2] = fs;
  if (fs.length === 1 && f0 !== undefined) {
    return (v, t, b) => {
      args[0] = f0(v, t, b);
      return apply(args);
    };
  }
  if (fs.length === 2 && f0 !== undefined && f1 !== undefined) {
    return (v, t, b) => {
      args[0] = f0(v, t, b);
      args[1] = f1(v, t, b);
      return apply(args);
    };
  }
  if (fs.length === 3 && f0 !== undefined && f1 !== undefined && f2 !== undefined) {
    return (v, t, b) => {
      args[0] = f0(v, t, b);
      args[1] = f1(v, t, b);
      args[2] = f2(v, t, b);
      return apply(args);
    };
  }
  return (v, t, b) => {
    for (let i = 0; i < fs.length; i++) args[i] = fs[i]!(v, t, b);
    return apply(args);
  };
}

const LIST = 'a list';
const OBJECT = 'an object';

/**
 * Lists of up to six items, the usual case (a window result `[key, window.start,
 * window.end, count, sum]`), are built as one literal in straight-line code; longer ones
 * with push.
 */
function listBuilder(fs: readonly Evaluator[]): Evaluator {
  const [f0, f1, f2, f3, f4, f5] = fs;
  switch (fs.length) {
    case 0:
      return () => [];
    case 1:
      return (v, t, b) => builtList(LIST, [f0!(v, t, b)]);
    case 2:
      return (v, t, b) => builtList(LIST, [f0!(v, t, b), f1!(v, t, b)]);
    case 3:
      return (v, t, b) => builtList(LIST, [f0!(v, t, b), f1!(v, t, b), f2!(v, t, b)]);
    case 4:
      return (v, t, b) => builtList(LIST, [f0!(v, t, b), f1!(v, t, b), f2!(v, t, b), f3!(v, t, b)]);
    case 5:
      return (v, t, b) => builtList(LIST, [f0!(v, t, b), f1!(v, t, b), f2!(v, t, b), f3!(v, t, b), f4!(v, t, b)]);
    case 6:
      return (v, t, b) => builtList(LIST, [f0!(v, t, b), f1!(v, t, b), f2!(v, t, b), f3!(v, t, b), f4!(v, t, b), f5!(v, t, b)]);
    default:
      return (v, t, b) => {
        const out: JsonValue[] = [];
        for (let i = 0; i < fs.length; i++) out.push(fs[i]!(v, t, b));
        return builtList(LIST, out);
      };
  }
}

/**
 * A list whose items all give scalars (`[acc[0] + 1, acc[1] + $.v]`, an accumulator's
 * usual shape): one level deep, one node per item, so it has nothing to measure; past six
 * items the general limit check still runs on the count.
 */
function scalarListBuilder(fs: readonly Evaluator[]): Evaluator {
  const [f0, f1, f2, f3, f4, f5] = fs;
  switch (fs.length) {
    case 0:
      return () => [];
    case 1:
      return (v, t, b) => [f0!(v, t, b)];
    case 2:
      return (v, t, b) => [f0!(v, t, b), f1!(v, t, b)];
    case 3:
      return (v, t, b) => [f0!(v, t, b), f1!(v, t, b), f2!(v, t, b)];
    case 4:
      return (v, t, b) => [f0!(v, t, b), f1!(v, t, b), f2!(v, t, b), f3!(v, t, b)];
    case 5:
      return (v, t, b) => [f0!(v, t, b), f1!(v, t, b), f2!(v, t, b), f3!(v, t, b), f4!(v, t, b)];
    case 6:
      return (v, t, b) => [f0!(v, t, b), f1!(v, t, b), f2!(v, t, b), f3!(v, t, b), f4!(v, t, b), f5!(v, t, b)];
    default:
      return (v, t, b) => {
        const out: JsonValue[] = [];
        for (let i = 0; i < fs.length; i++) out.push(fs[i]!(v, t, b));
        return builtScalars(LIST, out);
      };
  }
}

/**
 * A list literal's items evaluated into a list that exists: all of them first, since they
 * may read the list (`[acc[0] + 1, acc[1] + v]` over acc), then written, so that a failure
 * leaves the list as it was. For an accumulator its owner updates in place.
 */
function intoWriter(fs: readonly Evaluator[]): IntoWriter {
  const [f0, f1, f2, f3] = fs;
  switch (fs.length) {
    case 1:
      return (target, v, t, b) => {
        target[0] = f0!(v, t, b);
        return target;
      };
    case 2:
      return (target, v, t, b) => {
        const x0 = f0!(v, t, b);
        target[1] = f1!(v, t, b);
        target[0] = x0;
        return target;
      };
    case 3:
      return (target, v, t, b) => {
        const x0 = f0!(v, t, b);
        const x1 = f1!(v, t, b);
        target[2] = f2!(v, t, b);
        target[0] = x0;
        target[1] = x1;
        return target;
      };
    case 4:
      return (target, v, t, b) => {
        const x0 = f0!(v, t, b);
        const x1 = f1!(v, t, b);
        const x2 = f2!(v, t, b);
        target[3] = f3!(v, t, b);
        target[0] = x0;
        target[1] = x1;
        target[2] = x2;
        return target;
      };
    default: {
      const scratch: JsonValue[] = fs.map(() => null);
      return (target, v, t, b) => {
        for (let i = 0; i < fs.length; i++) scratch[i] = fs[i]!(v, t, b);
        for (let i = 0; i < fs.length; i++) target[i] = scratch[i]!;
        return target;
      };
    }
  }
}

function objectBuilder(entries: readonly ObjectEntry[], fs: readonly Evaluator[]): Evaluator {
  const keys = entries.map((entry) => entry.key);
  if (keys.includes('__proto__')) {
    // An assignment to o['__proto__'] would set the prototype; define the field instead.
    return (v, t, b) => {
      const o: JsonObject = {};
      for (let i = 0; i < fs.length; i++) {
        Object.defineProperty(o, keys[i]!, { value: fs[i]!(v, t, b), enumerable: true, writable: true, configurable: true });
      }
      return builtObject(OBJECT, o);
    };
  }
  const [k0, k1, k2, k3] = keys;
  const [f0, f1, f2, f3] = fs;
  // Small objects, the usual case, get straight-line code: each store has one constant key.
  switch (fs.length) {
    case 0:
      return () => ({});
    case 1:
      return (v, t, b) => {
        const o: JsonObject = {};
        const x0 = (o[k0!] = f0!(v, t, b));
        return builtFields(OBJECT, o, x0);
      };
    case 2:
      return (v, t, b) => {
        const o: JsonObject = {};
        const x0 = (o[k0!] = f0!(v, t, b));
        const x1 = (o[k1!] = f1!(v, t, b));
        return builtFields(OBJECT, o, x0, x1);
      };
    case 3:
      return (v, t, b) => {
        const o: JsonObject = {};
        const x0 = (o[k0!] = f0!(v, t, b));
        const x1 = (o[k1!] = f1!(v, t, b));
        const x2 = (o[k2!] = f2!(v, t, b));
        return builtFields(OBJECT, o, x0, x1, x2);
      };
    case 4:
      return (v, t, b) => {
        const o: JsonObject = {};
        const x0 = (o[k0!] = f0!(v, t, b));
        const x1 = (o[k1!] = f1!(v, t, b));
        const x2 = (o[k2!] = f2!(v, t, b));
        const x3 = (o[k3!] = f3!(v, t, b));
        return builtFields(OBJECT, o, x0, x1, x2, x3);
      };
    default:
      return (v, t, b) => {
        const o: JsonObject = {};
        for (let i = 0; i < fs.length; i++) o[keys[i]!] = fs[i]!(v, t, b);
        return builtObject(OBJECT, o);
      };
  }
}
