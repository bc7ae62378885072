/**
 * Validation of a process operator in a scenario file: every mistake is reported with the
 * JSON path of the exact field and a message that says how to fix it, all at once, before
 * the job runs.
 */
import { describe, expect, test } from 'vitest';
import { processIssues } from './helpers.ts';

const OP = '$.job.operators[0]';

/** The issues as `path: message` lines. */
function problems(fields: Record<string, unknown>): string[] {
  return processIssues(fields).issues.map((i) => `${i.path}: ${i.message}`);
}

describe('a valid process operator', () => {
  test('reads into its typed spec', () => {
    const { spec, issues } = processIssues({
      state: { count: { type: 'value', initial: 0 }, recent: { type: 'list' }, lastBy: { type: 'map' }, total: { type: 'reducing', reduce: 'a + b' } },
      onElement: [
        { set: 'count', to: 'state.count + 1' },
        { add: 'recent', value: 'v' },
        { put: 'lastBy', key: 'user', value: '$timestamp' },
        { remove: 'lastBy', key: '"old"' },
        { clear: 'total' },
        { emit: '$', timestamp: '$timestamp + 1' },
        { sideOutput: 'late', value: '$' },
        { timer: 'event', at: '$timestamp + 1000' },
        { deleteTimer: 'processing', at: 'now' },
        { if: 'v > 1', then: [{ emit: '1' }] },
        { forEach: 'state.recent', as: 'x', do: [{ emit: 'x' }] },
      ],
      onTimer: [{ emit: '{key: key, at: timer.timestamp}' }],
    });
    expect(issues).toEqual([]);
    expect(spec).toEqual({
      state: [
        { name: 'count', kind: 'value', initial: 0 },
        { name: 'recent', kind: 'list' },
        { name: 'lastBy', kind: 'map' },
        { name: 'total', kind: 'reducing', reduce: 'a + b' },
      ],
      onElement: [
        { kind: 'set', state: 'count', to: 'state.count + 1' },
        { kind: 'add', state: 'recent', value: 'v' },
        { kind: 'put', state: 'lastBy', key: 'user', value: '$timestamp' },
        { kind: 'remove', state: 'lastBy', key: '"old"' },
        { kind: 'clear', state: 'total' },
        { kind: 'emit', value: '$', timestamp: '$timestamp + 1' },
        { kind: 'sideOutput', tag: 'late', value: '$' },
        { kind: 'timer', domain: 'event', at: '$timestamp + 1000' },
        { kind: 'deleteTimer', domain: 'processing', at: 'now' },
        { kind: 'if', test: 'v > 1', then: [{ kind: 'emit', value: '1', timestamp: null }], else: [] },
        { kind: 'forEach', items: 'state.recent', as: 'x', do: [{ kind: 'emit', value: 'x', timestamp: null }] },
      ],
      onTimer: [{ kind: 'emit', value: '{key: key, at: timer.timestamp}', timestamp: null }],
    });
  });

  test('state and onTimer are optional; onElement is required', () => {
    expect(processIssues({ onElement: [] }).spec).toEqual({ state: [], onElement: [], onTimer: [] });
    expect(problems({})).toEqual([`${OP}.onElement: missing required field 'onElement' (a list of actions, e.g. [{"emit": "$"}])`]);
  });
});

describe('mistakes in actions', () => {
  test('an unknown verb, two verbs, an unknown field, a missing field', () => {
    expect(
      problems({
        onElement: [{ emitt: '$' }, { set: 'n', emit: '$' }, { emit: '$', ts: '1' }, { if: 'true' }, 'emit'],
        state: { n: { type: 'value' } },
      }),
    ).toEqual([
      `${OP}.onElement[0]: an action needs one of the verbs set, add, put, remove, clear, emit, sideOutput, timer, deleteTimer, if, forEach, applyToKeyedState; found only 'emitt'`,
      `${OP}.onElement[1]: an action has exactly one verb, found 'set' and 'emit': write them as separate actions`,
      `${OP}.onElement[2].ts: unknown field 'ts' (expected one of: emit, timestamp)`,
      `${OP}.onElement[3].then: missing required field 'then' (an if action is {"if": EXPR, "then": [ACTIONS], "else"?: [ACTIONS]})`,
      `${OP}.onElement[4]: expected an action such as {"emit": "$"}, found the string "emit"`,
    ]);
  });

  test('a state that is not declared, and the wrong kind of state', () => {
    expect(
      problems({
        state: { count: { type: 'value', initial: 0 }, recent: { type: 'list' } },
        onElement: [{ set: 'cnt', to: '1' }, { put: 'count', key: '"a"', value: '1' }, { add: 'count', value: '1' }, { remove: 'recent', key: '1' }],
      }),
    ).toEqual([
      `${OP}.onElement[0].set: state 'cnt' is not declared (declared: count, recent)`,
      `${OP}.onElement[1].put: 'put' works on map state, but 'count' is a value state (a value state takes set and clear)`,
      `${OP}.onElement[2].add: 'add' works on list, reducing or aggregating state, but 'count' is a value state (a value state takes set and clear)`,
      `${OP}.onElement[3].remove: 'remove' works on map state, but 'recent' is a list state (a list state takes add, set and clear)`,
    ]);
    expect(problems({ onElement: [{ clear: 'x' }] })).toEqual([`${OP}.onElement[0].clear: state 'x' is not declared (the operator declares no state)`]);
  });

  test('an expression that does not parse names the operator and the column', () => {
    expect(problems({ onElement: [{ emit: '{key: key, n: (v + 1}' }, { if: 'flor(v)', then: [{ emit: '1', timestamp: 'x =' }] }] })).toEqual([
      `${OP}.onElement[0].emit: operator 'p': expression does not parse: column 21: expected ')' but found '}'`,
      `${OP}.onElement[1].if: operator 'p': expression does not parse: column 1: unknown function 'flor' (did you mean floor?)`,
      `${OP}.onElement[1].then[0].timestamp: operator 'p': expression does not parse: column 3: '=' is not an operator: write '==' to compare`,
    ]);
  });

  test('an expression written as a bare JSON value gets a hint', () => {
    expect(problems({ state: { n: { type: 'value' } }, onElement: [{ set: 'n', to: 0 }, { emit: '' }] })).toEqual([
      `${OP}.onElement[0].to: expected an expression (a non-empty string), found number 0; write it as "0"`,
      `${OP}.onElement[1].emit: expected an expression (a non-empty string), found the string ""`,
    ]);
  });

  test('an unknown time domain', () => {
    expect(problems({ onElement: [{ timer: 'evnt', at: '1' }, { deleteTimer: 5, at: '1' }] })).toEqual([
      `${OP}.onElement[0].timer: unknown time domain 'evnt' (expected "event" or "processing")`,
      `${OP}.onElement[1].deleteTimer: unknown time domain number 5 (expected "event" or "processing")`,
    ]);
  });

  test('onTimer has no record: reading a field is an error', () => {
    expect(problems({ onElement: [], onTimer: [{ emit: '{user: user, at: timer.timestamp, v: v}' }] })).toEqual([
      `${OP}.onTimer[0].emit: operator 'p': onTimer has no record, so 'user', 'v' are not in scope (onTimer sees state, key, watermark, now, timer; keep what a timer needs in state)`,
    ]);
  });

  test('timer is not a binding in onElement', () => {
    expect(problems({ onElement: [{ emit: 'timer' }] })).toEqual([]);
  });

  test('if and forEach nest at most 16 deep', () => {
    let actions: unknown[] = [{ emit: '1' }];
    for (let i = 0; i < 17; i++) actions = [{ if: 'true', then: actions }];
    const path = `${OP}.onElement[0]${'.then[0]'.repeat(16)}`;
    expect(problems({ onElement: actions })).toEqual([`${path}: if and forEach nest at most 16 deep; move the inner part into separate actions`]);
    expect(problems({ onElement: (actions[0] as { then: unknown[] }).then })).toEqual([]);
  });

  test('forEach item names', () => {
    expect(
      problems({
        onElement: [
          { forEach: '[1]', as: 'key', do: [] },
          { forEach: '[1]', do: [{ forEach: '[2]', do: [] }] },
          { forEach: '[1]', as: 'x', do: [{ emit: 'x + y' }] },
        ],
      }),
    ).toEqual([
      `${OP}.onElement[0].as: 'key' is already a binding (state, key, watermark, now, timer); choose another name`,
      `${OP}.onElement[1].do[0].as: 'item' already names the item of an enclosing forEach; choose another name`,
    ]);
  });

  test(`a handler holds at most 10000 actions`, () => {
    const issues = problems({ onElement: Array.from({ length: 10_001 }, () => ({ emit: '1' })) });
    expect(issues).toEqual([`${OP}.onElement: at most 10000 actions in onElement, found 10001`]);
  });
});

describe('mistakes in state declarations', () => {
  test('names, types, fields and reduce expressions', () => {
    expect(
      problems({
        state: {
          'my-count': { type: 'value' },
          a: { type: 'vlaue' },
          b: { type: 'value', reduce: 'a + b' },
          c: { type: 'reducing' },
          d: { type: 'reducing', reduce: 'a + v' },
          e: 'list',
        },
        onElement: [{ set: 'a', to: '1' }, { add: 'e', value: '1' }, { set: 'zz', to: '1' }],
      }),
    ).toEqual([
      `${OP}.state["my-count"]: a state name is a plain name (letters, digits, '_', not starting with a digit) so that expressions can read it as state.my_count, found "my-count"`,
      `${OP}.state.a.type: unknown state type 'vlaue' (expected one of: value, list, map, reducing, aggregating)`,
      `${OP}.state.b.reduce: unknown field 'reduce' (expected one of: type, initial, ttl)`,
      `${OP}.state.c.reduce: missing required field 'reduce'`,
      `${OP}.state.d.reduce: operator 'p': a reduce expression sees only a (the value so far) and b (the added value), not 'v'`,
      `${OP}.state.e: expected a state declaration such as {"type": "value", "initial": 0}, found the string "list"`,
      `${OP}.onElement[2].set: state 'zz' is not declared (declared: my-count, a, b, c, d, e)`,
    ]);
  });
});
