/**
 * Keyed state in a process function: each kind (value, list, map, reducing) keeps one value
 * per key, keys never see each other's state, and each action sees what the ones before it
 * did. The same holds for the TypeScript interface, whose handles are core/state's.
 */
import { describe, expect, test } from 'vitest';
import { listState, mapState, reducingState, UserFunctionError, valueState, type KeyedProcessFunction } from '../../../core/operators/index.ts';
import { dsl, emitted, harness } from './helpers.ts';

describe('value state', () => {
  test('starts at its initial value, per key, and clear resets it', () => {
    const h = harness(
      dsl({
        state: { count: { type: 'value', initial: 0 } },
        onElement: [
          { if: 'v == 0', then: [{ clear: 'count' }], else: [{ set: 'count', to: 'state.count + v' }] },
          { emit: '{key: key, count: state.count}' },
        ],
      }),
    );
    h.feed('a:1 b:10 a:2 b:20 a:0 a:5');
    expect(h.records().map((r) => r.value)).toEqual([
      { key: 'a', count: 1 },
      { key: 'b', count: 10 },
      { key: 'a', count: 3 },
      { key: 'b', count: 30 },
      { key: 'a', count: 0 },
      { key: 'a', count: 5 },
    ]);
  });

  test('without initial it reads null', () => {
    const h = harness(dsl({ state: { last: { type: 'value' } }, onElement: [{ emit: 'state.last' }, { set: 'last', to: 'v' }] }));
    h.feed('a:1 a:2 b:3');
    expect(h.records().map((r) => r.value)).toEqual([null, 1, null]);
  });
});

describe('list state', () => {
  test('add appends per key; set replaces; clear empties', () => {
    const h = harness(
      dsl({
        state: { recent: { type: 'list' } },
        onElement: [
          { add: 'recent', value: 'v' },
          { if: 'len(state.recent) > 2', then: [{ set: 'recent', to: '[state.recent[1], state.recent[2]]' }] },
          { if: 'v < 0', then: [{ clear: 'recent' }] },
          { emit: 'state.recent' },
        ],
      }),
    );
    h.feed('a:1 a:2 b:7 a:3 a:4 b:-1');
    expect(h.records().map((r) => r.value)).toEqual([[1], [1, 2], [7], [2, 3], [3, 4], []]);
  });

  test('an emitted list is a copy: a later add does not change it', () => {
    const h = harness(dsl({ state: { xs: { type: 'list' } }, onElement: [{ emit: 'state.xs' }, { add: 'xs', value: 'v' }, { emit: 'state.xs' }] }));
    h.feed('a:1 a:2');
    expect(h.records().map((r) => r.value)).toEqual([[], [1], [1], [1, 2]]);
  });

  test('set on a list state needs a list at run time', () => {
    const h = harness(dsl({ state: { xs: { type: 'list' } }, onElement: [{ set: 'xs', to: 'v' }] }));
    expect(() => h.feed('a:1')).toThrow("onElement[0].to: the list state 'xs' is set to a list, found number 1");
  });
});

describe('map state', () => {
  test('put, remove and read per key; keys are text', () => {
    const h = harness(
      dsl({
        state: { byHour: { type: 'map' } },
        onElement: [
          { if: 'v < 0', then: [{ remove: 'byHour', key: '-v' }], else: [{ put: 'byHour', key: 'v', value: 'coalesce(state.byHour?.[str(v)], 0) + 1' }] },
          { emit: 'state.byHour' },
        ],
      }),
    );
    h.feed('a:1 a:1 b:1 a:2 a:-1');
    expect(h.records().map((r) => r.value)).toEqual([{ '1': 1 }, { '1': 2 }, { '1': 1 }, { '1': 2, '2': 1 }, { '2': 1 }]);
  });

  test('a map key that is not text, a number or a boolean fails the element', () => {
    const h = harness(dsl({ state: { m: { type: 'map' } }, onElement: [{ put: 'm', key: '[v]', value: 'v' }] }));
    expect(() => h.feed('a:1')).toThrow("onElement[0].key: a map state's key is a string (a number or boolean is used as its text), found a list");
  });

  test('the key __proto__ is an entry like any other', () => {
    const h = harness(dsl({ state: { m: { type: 'map' } }, onElement: [{ put: 'm', key: '"__proto__"', value: 'v' }, { emit: 'keys(state.m)' }] }));
    h.feed('a:1');
    expect(h.records().map((r) => r.value)).toEqual([['__proto__']]);
  });
});

describe('reducing state', () => {
  test('folds what is added with its reduce expression, per key; null before the first add', () => {
    const h = harness(
      dsl({
        state: { maxV: { type: 'reducing', reduce: 'max(a, b)' }, sum: { type: 'reducing', reduce: 'a + b' } },
        onElement: [{ emit: '[state.maxV, state.sum]' }, { add: 'maxV', value: 'v' }, { add: 'sum', value: 'v' }, { emit: '[state.maxV, state.sum]' }],
      }),
    );
    h.feed('a:3 b:1 a:2 a:7');
    expect(h.records().map((r) => r.value)).toEqual([
      [null, null],
      [3, 3],
      [null, null],
      [1, 1],
      [3, 3],
      [3, 5],
      [3, 5],
      [7, 12],
    ]);
  });

  test('a reduce that fails names the state', () => {
    const h = harness(dsl({ state: { s: { type: 'reducing', reduce: 'a / b' } }, onElement: [{ add: 's', value: 'v' }] }));
    h.feed('a:1');
    expect(() => h.feed('a:0')).toThrow('state.s.reduce: division by zero (1 / 0)');
  });
});

describe('the TypeScript interface', () => {
  const fn: KeyedProcessFunction<{
    count: ReturnType<typeof valueState>;
    seen: ReturnType<typeof listState>;
    last: ReturnType<typeof mapState>;
    total: ReturnType<typeof reducingState>;
  }> = {
    state: { count: valueState(0), seen: listState(), last: mapState(), total: reducingState((a, b) => (a as number) + (b as number)) },
    processElement(value, ctx, out) {
      const v = (value as { v: number }).v;
      const count = ctx.getState('count');
      count.update((count.value() as number) + 1);
      ctx.getState('seen').add(v);
      ctx.getState('last').put('v', v);
      ctx.getState('total').add(v);
      out.collect({ key: ctx.getCurrentKey(), count: count.value(), seen: ctx.getState('seen').get().slice(), last: ctx.getState('last').get('v'), total: ctx.getState('total').get() });
    },
  };

  test('gets the same handles, scoped to the current key', () => {
    const h = harness(fn);
    h.feed('a:1@5 b:2@6 a:3@7');
    expect(emitted(h)).toEqual([
      [{ key: 'a', count: 1, seen: [1], last: 1, total: 1 }, 5],
      [{ key: 'b', count: 1, seen: [2], last: 2, total: 2 }, 6],
      [{ key: 'a', count: 2, seen: [1, 3], last: 3, total: 4 }, 7],
    ]);
  });

  test('an undeclared state and a throwing function fail the task', () => {
    const h = harness({ processElement: (_v, ctx) => void ctx.getState('nope') });
    expect(() => h.feed('a')).toThrow(UserFunctionError);
    expect(() => h.feed('a')).toThrow("state 'nope' is not declared (the function declares no state)");
    const thrower = harness({
      processElement: () => {
        throw new Error('boom');
      },
    });
    expect(() => thrower.feed('a')).toThrow('boom');
  });
});
