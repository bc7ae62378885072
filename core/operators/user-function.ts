/**
 * User functions: the code a job's author writes (a MapFunction, a FilterFunction, a
 * KeySelector). In a scenario file they are expressions; in the DataStream API they are
 * TypeScript functions. When one throws, Flink fails the task and hands the failure to the
 * restart strategy; Weir does the same, so every throw from user code becomes a
 * `UserFunctionError` that the task turns into a task failure (a bug in Weir itself is
 * not caught this way and stops the run).
 */
import type { JsonValue } from '../model/index.ts';
import { ExprRuntimeError, type CompiledExpr } from '../expr/index.ts';

/** A function of one record's value and timestamp. */
export type RecordFunction<R> = (value: JsonValue, timestamp: number | null) => R;

/**
 * Error classes whose name tells the reader of a failure nothing: an expression's runtime
 * error, and JavaScript's own (what Weir throws about a value a user function gave, or what
 * an API function threw). A failure cause shows only their message; a class with a meaning
 * of its own (`ProducerFencedError`) keeps its name, as Flink's causes name their exceptions.
 */
const PLAIN_ERRORS: ReadonlySet<string> = new Set(['ExprRuntimeError', 'Error', 'TypeError', 'RangeError', 'ReferenceError', 'SyntaxError', 'EvalError', 'URIError']);

/** What user code threw, as a failure cause says it: the message, after the class name only when that says something. */
function describeThrown(thrown: unknown): string {
  if (!(thrown instanceof Error)) return `threw ${String(thrown)}`;
  return PLAIN_ERRORS.has(thrown.name) ? thrown.message : `${thrown.name}: ${thrown.message}`;
}

/**
 * User code threw. `cause` is what it threw; `subject` is who failed, as the failure cause
 * begins: the operator, or the part of it that failed when the operator is not one function
 * (`keyBy 'byUser': its key "user.id"`, `window 'perSecond': its aggregate sum over "amount"`).
 */
export class UserFunctionError extends Error {
  readonly operator: string;
  readonly subject: string;
  constructor(operator: string, cause: unknown, subject = `operator '${operator}'`) {
    super(describeThrown(cause), { cause });
    this.name = 'UserFunctionError';
    this.operator = operator;
    this.subject = subject;
  }
}

/** Whether an error came from user code (an expression or an API function). */
export function isUserError(error: unknown): error is UserFunctionError | ExprRuntimeError {
  return error instanceof UserFunctionError || error instanceof ExprRuntimeError;
}

/** The function an expression computes. */
export function expressionFunction(expr: CompiledExpr): RecordFunction<JsonValue> {
  return (value, timestamp) => expr.evaluate(value, timestamp);
}

/**
 * Wraps a user function (an API function or a compiled expression) so that what it throws
 * is a UserFunctionError that names `operator`: in a chain of several operators in one
 * task, the failure must say which of them failed, not only the task. `subject`: see
 * UserFunctionError.
 */
export function guarded<R>(operator: string, fn: RecordFunction<R>, subject?: string): RecordFunction<R> {
  return (value, timestamp) => {
    try {
      return fn(value, timestamp);
    } catch (e) {
      if (e instanceof UserFunctionError) throw e;
      throw new UserFunctionError(operator, e, subject);
    }
  };
}

/**
 * The failure cause a task reports for a user-code error: what was thrown, and by which
 * operator of the chain (or which part of it) when that is known, else which expression.
 * @example userFailureCause(new UserFunctionError('parse', new TypeError('bad'))) // "operator 'parse' failed: bad"
 */
export function userFailureCause(error: UserFunctionError | ExprRuntimeError): string {
  if (error instanceof UserFunctionError) return `${error.subject} failed: ${error.message}`;
  return `expression ${JSON.stringify(error.source)} failed: ${error.message}`;
}
