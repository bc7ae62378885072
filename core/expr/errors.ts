/**
 * An expression can go wrong in two ways, at two different moments, and Weir keeps them
 * apart as Flink keeps a job that does not build apart from a task that fails. A syntax
 * error is found when the scenario is loaded: the job never starts, and the message points
 * at the column to fix. A runtime error happens while a record is processed (a missing
 * field, a division by zero): the user function threw, so the task fails and the restart
 * strategy decides what happens next.
 */

/**
 * The expression does not parse or does not check (unknown function, wrong number of
 * arguments, too long, nested too deeply). Thrown by `compileExpression`, never by
 * `evaluate`.
 *
 * @example
 * try { compileExpression('floor(x') } catch (e) {
 *   // e.message === "column 8: expected ')' but found end of expression"; e.column === 8
 * }
 */
export class ExprSyntaxError extends Error {
  /** 1-based position of the offending character in `source` (source.length + 1 for its end). */
  readonly column: number;
  /** The whole expression text. */
  readonly source: string;
  /** What is wrong, without the position (the message is `column N: detail`). */
  readonly detail: string;

  constructor(detail: string, source: string, column: number) {
    super(`column ${column}: ${detail}`);
    this.name = 'ExprSyntaxError';
    this.detail = detail;
    this.source = source;
    this.column = column;
  }
}

/**
 * Evaluating the expression on one record failed. The engine treats it like an exception
 * thrown by a Flink user function: the task fails.
 *
 * @example
 * compileExpression('amount * 2').evaluate({ v: 1 }, null)
 * // throws ExprRuntimeError: "record has no field 'amount' (its fields: v)"
 */
export class ExprRuntimeError extends Error {
  /** What went wrong (equal to the message). */
  readonly detail: string;
  /** The expression that was being evaluated. */
  readonly source: string;

  constructor(detail: string, source: string) {
    super(detail);
    this.name = 'ExprRuntimeError';
    this.detail = detail;
    this.source = source;
  }
}

/**
 * Internal: how the closures report a failure without knowing the expression's text.
 * `evaluate` turns it into an ExprRuntimeError that carries the source. It is not an Error
 * so that building one does not capture a stack trace nobody reads.
 */
export class EvalFailure {
  readonly detail: string;
  constructor(detail: string) {
    this.detail = detail;
  }
}

/** Internal: throws an EvalFailure; typed `never` so call sites narrow. */
export function fail(detail: string): never {
  throw new EvalFailure(detail);
}
