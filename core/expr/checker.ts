/**
 * The checker reads a parsed expression once, before any record flows, and catches what
 * can be known without data: calls of functions that do not exist, calls with the wrong
 * number of arguments. Like Flink's job-graph validation, it turns mistakes a teacher
 * would otherwise see as a failing task into an error at load time, with a column.
 *
 * It also resolves names: a bare name is a binding when the operator declared one by that
 * name (`state`, `key`, `window`), and otherwise a field of the record. The fields read
 * are collected so the scenario validator can compare them with the record shapes it
 * knows about.
 */
import type { Expr } from './ast.ts';
import { ExprSyntaxError } from './errors.ts';
import { BUILTIN_FUNCTIONS, type BuiltinFunction } from './functions.ts';

/** What the checker learned about an expression. */
export interface CheckResult {
  /** Top-level record fields read through bare names, sorted, without duplicates. */
  readonly fields: readonly string[];
}

/**
 * Checks calls and collects the record fields that `expr` reads; `bindings` are the names
 * that resolve to the operator's bindings instead.
 *
 * @example checkExpression(parseExpression('floor(v) + k'), 'floor(v) + k', new Set(['k'])).fields // ['v']
 * @throws ExprSyntaxError for an unknown function or a wrong number of arguments
 */
export function checkExpression(expr: Expr, source: string, bindings: ReadonlySet<string>): CheckResult {
  const fields = new Set<string>();
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'literal':
      case 'root':
      case 'timestamp':
        return;
      case 'name':
        if (!bindings.has(e.name)) fields.add(e.name);
        return;
      case 'member':
        visit(e.object);
        return;
      case 'index':
        visit(e.object);
        visit(e.index);
        return;
      case 'call':
        checkCall(e.callee, e.args.length, e.start, source);
        e.args.forEach(visit);
        return;
      case 'unary':
        visit(e.operand);
        return;
      case 'binary':
        visit(e.left);
        visit(e.right);
        return;
      case 'conditional':
        visit(e.test);
        visit(e.then);
        visit(e.otherwise);
        return;
      case 'list':
        e.items.forEach(visit);
        return;
      case 'object':
        for (const entry of e.entries) visit(entry.value);
        return;
    }
  };
  visit(expr);
  return { fields: [...fields].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

function checkCall(name: string, given: number, start: number, source: string): void {
  const fn = BUILTIN_FUNCTIONS.get(name);
  if (fn === undefined) throw new ExprSyntaxError(unknownFunction(name), source, start + 1);
  if (given < fn.minArgs || given > fn.maxArgs) {
    throw new ExprSyntaxError(`${name}() takes ${arity(fn)} but was given ${given}`, source, start + 1);
  }
}

function arity(fn: BuiltinFunction): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if (fn.maxArgs === Infinity) return `at least ${plural(fn.minArgs)}`;
  if (fn.minArgs === fn.maxArgs) return plural(fn.minArgs);
  return `${fn.minArgs} to ${plural(fn.maxArgs)}`;
}

function unknownFunction(name: string): string {
  const names = [...BUILTIN_FUNCTIONS.keys()].sort();
  // Allow one typo per three letters, at most two: 'flor' -> floor, 'uper' -> upper.
  const tolerance = Math.min(2, Math.floor(name.length / 3));
  const near = names.filter((n) => editDistance(n, name.toLowerCase()) <= tolerance);
  const hint = near.length > 0 ? `did you mean ${near.join(' or ')}?` : `the functions are ${names.join(', ')}`;
  return `unknown function '${name}' (${hint})`;
}

/** Levenshtein distance, for "did you mean". Names are short; the quadratic table is fine. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = row;
  }
  return previous[b.length]!;
}
