/**
 * Bad two-input operators in a scenario: each mistake reported with file, JSON path and
 * problem, before the job starts (docs/two-inputs.md, "Mistakes the validator reports").
 */
import { describe, expect, test } from 'vitest';
import { formatIssue, validateScenario, type JsonValue } from '../../../core/index.ts';

type Obj = Record<string, JsonValue>;

function issues(op: Obj, extra: Obj[] = []): string[] {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'bad',
      job: {
        name: 'bad',
        operators: [
          { id: 'a', type: 'sequence', items: [] },
          { id: 'b', type: 'sequence', items: [] },
          ...extra,
          { id: 'op', ...op },
          { id: 'out', type: 'sink', input: 'op', sink: { type: 'print' } },
        ],
      },
    } as JsonValue,
    'bad.json',
  );
  return result.ok ? [] : result.issues.map(formatIssue);
}

const where = (extra: number) => `bad.json: $.job.operators[${2 + extra}]`;
const JOIN: Obj = { type: 'intervalJoin', input: ['a', 'b'], key: ['k', 'k'], between: { lower: -5, upper: 5 } };
const CONNECT: Obj = { type: 'connect', input: ['a', 'b'], key: ['k', 'k'], onElement1: [{ emit: '$' }], onElement2: [{ emit: '$' }] };

describe('interval join', () => {
  test('valid as written', () => {
    expect(issues(JOIN)).toEqual([]);
  });

  test('a join without bounds', () => {
    expect(issues({ ...JOIN, between: undefined as unknown as JsonValue })).toEqual([
      `${where(0)}.between: missing required field 'between': an interval join needs its bounds, {"lower": ms, "upper": ms}: a right element joins a left one at t when its timestamp is in [t + lower, t + upper]`,
    ]);
    expect(issues({ ...JOIN, between: { lower: 1 } })).toEqual([`${where(0)}.between.upper: missing required field 'upper'`]);
  });

  test('lower above upper', () => {
    expect(issues({ ...JOIN, between: { lower: 5, upper: 1 } })).toEqual([
      `${where(0)}.between.lower: operator 'op': lowerBound <= upperBound must be fulfilled: the lower bound 5 is above the upper bound 1`,
    ]);
  });

  test('wrong input count, a missing key, a select that reads a record field, an unknown field', () => {
    expect(issues({ ...JOIN, input: ['a'] })).toEqual([`${where(0)}.input: an intervalJoin reads exactly two inputs, a list of two operator ids such as ["rides", "fares"]; found a list of 1 entry`]);
    expect(issues({ ...JOIN, input: 'a' })[0]).toContain('reads exactly two inputs');
    expect(issues({ ...JOIN, key: undefined as unknown as JsonValue })[0]).toContain(`${where(0)}.key: missing required field 'key'`);
    expect(issues({ ...JOIN, key: ['k'] })[0]).toContain('give a list of two key expressions');
    expect(issues({ ...JOIN, select: '{a: left.x, b: y}' })).toEqual([
      `${where(0)}.select: operator 'op': select sees left, right, leftTimestamp, rightTimestamp and $timestamp (the pair's); 'y' is not one of them (read a field of a side as left.y or right.y)`,
    ]);
    expect(issues({ ...JOIN, between: { lower: 0, upper: 1, upperExclusiv: true } })[0]).toContain(`${where(0)}.between.upperExclusiv: unknown field 'upperExclusiv'`);
  });
});

describe('connect', () => {
  test('valid as written; keyed state and timers on a keyed connect', () => {
    expect(issues(CONNECT)).toEqual([]);
    expect(issues({ ...CONNECT, state: { n: { type: 'value' } }, onElement1: [{ set: 'n', to: '1' }, { timer: 'event', at: '$timestamp' }], onTimer: [{ emit: 'state.n' }] })).toEqual([]);
  });

  test('wrong input count and a reference to a missing operator', () => {
    expect(issues({ ...CONNECT, input: ['a', 'b', 'a'] })).toEqual([`${where(0)}.input: a connect reads exactly two inputs, a list of two operator ids such as ["rides", "fares"]; found a list of 3 entries`]);
    expect(issues({ ...CONNECT, input: ['a', 'zz'] })).toEqual([`${where(0)}.input[1]: operator 'op' reads from 'zz', which is not an operator of this job`]);
  });

  test('keyed state, timers and onTimer need a key', () => {
    const { key: _key, ...unkeyed } = CONNECT;
    expect(issues({ ...unkeyed, state: { n: { type: 'value' } } })[0]).toContain(`${where(0)}.state: operator 'op': keyed state needs a keyed connect`);
    expect(issues({ ...unkeyed, onElement2: [{ if: 'true', then: [{ timer: 'event', at: '1' }] }] })).toEqual([
      `${where(0)}.onElement2[0].then[0].timer: operator 'op': timers need a keyed connect: give "key" (Flink: "Setting timers is only supported on a keyed streams.")`,
    ]);
    expect(issues({ ...unkeyed, onTimer: [] })[0]).toContain(`${where(0)}.onTimer: operator 'op': timers need a keyed connect`);
  });

  test('the DSL rules of process hold in each handler, with the handler in the path', () => {
    expect(issues({ ...CONNECT, onElement2: [{ put: 'nope', key: '1', value: '2' }] })).toEqual([`${where(0)}.onElement2[0].put: state 'nope' is not declared (the operator declares no state)`]);
    expect(issues({ ...CONNECT, onElement1: undefined as unknown as JsonValue })).toEqual([`${where(0)}.onElement1: missing required field 'onElement1' (a list of actions, e.g. [{"emit": "$"}])`]);
    expect(issues({ ...CONNECT, onElement: [] })[0]).toContain("'onElement' belongs to a broadcast connect");
  });

  test('inputs that are keyBys: a connect keys its inputs itself', () => {
    const extra = [{ id: 'kb', type: 'keyBy', input: 'a', key: 'k' }];
    expect(issues({ ...CONNECT, input: ['kb', 'b'] }, extra)).toEqual([
      `${where(1)}.input[0]: operator 'op' reads the keyBy 'kb', but a connect keys its inputs itself with "key": [EXPR, EXPR]; read 'a' directly and give the key expression there`,
    ]);
  });
});

describe('broadcast connect', () => {
  const BROADCAST: Obj = {
    type: 'connect',
    input: ['a', 'b'],
    broadcastState: { rules: { type: 'map' } },
    onElement: [{ emit: '{v: $, rules: state.rules}' }],
    onBroadcastElement: [{ put: 'rules', key: 'name', value: '$' }],
  };

  test('valid as written, keyed or not', () => {
    expect(issues(BROADCAST)).toEqual([]);
    expect(issues({ ...BROADCAST, key: 'k', state: { n: { type: 'value' } }, onTimer: [{ emit: 'state.rules' }] })).toEqual([]);
  });

  test('a write to broadcast state from the non-broadcast side (also in onTimer, also nested)', () => {
    expect(issues({ ...BROADCAST, onElement: [{ remove: 'rules', key: '"x"' }] })).toEqual([
      `${where(0)}.onElement[0].remove: operator 'op': broadcast state 'rules' is read-only on the non-broadcast side (Flink's ReadOnlyBroadcastState): only onBroadcastElement may remove it, so that every subtask's copy stays the same`,
    ]);
    expect(issues({ ...BROADCAST, key: 'k', onTimer: [{ forEach: '[1]', do: [{ clear: 'rules' }] }] })[0]).toContain(`${where(0)}.onTimer[0].do[0].clear: operator 'op': broadcast state 'rules' is read-only`);
  });

  test('a timer on the broadcast side, keyed or not: a broadcast element has no key, so no timer service', () => {
    for (const keyed of [{}, { key: 'k' }] as Obj[]) {
      expect(issues({ ...BROADCAST, ...keyed, onBroadcastElement: [{ put: 'rules', key: 'name', value: '$' }, { timer: 'event', at: '$timestamp + 5' }] })).toEqual([
        `${where(0)}.onBroadcastElement[1].timer: operator 'op': the broadcast side has no timers: a broadcast element has no key (Flink's processBroadcastElement context has no timer service)`,
      ]);
    }
  });

  test('keyed state on the broadcast side, a broadcast key list, onElement1, a non-map broadcast state, a shared name', () => {
    expect(issues({ ...BROADCAST, key: 'k', state: { n: { type: 'value' } }, onBroadcastElement: [{ set: 'n', to: '1' }] })).toEqual([
      `${where(0)}.onBroadcastElement[0].set: state 'n' is keyed state, which the broadcast side reaches only through {"applyToKeyedState": "n", "do": [...]}: a broadcast element has no key`,
    ]);
    expect(issues({ ...BROADCAST, key: 'k', state: { n: { type: 'value' } }, onBroadcastElement: [{ set: 'm', to: '1' }] })).toEqual([
      `${where(0)}.onBroadcastElement[0].set: state 'm' is not declared (declared: rules)`,
    ]);
    expect(issues({ ...BROADCAST, key: ['k', 'k'] })[0]).toContain('a broadcast connect keys only its first input');
    expect(issues({ ...BROADCAST, onElement1: [] })[0]).toContain("not 'onElement1'");
    expect(issues({ ...BROADCAST, broadcastState: { rules: { type: 'value' } } })[0]).toContain(`${where(0)}.broadcastState.rules.type: broadcast state is a map`);
    expect(issues({ ...BROADCAST, key: 'k', state: { rules: { type: 'value' } } })[0]).toContain(`${where(0)}.broadcastState.rules: 'rules' names a keyed state already`);
  });

  test('applyToKeyedState: only on the broadcast side of a keyed connect, over a declared keyed state, with that state alone, not nested', () => {
    const keyed: Obj = { ...BROADCAST, key: 'k', state: { n: { type: 'value', initial: 0 }, seen: { type: 'list' } } };
    const visit = (body: JsonValue[], state = 'n'): Obj => ({ applyToKeyedState: state, do: body });
    expect(issues({ ...keyed, onBroadcastElement: [visit([{ set: 'n', to: 'state.n + 1' }, { emit: '{key: key, n: state.n}' }])] })).toEqual([]);
    expect(issues({ ...BROADCAST, onBroadcastElement: [visit([])] })).toEqual([
      `${where(0)}.onBroadcastElement[0].applyToKeyedState: operator 'op': applyToKeyedState needs a keyed broadcast connect: give "key" (Flink's BroadcastProcessFunction has no keyed state to visit)`,
    ]);
    expect(issues({ ...keyed, onElement: [visit([])] })).toEqual([
      `${where(0)}.onElement[0].applyToKeyedState: operator 'op': applyToKeyedState is for the broadcast side (onBroadcastElement): here an element's key is current, so its state is read and written directly`,
    ]);
    expect(issues({ ...CONNECT, onElement1: [visit([])] })[0]).toContain("applyToKeyedState belongs in the onBroadcastElement of a keyed broadcast connect");
    expect(issues({ ...keyed, onBroadcastElement: [visit([], 'rules')] })).toEqual([
      `${where(0)}.onBroadcastElement[0].applyToKeyedState: operator 'op': 'rules' is broadcast state, which onBroadcastElement reads and writes directly; applyToKeyedState visits keyed state (keyed states: n, seen)`,
    ]);
    expect(issues({ ...keyed, onBroadcastElement: [visit([], 'm')] })[0]).toContain("'m' is not a keyed state of this connect (keyed states: n, seen)");
    expect(issues({ ...keyed, onBroadcastElement: [visit([{ add: 'seen', value: '1' }])] })).toEqual([
      `${where(0)}.onBroadcastElement[0].do[0].add: state 'seen' is not the state this applyToKeyedState visits ('n'): Flink's KeyedStateFunction is given that one state; visit 'seen' with an applyToKeyedState of its own`,
    ]);
    expect(issues({ ...keyed, onBroadcastElement: [visit([{ add: 'n', value: '1' }])] })[0]).toContain("'add' works on");
    expect(issues({ ...keyed, onBroadcastElement: [visit([visit([], 'seen')])] })[0]).toContain('do[0].applyToKeyedState: operator \'op\': applyToKeyedState does not nest');
    expect(issues({ ...keyed, onBroadcastElement: [visit([{ timer: 'event', at: '1' }])] })[0]).toContain('do[0].timer: operator \'op\': the broadcast side has no timers');
    // Reading keyed state on the broadcast side (outside a visit) fails at run time in Flink ("No key set"): here before the run.
    expect(issues({ ...keyed, onBroadcastElement: [{ emit: '{n: state.n, rules: state.rules}' }] })).toEqual([
      `${where(0)}.onBroadcastElement[0].emit: operator 'op': reads state.n, but state 'n' is keyed state, which the broadcast side reaches only through {"applyToKeyedState": "n", "do": [...]}: a broadcast element has no key`,
    ]);
    expect(issues({ ...keyed, onBroadcastElement: [{ if: 'state["seen"] != null', then: [] }] })[0]).toContain(`${where(0)}.onBroadcastElement[0].if: operator 'op': reads state.seen`);
    expect(issues({ ...keyed, onBroadcastElement: [visit([{ emit: 'state.seen' }])] })[0]).toContain("do[0].emit: operator 'op': reads state.seen, but state 'seen' is not the state this applyToKeyedState visits ('n')");
    expect(issues({ ...keyed, onBroadcastElement: [visit([{ emit: '{n: state.n, rules: state.rules}' }])] })).toEqual([]);
    expect(issues({ ...keyed, onBroadcastElement: [{ applyToKeyedState: 'n' }] })[0]).toContain(`missing required field 'do' (an applyToKeyedState action is {"applyToKeyedState": STATE, "do": [ACTIONS]})`);
  });
});
