/**
 * Values that nest one level deeper per record: a file is bounded to 128 levels, but an
 * expression can wrap its state on every record. Past VALUE_LIMITS.maxDepth the expression
 * fails, and the job with it, naming the limit and the operator, instead of growing a value
 * every reader pays for level by level.
 */
import { describe, expect, it } from 'vitest';
import { compileExpression, VALUE_LIMITS } from '../../core/expr/index.ts';
import { createSimulation, formatIssue, validateScenario, type JsonValue } from '../../core/index.ts';

const RECORDS = 2_000;
const LIMIT_MESSAGE = `would nest lists and objects more than ${VALUE_LIMITS.maxDepth} levels deep; Weir's limit is ${VALUE_LIMITS.maxDepth}`;

function wrapping(state: JsonValue, actions: JsonValue) {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'wrapping',
      config: { restartStrategy: { type: 'none' } },
      job: {
        name: 'j',
        operators: [
          { id: 'src', type: 'sequence', items: Array.from({ length: RECORDS }, (_, i) => ({ value: 'k', timestamp: i })) },
          { id: 'k', type: 'keyBy', input: 'src', key: '$' },
          { id: 'grow', type: 'process', input: 'k', state, onElement: actions },
          { id: 'out', type: 'sink', input: 'grow', sink: { type: 'print' } },
        ],
      },
    } as JsonValue,
    'wrapping.json',
  );
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'off' });
  sim.run();
  return sim.report();
}

describe('expressions cannot nest values without bound', () => {
  it('a process that wraps its state in a list each record fails the job at the limit, naming the operator', () => {
    const report = wrapping({ s: { type: 'value', initial: 0 } }, [{ set: 's', to: '[state.s]' }, { emit: 'type(state.s)' }]);
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toContain(`grow#0 failed: expression "[state.s]" failed: onElement[0].to: a list ${LIMIT_MESSAGE}`);
    // It failed at the limit, not at the end of the input: the records before it were emitted.
    expect(report.sinks['out']!.committed).toHaveLength(VALUE_LIMITS.maxDepth);
  });

  it('wrapping in an object is bounded the same way', () => {
    const report = wrapping({ s: { type: 'value', initial: null } }, [{ set: 's', to: '{inner: state.s, n: 1}' }]);
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toContain(`an object ${LIMIT_MESSAGE}`);
  });

  it("a reducing state whose reduce wraps the accumulator fails the same way", () => {
    const report = wrapping({ r: { type: 'reducing', reduce: '{acc: a, next: b}' } }, [{ add: 'r', value: '$' }]);
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toContain(`grow#0 failed: expression "{acc: a, next: b}" failed: state.r.reduce: an object ${LIMIT_MESSAGE}`);
  });

  it('concat keeps the depth of its deepest list, so wrapping its result is bounded too', () => {
    let deep: JsonValue = 0;
    for (let i = 0; i < VALUE_LIMITS.maxDepth - 1; i++) deep = [deep];
    const wrapped = compileExpression('[concat([1], x)]', { bindings: ['x'] });
    expect(() => wrapped.evaluate(null, null, { x: [deep] })).toThrow(`a list ${LIMIT_MESSAGE}`);
    expect(() => wrapped.evaluate(null, null, { x: deep })).not.toThrow();
  });

  it('a value as deep as a file may hold, wrapped 128 levels more, is allowed; one more level is not', () => {
    let fromFile: JsonValue = 'bottom';
    for (let i = 0; i < 128; i++) fromFile = { v: fromFile };
    const wrap = compileExpression('[x]', { bindings: ['x'] });
    let x: JsonValue = fromFile;
    for (let i = 0; i < VALUE_LIMITS.maxDepth - 128; i++) x = wrap.evaluate(null, null, { x });
    expect(() => wrap.evaluate(null, null, { x })).toThrow(`a list ${LIMIT_MESSAGE}`);
  });

  it('a record far deeper than the limit passes through expressions that do not wrap it', () => {
    let deep: JsonValue = 'bottom';
    for (let i = 0; i < 50_000; i++) deep = { v: deep };
    expect(compileExpression('$.v').evaluate(deep, null)).toBe((deep as { v: JsonValue }).v);
    expect(compileExpression('{n: 1, s: "a"}').evaluate(deep, null)).toEqual({ n: 1, s: 'a' });
    expect(() => compileExpression('{d: $}').evaluate(deep, null)).toThrow(`an object ${LIMIT_MESSAGE}`);
  });
});
