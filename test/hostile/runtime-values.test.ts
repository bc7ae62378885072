/**
 * Values that grow during a run: an expression may not build a list or string past
 * Weir's limits (VALUE_LIMITS), so a state that doubles every record fails its task with a
 * message naming the limit, the same in Node and Chromium, instead of dying with the
 * engine's own "invalid size" (exit 133) or "Invalid string length".
 */
import { describe, expect, it } from 'vitest';
import { compileExpression, VALUE_LIMITS } from '../../core/expr/index.ts';
import { createSimulation, formatIssue, validateScenario, type JsonValue } from '../../core/index.ts';

function doubling(to: string, initial: JsonValue) {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'doubling',
      config: { restartStrategy: { type: 'none' } },
      job: {
        name: 'j',
        operators: [
          { id: 'src', type: 'sequence', items: Array.from({ length: 32 }, (_, i) => ({ value: 'a', timestamp: i })) },
          { id: 'k', type: 'keyBy', input: 'src', key: '$' },
          { id: 'p', type: 'process', input: 'k', state: { s: { type: 'value', initial } }, onElement: [{ set: 's', to }, { emit: 'len(state.s)' }] },
          { id: 'out', type: 'sink', input: 'p', sink: { type: 'print' } },
        ],
      },
    } as JsonValue,
    'doubling.json',
  );
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'off' });
  sim.run();
  return sim.report();
}

describe('lists and strings built by expressions are bounded', () => {
  it('a list state that doubles every record fails the job at the limit, not the engine', () => {
    const report = doubling('concat(state.s, state.s)', [1]);
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toContain("concat would give a list of 1,048,576 items; Weir's limit is 1,000,000");
  });

  it('a string state that doubles every record fails the job at the limit', () => {
    const report = doubling('state.s + state.s', 'abcdefghij');
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toContain("'+' would give a string of 10,485,760 characters; Weir's limit is 10,000,000");
  });

  it('join is bounded too; below the limits nothing changes', () => {
    const big = Array.from({ length: 500_000 }, () => "abcdefghijklmnopqrstuvwxyz");
    expect(() => compileExpression('join(xs, "-")', { bindings: ['xs'] }).evaluate(null, null, { xs: big })).toThrow("join would give a string of");
    expect(compileExpression('len(concat(xs, xs))', { bindings: ['xs'] }).evaluate(null, null, { xs: [1, 2] })).toBe(4);
    expect(VALUE_LIMITS.maxListLength).toBe(1_000_000);
  });
});
