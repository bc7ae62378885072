/**
 * Small helpers shared by the expression tests: evaluate a source on a record, and catch
 * the error an expression is expected to raise so that its message and column can be
 * asserted exactly.
 */
import { expect } from 'vitest';
import { compileExpression, ExprRuntimeError, ExprSyntaxError, type JsonValue } from '../../core/expr/index.ts';

export function ev(source: string, value: JsonValue = {}, timestamp: number | null = null, bindings?: Record<string, JsonValue>): JsonValue {
  return compileExpression(source, bindings ? { bindings: Object.keys(bindings) } : undefined).evaluate(value, timestamp, bindings);
}

/** The ExprSyntaxError that compiling `source` throws (the test fails if it throws nothing or something else). */
export function syntaxError(source: string, bindings?: readonly string[]): ExprSyntaxError {
  try {
    compileExpression(source, bindings ? { bindings } : undefined);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprSyntaxError);
    return e as ExprSyntaxError;
  }
  throw new Error(`expected '${source}' not to compile`);
}

/** The ExprRuntimeError that evaluating `source` on `value` throws. */
export function runtimeError(source: string, value: JsonValue = {}, bindings?: Record<string, JsonValue>): ExprRuntimeError {
  const compiled = compileExpression(source, bindings ? { bindings: Object.keys(bindings) } : undefined);
  try {
    compiled.evaluate(value, null, bindings);
  } catch (e) {
    expect(e).toBeInstanceOf(ExprRuntimeError);
    return e as ExprRuntimeError;
  }
  throw new Error(`expected '${source}' to fail on ${JSON.stringify(value)}`);
}
