/**
 * The actions of the process DSL: emit (with the element's timestamp or one of its own),
 * side outputs, if/else, forEach, and the limits that keep every call bounded. Runtime
 * errors are the expression language's ExprRuntimeError, prefixed with where in the
 * handler they happened, so a failing task says which action to fix.
 */
import { describe, expect, test } from 'vitest';
import { ExprRuntimeError } from '../../../core/expr/index.ts';
import { PROCESS_LIMITS, processFunctionFromSpec, type ActionSpec } from '../../../core/operators/index.ts';
import { dsl, emitted, harness } from './helpers.ts';

describe('emit', () => {
  test("carries the element's timestamp, or the one it computes", () => {
    const h = harness(dsl({ onElement: [{ emit: 'v' }, { emit: 'v * 10', timestamp: '$timestamp + 1' }, { emit: 'v * 100', timestamp: 'null' }] }));
    h.feed('a:1@5');
    expect(emitted(h)).toEqual([
      [1, 5],
      [10, 6],
      [100, null],
    ]);
    expect(() => h.feed('a:2')).toThrow("onElement[1].timestamp: cannot apply '+' to null and a number (1)");
    expect(emitted(h).slice(3)).toEqual([[2, null]]);
  });

  test('an output timestamp must be a whole number', () => {
    const h = harness(dsl({ onElement: [{ emit: 'v', timestamp: '1.5' }] }));
    expect(() => h.feed('a:1')).toThrow('onElement[0].timestamp: an output timestamp is a whole number of milliseconds between -10^15 and 10^15 (MAX_TIME_MS), or null, found number 1.5');
  });
});

describe('sideOutput', () => {
  test("writes to the tag with the element's timestamp, or the timer's", () => {
    const h = harness(
      dsl({
        onElement: [{ if: 'v > 10', then: [{ sideOutput: 'big', value: '$' }], else: [{ emit: 'v' }] }, { timer: 'event', at: '100' }],
        onTimer: [{ sideOutput: 'timers', value: 'key' }],
      }),
    );
    h.feed('a:1@1 a:50@2 b:20@3 W100');
    expect(h.records().map((r) => r.value)).toEqual([1]);
    expect(h.sideOutput('big')).toEqual([
      { value: { key: 'a', v: 50 }, timestamp: 2 },
      { value: { key: 'b', v: 20 }, timestamp: 3 },
    ]);
    expect(h.sideOutput('timers')).toEqual([
      { value: 'a', timestamp: 100 },
      { value: 'b', timestamp: 100 },
    ]);
  });
});

describe('if', () => {
  test('runs then or else by truthiness; else is optional; branches nest', () => {
    const h = harness(
      dsl({
        onElement: [
          { if: 'v', then: [{ if: 'v > 5', then: [{ emit: '"big"' }], else: [{ emit: '"small"' }] }], else: [{ emit: '"zero"' }] },
          { if: 'v == 3', then: [{ emit: '"three"' }] },
        ],
      }),
    );
    h.feed('a:0 a:3 a:9');
    expect(h.records().map((r) => r.value)).toEqual(['zero', 'small', 'three', 'big']);
  });
});

describe('forEach', () => {
  test('runs its actions for each item of a list, the item bound by name', () => {
    const h = harness(
      dsl({
        state: { buffer: { type: 'list' } },
        onElement: [{ add: 'buffer', value: 'v' }, { timer: 'event', at: '100' }],
        onTimer: [{ forEach: 'state.buffer', as: 'x', do: [{ emit: '{key: key, x: x}' }] }, { clear: 'buffer' }, { forEach: 'keys({b: 1, a: 2})', do: [{ emit: 'item' }] }],
      }),
    );
    h.feed('a:1@1 a:2@2 b:3@3 W100');
    expect(h.records().map((r) => r.value)).toEqual([{ key: 'a', x: 1 }, { key: 'a', x: 2 }, 'a', 'b', { key: 'b', x: 3 }, 'a', 'b']);
  });

  test('needs a list', () => {
    const h = harness(dsl({ onElement: [{ forEach: '$', do: [{ emit: 'item' }] }] }));
    expect(() => h.feed('a:1')).toThrow('onElement[0].forEach: forEach goes over a list, found an object (for an object, use keys(...))');
  });
});

describe('limits', () => {
  test(`at most ${PROCESS_LIMITS.maxActionsPerCall} actions run per element: a clear error, never a hang`, () => {
    const h = harness(dsl({ onElement: [{ forEach: '$.xs', do: [{ emit: 'item' }] }] }));
    h.processElement({ key: 'a', xs: Array.from({ length: 999 }, (_, i) => i) });
    expect(h.records()).toHaveLength(999);
    expect(() => h.processElement({ key: 'a', xs: Array.from({ length: 1000 }, (_, i) => i) })).toThrow(
      'onElement ran more than 1000 actions for one element (the limit was reached at onElement[0].do[0]); is a forEach going over a long list?',
    );
  });

  test('the limit counts written actions too', () => {
    const many: ActionSpec[] = Array.from({ length: 1001 }, () => ({ kind: 'emit', value: '1', timestamp: null }));
    const h = harness({ state: [], onElement: many, onTimer: [] });
    expect(() => h.feed('a')).toThrow('(the limit was reached at onElement[1000])');
  });

  test(`if and forEach nest at most ${PROCESS_LIMITS.maxNesting} deep`, () => {
    const nest = (n: number): ActionSpec => (n === 0 ? { kind: 'emit', value: '1', timestamp: null } : { kind: 'if', test: 'true', then: [nest(n - 1)], else: [] });
    expect(() => processFunctionFromSpec({ state: [], onElement: [nest(16)], onTimer: [] })).not.toThrow();
    expect(() => processFunctionFromSpec({ state: [], onElement: [nest(17)], onTimer: [] })).toThrow(
      'onElement[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0].then[0]: if and forEach nest at most 16 deep',
    );
  });
});

describe('bindings and errors', () => {
  test('key is the current key (it hides a record field named key; $.key still reads it)', () => {
    const h = harness(dsl({ onElement: [{ emit: '[key, $.key, now]' }] }), 'upper(key)');
    h.setProcessingTime(42);
    h.feed('a');
    expect(h.records().map((r) => r.value)).toEqual([['A', 'a', 42]]);
  });

  test('reading a field the record does not have fails with an ExprRuntimeError naming the action', () => {
    const h = harness(dsl({ state: { n: { type: 'value', initial: 0 } }, onElement: [{ set: 'n', to: 'state.n + amount' }] }));
    let error: unknown;
    try {
      h.feed('a:1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExprRuntimeError);
    expect((error as ExprRuntimeError).message).toBe("onElement[0].to: record has no field 'amount' (its fields: key, v)");
    expect((error as ExprRuntimeError).source).toBe('state.n + amount');
  });

  test('reading a state that is not declared is a runtime error', () => {
    const h = harness(dsl({ state: { n: { type: 'value' } }, onElement: [{ emit: 'state.m' }] }));
    expect(() => h.feed('a')).toThrow("onElement[0].emit: state has no field 'm' (its fields: n; state?.m gives null instead)");
  });

  test('a hand-built spec breaking a rule is refused when the function is built', () => {
    const build = (onElement: ActionSpec[], onTimer: ActionSpec[] = []) => () => processFunctionFromSpec({ state: [{ name: 'n', kind: 'value', initial: 0 }], onElement, onTimer });
    expect(build([], [{ kind: 'emit', value: 'v', timestamp: null }])).toThrow("onTimer[0].emit: onTimer has no record, so 'v' is not in scope");
    expect(build([{ kind: 'put', state: 'n', key: '1', value: '1' }])).toThrow("onElement[0].put: 'put' works on map state, but 'n' is a value state");
    expect(build([{ kind: 'add', state: 'm', value: '1' }])).toThrow("onElement[0].add: state 'm' is not declared (declared: n)");
    expect(build([{ kind: 'emit', value: '(1', timestamp: null }])).toThrow("onElement[0].emit: expression does not parse: column 3: expected ')'");
  });

  test('in onTimer, $ is null', () => {
    const h = harness(dsl({ onElement: [{ timer: 'event', at: '1' }], onTimer: [{ emit: '[$, $?.v]' }] }));
    h.feed('a W1');
    expect(h.records().map((r) => r.value)).toEqual([[null, null]]);
  });
});
