/**
 * The broadcast state pattern, after Flink's CoBroadcastWithKeyedOperatorTest and
 * CoBroadcastWithNonKeyedOperatorTest and its documentation: the broadcast side writes
 * broadcast state, the other side reads it and may not write it, a keyed function has
 * keyed state and timers on the ordinary side only, and broadcast state is checkpointed by
 * every subtask and restored into every new subtask, also when the job is rescaled.
 */
import { describe, expect, test } from 'vitest';
import {
  BroadcastProcessOperator,
  broadcastProcessFunctionFromSpec,
  mapStateDescriptor,
  valueState,
  type BroadcastProcessFunction,
  type KeyedBroadcastContext,
  type KeyedBroadcastProcessFunction,
  type KeyFunction,
} from '../../../core/operators/index.ts';
import type { ValueState } from '../../../core/state/index.ts';
import { createTwoInputHarness } from '../../../core/testing.ts';
import type { JsonValue, StreamRecord } from '../../../core/model/index.ts';

const rules = mapStateDescriptor('rules');
type Rule = { name: string; min: number };
const user: KeyFunction = (r: StreamRecord) => (r.value as { user: string }).user;

const thresholds: BroadcastProcessFunction = {
  processElement(v, ctx, out) {
    const amount = (v as { amount: number }).amount;
    for (const [name, rule] of ctx.getBroadcastState(rules).entries()) if (amount >= (rule as Rule).min) out.collect(`${name}:${amount}`);
  },
  processBroadcastElement(v, ctx) {
    ctx.getBroadcastState(rules).put((v as Rule).name, v);
  },
};

function unkeyed(fn: BroadcastProcessFunction = thresholds, options = {}) {
  return createTwoInputHarness(new BroadcastProcessOperator(fn, [rules], null), options).open();
}

describe('BroadcastProcessFunction', () => {
  test('the broadcast side writes, the other side reads what was written before it', () => {
    const h = unkeyed();
    h.processElement1({ amount: 50 }, 1);
    h.processElement2({ name: 'big', min: 40 }, 2).processElement2({ name: 'huge', min: 100 }, 3);
    h.processElement1({ amount: 50 }, 4).processElement1({ amount: 120 }, 5);
    expect(h.records()).toEqual([
      { value: 'big:50', timestamp: 4 },
      { value: 'big:120', timestamp: 5 },
      { value: 'huge:120', timestamp: 5 },
    ]);
  });

  test('a write from the non-broadcast side fails with a clear error', () => {
    const h = unkeyed({ ...thresholds, processElement: (_v, ctx) => (ctx.getBroadcastState(rules) as unknown as { put(k: string, v: JsonValue): void }).put('x', 1) });
    expect(() => h.processElement1({ amount: 1 }, 1)).toThrow(/broadcast state 'rules' is read-only here: only the broadcast side/);
  });

  test('an undeclared broadcast state is an error naming the declared ones', () => {
    const h = unkeyed({ ...thresholds, processBroadcastElement: (_v, ctx) => ctx.getBroadcastState('other').put('x', 1) });
    expect(() => h.processElement2({}, 1)).toThrow("broadcast state 'other' is not declared (declared: rules)");
  });

  test('broadcast state is plain data in the snapshot, and every subtask of a rescaled job gets a copy', () => {
    const h = unkeyed();
    h.processElement2({ name: 'big', min: 40 }, 1);
    const snapshot = h.snapshot(1);
    expect(snapshot.operatorState).toEqual({ subtask: 0, states: { rules: { big: { name: 'big', min: 40 } } } });
    // Two old subtasks (with equal copies, as broadcast state always is) restored into three.
    for (let subtaskIndex = 0; subtaskIndex < 3; subtaskIndex++) {
      const r = unkeyed(thresholds, { restore: [snapshot, h.snapshot(2)], subtaskIndex, parallelism: 3 });
      r.processElement1({ amount: 45 }, 5);
      expect(r.records().map((x) => x.value)).toEqual(['big:45']);
    }
  });

  test('new subtask i gets old subtask (i mod n)\'s copy, by the index each snapshot names, whatever order the snapshots come in', () => {
    // Copies made different on purpose, to see which one each new subtask gets.
    const olds = [0, 1, 2].map((subtaskIndex) => {
      const h = unkeyed(thresholds, { subtaskIndex, parallelism: 3 });
      h.processElement2({ name: `from${subtaskIndex}`, min: 0 }, 1);
      return h.snapshot(1);
    });
    const shuffled = [olds[2]!, olds[0]!, olds[1]!];
    const got = [0, 1, 2, 3, 4].map((subtaskIndex) => {
      const r = unkeyed(thresholds, { restore: shuffled, subtaskIndex, parallelism: 5 });
      r.processElement1({ amount: 1 }, 5);
      return r.records().map((x) => x.value);
    });
    expect(got).toEqual([['from0:1'], ['from1:1'], ['from2:1'], ['from0:1'], ['from1:1']]);
  });

  test('a restored copy is independent of the snapshot it came from', () => {
    const h = unkeyed();
    h.processElement2({ name: 'big', min: 40 }, 1);
    const snapshot = h.snapshot(1);
    const r = unkeyed(thresholds, { restore: [snapshot] });
    r.processElement2({ name: 'small', min: 1 }, 2);
    expect(snapshot.operatorState).toEqual({ subtask: 0, states: { rules: { big: { name: 'big', min: 40 } } } });
  });
});

describe('KeyedBroadcastProcessFunction', () => {
  const fn: KeyedBroadcastProcessFunction = {
    state: { total: valueState(0) },
    processElement(v, ctx, out) {
      const total = (ctx.getState('total') as ValueState);
      total.update((total.value() as number) + (v as { amount: number }).amount);
      const limit = ctx.getBroadcastState(rules).get('limit') as Rule | null;
      if (limit !== null && (total.value() as number) > limit.min) out.collect(`${String(ctx.getCurrentKey())} over ${limit.min}: ${String(total.value())}`);
      ctx.timerService().registerEventTimeTimer(100);
    },
    processBroadcastElement(v, ctx) {
      ctx.getBroadcastState(rules).put('limit', v);
    },
    onTimer(t, ctx, out) {
      out.collect(`${String(ctx.getCurrentKey())} total ${String((ctx.getState('total') as ValueState).value())} at ${t} (limit ${JSON.stringify(ctx.getBroadcastState(rules).get('limit'))})`);
    },
  };
  const harness = (options = {}) => createTwoInputHarness(new BroadcastProcessOperator(fn, [rules], user), { keySelectors: [user, () => null], ...options }).open();

  test('keyed state per key on the ordinary side, broadcast state for all keys, timers with their key', () => {
    const h = harness();
    h.processElement2({ name: 'limit', min: 10 }, 0);
    h.processElement1({ user: 'ann', amount: 6 }, 1).processElement1({ user: 'bob', amount: 8 }, 2).processElement1({ user: 'ann', amount: 6 }, 3);
    h.processBothWatermarks(100);
    expect(h.records()).toEqual([
      { value: 'ann over 10: 12', timestamp: 3 },
      { value: 'ann total 12 at 100 (limit {"name":"limit","min":10})', timestamp: 100 },
      { value: 'bob total 8 at 100 (limit {"name":"limit","min":10})', timestamp: 100 },
    ]);
  });

  test('the broadcast side has no key: no keyed state, no timers', () => {
    const h = createTwoInputHarness(
      new BroadcastProcessOperator(
        { ...fn, processBroadcastElement: (_v: JsonValue, ctx: KeyedBroadcastContext) => (ctx as unknown as { getState(n: string): unknown }).getState('total') },
        [rules],
        user,
      ),
      { keySelectors: [user, () => null] },
    ).open();
    expect(() => h.processElement2({}, 1)).toThrow('keyed state is not available in processBroadcastElement');
  });

  test('broadcast state and keyed state are restored together', () => {
    const h = harness();
    h.processElement2({ name: 'limit', min: 10 }, 0).processElement1({ user: 'ann', amount: 8 }, 1);
    const r = harness({ restore: [h.snapshot(1)] });
    r.processElement1({ user: 'ann', amount: 5 }, 2);
    expect(r.records().map((x) => x.value)).toEqual(['ann over 10: 13']);
  });

  describe('applyToKeyedState (Flink\'s KeyedBroadcastProcessFunction.Context)', () => {
    // A "reset" broadcast element zeroes every key's total and says which keys it visited.
    const resetting: KeyedBroadcastProcessFunction<{ total: ReturnType<typeof valueState> }> = {
      ...(fn as KeyedBroadcastProcessFunction<{ total: ReturnType<typeof valueState> }>),
      processBroadcastElement(v, ctx, out) {
        if ((v as { reset?: boolean }).reset !== true) return ctx.getBroadcastState(rules).put('limit', v);
        ctx.applyToKeyedState('total', (key, total) => {
          out.collect(`reset ${String(key)} from ${String(total.value())}`);
          total.update(0);
        });
      },
    };
    const withReset = (options = {}) => createTwoInputHarness(new BroadcastProcessOperator(resetting as KeyedBroadcastProcessFunction, [rules], user), { keySelectors: [user, () => null], ...options }).open();

    test('visits every key that holds the state, once, with that key current, in key-group order; later elements see the new value', () => {
      const h = withReset();
      h.processElement2({ name: 'limit', min: 10 }, 0);
      for (const [who, amount] of [['ann', 6], ['bob', 8], ['cy', 1], ['ann', 6]] as const) h.processElement1({ user: who, amount }, 1);
      h.processElement2({ reset: true }, 2);
      const resets = h.records().flatMap((r) => (typeof r.value === 'string' && r.value.startsWith('reset') ? [r.value] : []));
      expect(resets.slice().sort()).toEqual(['reset ann from 12', 'reset bob from 8', 'reset cy from 1']);
      // The same order every time: by key group, as the backend stores the keys.
      expect(withReset().processElement2({ name: 'limit', min: 10 }, 0).processElement1({ user: 'ann', amount: 6 }, 1).processElement1({ user: 'bob', amount: 8 }, 1).processElement1({ user: 'cy', amount: 1 }, 1).processElement2({ reset: true }, 2).records().map((r) => r.value).filter((v) => String(v).startsWith('reset'))).toEqual(
        resets.map((r) => r.replace(' from 12', ' from 6')),
      );
      h.processElement1({ user: 'ann', amount: 11 }, 3);
      expect(h.records().at(-1)!.value).toBe('ann over 10: 11');
    });

    test('a key with no state is not visited; without any key, nothing is', () => {
      const h = withReset();
      h.processElement2({ reset: true }, 0);
      expect(h.records()).toEqual([]);
    });

    test('an undeclared state name is refused, naming the declared ones', () => {
      const bad = createTwoInputHarness(
        new BroadcastProcessOperator({ ...fn, processBroadcastElement: (_v: JsonValue, ctx: KeyedBroadcastContext) => (ctx as unknown as { applyToKeyedState(n: string, f: () => void): void }).applyToKeyedState('nope', () => undefined) }, [rules], user),
        { keySelectors: [user, () => null] },
      ).open();
      expect(() => bad.processElement2({}, 1)).toThrow("state 'nope' is not declared (declared: total)");
    });

    test('the scenario DSL\'s applyToKeyedState action does what the TypeScript one does: same records, same order, the same state after', () => {
      const spec = broadcastProcessFunctionFromSpec({
        keyed: true,
        state: [{ name: 'total', kind: 'value', initial: 0 }],
        broadcastState: ['rules'],
        onElement: [
          { kind: 'set', state: 'total', to: 'state.total + amount' },
          { kind: 'if', test: 'state.rules.limit != null && state.total > state.rules.limit.min', then: [{ kind: 'emit', value: 'str(key) + " over " + str(state.rules.limit.min) + ": " + str(state.total)', timestamp: null }], else: [] },
        ],
        onBroadcastElement: [
          {
            kind: 'if',
            test: 'reset == true',
            then: [{ kind: 'applyToKeyedState', state: 'total', do: [{ kind: 'emit', value: '"reset " + str(key) + " from " + str(state.total)', timestamp: null }, { kind: 'set', state: 'total', to: '0' }] }],
            else: [{ kind: 'put', state: 'rules', key: '"limit"', value: '$' }],
          },
        ],
        onTimer: [],
      }) as KeyedBroadcastProcessFunction;
      const drive = (f: KeyedBroadcastProcessFunction) => {
        const h = createTwoInputHarness(new BroadcastProcessOperator(f, [rules], user), { keySelectors: [user, () => null] }).open();
        h.processElement2({ name: 'limit', min: 10, reset: false }, 0);
        for (const [who, amount] of [['ann', 6], ['bob', 8], ['cy', 1], ['ann', 6]] as const) h.processElement1({ user: who, amount }, 1);
        h.processElement2({ reset: true }, 2);
        h.processElement1({ user: 'ann', amount: 11 }, 3);
        return h.records().map((r) => r.value);
      };
      const { onTimer: _, ...noTimer } = resetting;
      const fromTs = drive({ ...noTimer, processElement(v, ctx, out) { const t = ctx.getState('total') as ValueState; t.update((t.value() as number) + (v as { amount: number }).amount); const l = ctx.getBroadcastState(rules).get('limit') as Rule | null; if (l !== null && (t.value() as number) > l.min) out.collect(`${String(ctx.getCurrentKey())} over ${l.min}: ${String(t.value())}`); } } as KeyedBroadcastProcessFunction);
      const fromDsl = drive(spec);
      expect(fromDsl).toEqual(fromTs);
      expect(fromDsl.filter((v) => String(v).startsWith('reset')).length).toBe(3);
      expect(fromDsl.at(-1)).toBe('ann over 10: 11');
    });

    test('the DSL\'s applyToKeyedState body counts its actions per visited key: many keys do not reach the per-call limit', () => {
      const spec = broadcastProcessFunctionFromSpec({
        keyed: true,
        state: [{ name: 'total', kind: 'value', initial: 0 }],
        broadcastState: ['rules'],
        onElement: [{ kind: 'set', state: 'total', to: 'state.total + 1' }],
        onBroadcastElement: [{ kind: 'applyToKeyedState', state: 'total', do: [{ kind: 'set', state: 'total', to: '0' }, { kind: 'emit', value: 'key', timestamp: null }] }],
        onTimer: [],
      }) as KeyedBroadcastProcessFunction;
      const h = createTwoInputHarness(new BroadcastProcessOperator(spec, [rules], user), { keySelectors: [user, () => null] }).open();
      for (let i = 0; i < 1500; i++) h.processElement1({ user: `u${i}` }, 1);
      h.processElement2({}, 2);
      expect(h.records().length).toBe(1500);
    });

    test('after a restore, the restored keys are visited', () => {
      const h = withReset();
      h.processElement1({ user: 'ann', amount: 4 }, 1).processElement1({ user: 'bob', amount: 2 }, 1);
      const r = withReset({ restore: [h.snapshot(1)] });
      r.processElement2({ reset: true }, 2);
      expect(r.records().map((x) => x.value).sort()).toEqual(['reset ann from 4', 'reset bob from 2']);
    });
  });
});
