/**
 * Values that hold one value twice: `{l: state.s, r: state.s}` per record is one more object
 * in memory but twice the nodes as a tree, and every reader (the canonical encoding, a
 * checkpoint's copy, the JSON report) walks it as a tree. Past VALUE_LIMITS.maxSize nodes
 * the expression fails, and the job with it, naming the limit and the operator, after about
 * log2 of the limit records, long before the depth limit would stop it.
 */
import { describe, expect, it } from 'vitest';
import { compileExpression, VALUE_LIMITS } from '../../core/expr/index.ts';
import { createSimulation, formatIssue, validateScenario, type JsonValue } from '../../core/index.ts';

const RECORDS = 1_000;
const MAX = VALUE_LIMITS.maxSize;
const LIMIT_MESSAGE = `would hold more than 10,000,000 lists, objects and scalars, counting each every time it appears; Weir's limit is 10,000,000`;

/** How many times a scalar can be doubled (n -> 2n + 1 nodes) and stay within the limit. */
function doublingsWithin(max: number): number {
  let nodes = 1;
  let k = 0;
  while (2 * nodes + 1 <= max) {
    nodes = 2 * nodes + 1;
    k++;
  }
  return k;
}

function doubling(to: string, records = RECORDS) {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'doubling',
      config: { restartStrategy: { type: 'none' } },
      job: {
        name: 'j',
        operators: [
          { id: 'src', type: 'sequence', items: Array.from({ length: records }, (_, i) => ({ value: 'k', timestamp: i })) },
          { id: 'k', type: 'keyBy', input: 'src', key: '$' },
          { id: 'grow', type: 'process', input: 'k', state: { s: { type: 'value', initial: 0 } }, onElement: [{ set: 's', to }, { emit: 'type(state.s)' }] },
          { id: 'out', type: 'sink', input: 'grow', sink: { type: 'print' } },
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

/** A tree of exactly `nodes` nodes (2^k - 1), built by an expression so that its size is remembered. */
function builtTree(nodes: number): JsonValue {
  const pair = compileExpression('{l: x, r: x}', { bindings: ['x'] });
  let x: JsonValue = 0;
  for (let n = 1; n < nodes; n = 2 * n + 1) x = pair.evaluate(null, null, { x });
  return x;
}

describe('expressions cannot build values that are exponentially large as trees', () => {
  const k = doublingsWithin(MAX);

  it('a process that puts its state twice into an object each record fails the job after log2(limit) records, naming the operator', () => {
    const report = doubling('{l: state.s, r: state.s}');
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toContain(`grow#0 failed: expression "{l: state.s, r: state.s}" failed: onElement[0].to: an object ${LIMIT_MESSAGE}`);
    // Every record before the one past the limit was emitted, and no more: 22 of them.
    expect(k).toBe(22);
    expect(report.sinks['out']!.committed).toHaveLength(k);
  });

  it('putting it twice into a list is bounded the same way', () => {
    const report = doubling('[state.s, state.s]');
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toContain(`grow#0 failed: expression "[state.s, state.s]" failed: onElement[0].to: a list ${LIMIT_MESSAGE}`);
    expect(report.sinks['out']!.committed).toHaveLength(k);
  });

  it('doubling as far as the limit allows finishes the job', () => {
    const report = doubling('[state.s, state.s]', k);
    expect(report.status).toBe('FINISHED');
    expect(report.sinks['out']!.committed).toHaveLength(k);
  });

  it('concat counts the items of its lists, so concatenating a list with itself is bounded too', () => {
    const big = builtTree(2 ** 23 - 1);
    const twice = compileExpression('concat([x], [x])', { bindings: ['x'] });
    expect(() => twice.evaluate(null, null, { x: big })).toThrow(`concat ${LIMIT_MESSAGE}`);
    expect(() => twice.evaluate(null, null, { x: builtTree(2 ** 22 - 1) })).not.toThrow();
  });

  it('a value of exactly the limit is allowed; one node more is not', () => {
    const tree = builtTree(2 ** 23 - 1);
    // [tree, rest] is 1 + (2^23 - 1) + (1 + items) nodes; rest is a plain list, walked to be counted.
    const items = MAX - 1 - (2 ** 23 - 1) - 1;
    const pair = compileExpression('[x, y]', { bindings: ['x', 'y'] });
    expect(() => pair.evaluate(null, null, { x: tree, y: new Array<JsonValue>(items).fill(0) })).not.toThrow();
    expect(() => pair.evaluate(null, null, { x: tree, y: new Array<JsonValue>(items + 1).fill(0) })).toThrow(`a list ${LIMIT_MESSAGE}`);
  });

  it('a value the expression did not build is counted as a tree too, and the count stops at the limit', () => {
    // A source record can share nothing, but a list that holds one big list many times (as an
    // engine-built list state can) is counted at each appearance.
    const flat = new Array<JsonValue>(1_000_000).fill(1);
    const shared = new Array<JsonValue>(1_000_000).fill(flat);
    expect(() => compileExpression('{d: $}').evaluate(shared, null)).toThrow(`an object ${LIMIT_MESSAGE}`);
    expect(() => compileExpression('{d: $}').evaluate(shared.slice(0, 9), null)).not.toThrow();
  });
});
