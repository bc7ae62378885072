/**
 * The scenario expression language: the small, side-effect-free language in which a
 * scenario file writes what Flink would take as a user function (a `MapFunction`, a
 * `FilterFunction`, a `KeySelector`, a `TimestampAssigner`). Operators compile their
 * expression once, when the job is built, and evaluate it on every record.
 *
 * The pipeline is lexer -> parser -> checker -> compiler to closures. The language can
 * only read the record, the timestamp and the bindings its operator passes; it cannot
 * reach globals, prototypes or host objects, and every function gives the same result in
 * every JavaScript engine. docs/expressions.md is the reference for scenario authors.
 */
import type { Expr } from './ast.ts';
import { checkExpression } from './checker.ts';
import { compileTree, type Bindings } from './compile.ts';
import { EvalFailure, ExprRuntimeError } from './errors.ts';
import type { JsonValue } from './json.ts';
import { MAX_DEPTH, MAX_SOURCE_LENGTH, parseExpression } from './parser.ts';

export { ExprRuntimeError, ExprSyntaxError } from './errors.ts';
export { canonicalJson, deepEqual, isTruthy, murmur3Utf8, stableHash32, type JsonValue } from './json.ts';
export { BUILTIN_FUNCTIONS, NYC_BOUNDS, VALUE_LIMITS, type BuiltinFunction } from './functions.ts';

/** The limits every expression is held to (source length in characters, nesting depth). */
export const EXPR_LIMITS: Readonly<{ maxSourceLength: number; maxDepth: number }> = Object.freeze({
  maxSourceLength: MAX_SOURCE_LENGTH,
  maxDepth: MAX_DEPTH,
});

/** Options for `compileExpression`. */
export interface CompileOptions {
  /**
   * Extra names in scope, read from the `bindings` argument of `evaluate` instead of the
   * record, e.g. `['state', 'key', 'window']`. A binding hides a record field of the same
   * name; `$.name` still reads the field.
   */
  bindings?: readonly string[];
  /**
   * Put before the message of every runtime error, e.g. `aggregate.add`: the part of the
   * operator whose expression failed ("aggregate.add: division by zero (1 / 0)"). The
   * operator names it here rather than by catching and rethrowing on every call.
   */
  failurePrefix?: string;
}

/** An expression compiled once and evaluated per record. */
export interface CompiledExpr {
  /** The expression text, as written in the scenario. */
  readonly source: string;
  /** Top-level record fields the expression reads (not bindings, not $), sorted, for static checks against known record shapes. */
  readonly fields: readonly string[];
  /**
   * Evaluates the expression on one record: `value` is the record's value, `timestamp`
   * its event timestamp (null when it has none), `bindings` the values of the names
   * declared in `CompileOptions.bindings`.
   *
   * @throws ExprRuntimeError when the record does not fit the expression (a missing field,
   * a division by zero, a string where a number is needed)
   */
  evaluate(value: JsonValue, timestamp: number | null, bindings?: Readonly<Record<string, JsonValue>>): JsonValue;
  /**
   * As `evaluate`, with the bindings' values given by position, in the order
   * `CompileOptions.bindings` names them: nothing to look up by name per call. An operator
   * that evaluates per record keeps one array and refills it.
   *
   * @example compileExpression('acc + v', { bindings: ['acc'] }).evaluateWith({ v: 2 }, null, [40]) // 42
   * @throws ExprRuntimeError as `evaluate` does
   */
  evaluateWith(value: JsonValue, timestamp: number | null, bindings: readonly JsonValue[]): JsonValue;
  /** Whether every value it gives is a scalar, whatever the record (an operator, a literal: `acc + 1`). */
  readonly givesScalar: boolean;
  /**
   * For an expression that is a list literal of `length` scalar-giving items
   * (`[acc[0] + 1, acc[1] + v]`): as `evaluateWith`, but the items are written over those of
   * `target`, a list of `length` items, which is returned; all are evaluated before any is
   * written, so a failure leaves `target` as it was. For an owner that updates its own list
   * in place (an accumulator) instead of replacing it. null for any other expression.
   * @example compileExpression('[acc[0] + 1]', { bindings: ['acc'] }).into!.evaluateInto(acc, null, null, [acc]) // acc, its item one more
   * @throws ExprRuntimeError as `evaluate` does
   */
  readonly into: { readonly length: number; evaluateInto(target: JsonValue[], value: JsonValue, timestamp: number | null, bindings: readonly JsonValue[]): JsonValue[] } | null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parses, checks and compiles an expression. Do this once per operator, not per record.
 *
 * @example
 * const triple = compileExpression('{key: key, v: value * 3 + 1}');
 * triple.evaluate({ key: 'a', value: 2 }, 10); // { key: 'a', v: 7 }
 * triple.fields;                               // ['key', 'value']
 *
 * @example
 * const withState = compileExpression('coalesce(state, 0) + v', { bindings: ['state'] });
 * withState.evaluate({ v: 2 }, null, { state: 40 }); // 42
 *
 * @throws ExprSyntaxError when the expression does not parse, calls an unknown function,
 * passes the wrong number of arguments, or exceeds a limit (EXPR_LIMITS)
 */
export function compileExpression(source: string, options?: CompileOptions): CompiledExpr {
  const bindings = new Set<string>();
  for (const name of options?.bindings ?? []) {
    if (!NAME.test(name) || name === 'true' || name === 'false' || name === 'null') {
      throw new TypeError(`compileExpression: the binding name '${name}' is not a plain name`);
    }
    bindings.add(name);
  }
  const tree = parseExpression(source);
  const { fields } = checkExpression(tree, source, bindings);
  // Slots by position in the list as given, so that evaluateWith's array lines up with it.
  const names = options?.bindings ?? [];
  const { run, slotsRead, givesScalar, into: writeInto } = compileTree(tree, source, names);
  const prefix = options?.failurePrefix === undefined ? '' : `${options.failurePrefix}: `;
  const evaluateWith = (value: JsonValue, timestamp: number | null, given: Bindings): JsonValue => {
    try {
      return run(value, timestamp, given);
    } catch (e) {
      if (e instanceof EvalFailure) throw new ExprRuntimeError(prefix + e.detail, source);
      throw e;
    }
  };
  // The slots of a bindings object, filled per call and emptied after it, so that the values
  // are not held past the call. Evaluation never re-enters its own expression, so one array serves.
  const slots: (JsonValue | undefined)[] = names.map(() => undefined);
  const read = slotsRead.map((slot) => ({ slot, name: names[slot]!, inherited: names[slot]! in Object.prototype }));
  const evaluate = (value: JsonValue, timestamp: number | null, given?: Readonly<Record<string, JsonValue>>): JsonValue => {
    if (given === undefined) return evaluateWith(value, timestamp, undefined);
    // A name Object.prototype has (`constructor`) is a binding only as an own field.
    for (const { slot, name, inherited } of read) slots[slot] = inherited && !Object.hasOwn(given, name) ? undefined : given[name];
    try {
      return evaluateWith(value, timestamp, slots);
    } finally {
      for (const { slot } of read) slots[slot] = undefined;
    }
  };
  const into =
    writeInto === null || tree.kind !== 'list'
      ? null
      : Object.freeze({
          length: tree.items.length,
          evaluateInto(target: JsonValue[], value: JsonValue, timestamp: number | null, given: Bindings): JsonValue[] {
            try {
              return writeInto(target, value, timestamp, given);
            } catch (e) {
              if (e instanceof EvalFailure) throw new ExprRuntimeError(prefix + e.detail, source);
              throw e;
            }
          },
        });
  return Object.freeze({ source, fields: Object.freeze(fields.slice()), evaluate, evaluateWith, givesScalar, into });
}

/** What an expression gives on any record, when its form alone says so. */
export type StaticKind = 'list' | 'object' | 'number' | 'string' | 'boolean' | 'null';

/**
 * The kind of value `source` gives whatever the record, when its top is a literal, a list or
 * an object literal (a conditional whose branches agree), else null (it depends on the
 * record). Lets a validator refuse, say, a flatMap that can only return an object.
 * @example staticKindOf('{a: x}') // 'object'; staticKindOf('split(text, " ")') // null
 * @throws ExprSyntaxError when it does not parse
 */
export function staticKindOf(source: string): StaticKind | null {
  const kindOf = (node: Expr): StaticKind | null => {
    switch (node.kind) {
      case 'list':
        return 'list';
      case 'object':
        return 'object';
      case 'literal':
        return node.value === null ? 'null' : (typeof node.value as 'number' | 'string' | 'boolean');
      case 'conditional': {
        const then = kindOf(node.then);
        return then !== null && then === kindOf(node.otherwise) ? then : null;
      }
      default:
        return null;
    }
  };
  return kindOf(parseExpression(source));
}

/**
 * The members of the binding `name` that `source` reads by a fixed name (`state.count`,
 * `state["count"]`), and whether it also uses the binding otherwise (`keys(state)`,
 * `state[k]`), so that a validator can tell which states an expression reads.
 * @example bindingMembers('state.a + len(state["b"])', 'state') // { members: ['a', 'b'], whole: false }
 * @throws ExprSyntaxError when it does not parse
 */
export function bindingMembers(source: string, name: string): { members: string[]; whole: boolean } {
  const members = new Set<string>();
  let whole = false;
  const isBinding = (n: Expr): boolean => n.kind === 'name' && n.name === name;
  const visit = (n: Expr): void => {
    switch (n.kind) {
      case 'name':
        if (n.name === name) whole = true;
        return;
      case 'member':
        if (isBinding(n.object)) members.add(n.name);
        else visit(n.object);
        return;
      case 'index':
        if (isBinding(n.object) && n.index.kind === 'literal' && typeof n.index.value === 'string') members.add(n.index.value);
        else {
          visit(n.object);
          visit(n.index);
        }
        return;
      case 'call':
        n.args.forEach(visit);
        return;
      case 'unary':
        visit(n.operand);
        return;
      case 'binary':
        visit(n.left);
        visit(n.right);
        return;
      case 'conditional':
        visit(n.test);
        visit(n.then);
        visit(n.otherwise);
        return;
      case 'list':
        n.items.forEach(visit);
        return;
      case 'object':
        n.entries.forEach((e) => visit(e.value));
        return;
      default:
        return;
    }
  };
  visit(parseExpression(source));
  return { members: [...members], whole };
}
