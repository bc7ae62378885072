/**
 * State TTL in the scenario DSL: a state declaration's `ttl` (milliseconds, or Flink's
 * StateTtlConfig settings by name) makes its values expire in processing time, and the
 * validator reports a bad `ttl` at its JSON path. Reading one state in an expression does
 * not touch another, so OnReadAndWrite refreshes only what is read.
 */
import { describe, expect, test } from 'vitest';
import { dsl, harness, processIssues } from './helpers.ts';

const OP = '$.job.operators[0]';

describe('ttl in a state declaration', () => {
  test('a value with a TTL reads as its initial value once expired, counted from the last write', () => {
    const h = harness(
      dsl({
        state: { count: { type: 'value', initial: 0, ttl: 1000 } },
        onElement: [{ set: 'count', to: 'state.count + 1' }, { emit: 'state.count' }],
      }),
    );
    h.feed('a P500 a P1400 a P2400 a');
    expect(h.records().map((r) => r.value)).toEqual([1, 2, 3, 1]);
  });

  test('a list expires element by element', () => {
    const h = harness(dsl({ state: { recent: { type: 'list', ttl: { time: 100 } } }, onElement: [{ add: 'recent', value: 'v' }, { emit: 'state.recent' }] }));
    h.feed('a:1 P60 a:2 P130 a:3 P200 a:4');
    expect(h.records().map((r) => r.value)).toEqual([[1], [1, 2], [2, 3], [3, 4]]);
  });

  test('OnReadAndWrite refreshes a state only when an expression reads it', () => {
    const h = harness(
      dsl({
        state: {
          seen: { type: 'value', ttl: { time: 100, updateType: 'OnReadAndWrite' } },
          other: { type: 'value', initial: 0 },
        },
        onElement: [
          { if: 'v == 1', then: [{ set: 'seen', to: 'true' }] },
          { if: 'v == 2', then: [{ emit: 'state.other' }] },
          { if: 'v == 3', then: [{ emit: 'state.seen' }] },
        ],
      }),
    );
    // Reads of `other` at 60 and 120 do not refresh `seen` (written at 0): it is gone at 150.
    h.feed('a:1 P60 a:2 P120 a:2 P150 a:3');
    expect(h.records().map((r) => r.value)).toEqual([0, 0, null]);
    const g = harness(dsl({ state: { seen: { type: 'value', ttl: { time: 100, updateType: 'OnReadAndWrite' } } }, onElement: [{ if: 'v == 1', then: [{ set: 'seen', to: 'true' }] }, { emit: 'state.seen' }] }));
    // Here each element reads `seen`, refreshing it, so it outlives its TTL.
    g.feed('a:1 P60 a:2 P120 a:2 P210 a:2');
    expect(g.records().map((r) => r.value)).toEqual([true, true, true, true]);
  });

  test('ReturnExpiredIfNotCleanedUp shows an expired value to the first read only, when nothing cleaned it up before', () => {
    const run = (ttl: Record<string, unknown>) => {
      const h = harness(
        dsl({
          state: { last: { type: 'value', ttl: { time: 100, stateVisibility: 'ReturnExpiredIfNotCleanedUp', ...ttl } } },
          onElement: [{ if: 'v == 1', then: [{ set: 'last', to: 'v' }] }, { emit: 'state.last' }],
        } as never),
      );
      h.feed('a:1 P200 a:2 a:3');
      return h.records().map((r) => r.value);
    };
    expect(run({ cleanupInBackground: false })).toEqual([1, 1, null]);
    // Flink's default incremental cleanup runs a step before each access (AbstractTtlState's accessCallback): it removes the expired value first.
    expect(run({})).toEqual([1, null, null]);
  });

  test('cleanupFullSnapshot leaves expired values out of a snapshot', () => {
    const h = harness(dsl({ state: { m: { type: 'map', ttl: { time: 100, cleanupFullSnapshot: true } } }, onElement: [{ put: 'm', key: 'str(v)', value: 'v' }] }));
    h.feed('a:1 P50 a:2 P120');
    const entries = h.snapshot().keyGroups.flatMap((g) => g.entries.map((e) => e.value));
    expect(entries).toEqual([{ '2': { v: 2, ts: 50 } }]);
  });

  test('the validator reports a bad ttl at its path', () => {
    const { issues } = processIssues({
      state: {
        a: { type: 'value', ttl: 0 },
        b: { type: 'list', ttl: { time: 10, updateType: 'OnRead' } },
        c: { type: 'map', ttl: { time: 10, stateVisibility: 'never', cleanupFullSnapshot: 'yes', timeCharacteristic: 'EventTime' } },
        d: { type: 'reducing', reduce: 'a + b', ttl: { updateType: 'OnReadAndWrite' } },
      },
      onElement: [{ emit: '$' }],
    });
    const text = issues.map((i) => `${i.path}: ${i.message}`);
    expect(text.some((t) => t.startsWith(`${OP}.state.a.ttl:`))).toBe(true);
    expect(text.some((t) => t.startsWith(`${OP}.state.b.ttl.updateType:`) && t.includes('"OnReadAndWrite"'))).toBe(true);
    expect(text.some((t) => t.startsWith(`${OP}.state.c.ttl.stateVisibility:`))).toBe(true);
    expect(text.some((t) => t.startsWith(`${OP}.state.c.ttl.cleanupFullSnapshot:`))).toBe(true);
    expect(text.some((t) => t.includes('timeCharacteristic'))).toBe(true);
    expect(text.some((t) => t.startsWith(`${OP}.state.d.ttl.time:`))).toBe(true);
  });
});

describe('aggregating state in the DSL', () => {
  test('initial is the accumulator, add folds a value into it, result reads it', () => {
    const h = harness(
      dsl({
        state: { avg: { type: 'aggregating', initial: { sum: 0, n: 0 }, add: '{sum: acc.sum + value, n: acc.n + 1}', result: 'acc.sum / acc.n' } },
        onElement: [{ if: 'v < 0', then: [{ clear: 'avg' }], else: [{ add: 'avg', value: 'v' }] }, { emit: 'state.avg' }],
      }),
    );
    h.feed('a:2 a:4 b:9 a:-1 a:5');
    expect(h.records().map((r) => r.value)).toEqual([2, 3, 9, null, 5]);
  });

  test('without result it reads the accumulator; with a ttl the accumulator expires', () => {
    const h = harness(dsl({ state: { seen: { type: 'aggregating', initial: [], add: 'concat(acc, [value])', ttl: 100 } }, onElement: [{ add: 'seen', value: 'v' }, { emit: 'state.seen' }] }));
    h.feed('a:1 P50 a:2 P200 a:3');
    expect(h.records().map((r) => r.value)).toEqual([[1], [1, 2], [3]]);
  });

  test('the validator reports add and result expressions that read anything but acc and value', () => {
    const { issues } = processIssues({ state: { x: { type: 'aggregating', initial: 0, add: 'acc + v', result: 'value' } }, onElement: [{ add: 'x', value: '1' }] });
    expect(issues.map((i) => i.path)).toEqual([`${OP}.state.x.add`, `${OP}.state.x.result`]);
    expect(issues[0]!.message).toContain("not 'v'");
  });

  test('an aggregating state needs its initial accumulator (Flink\'s createAccumulator); null is one', () => {
    const { issues } = processIssues({ state: { x: { type: 'aggregating', add: 'acc + value' } }, onElement: [{ add: 'x', value: '1' }] });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([expect.stringMatching(/state\.x\.initial: operator '.*': missing required field 'initial'/)]);
    expect(processIssues({ state: { x: { type: 'aggregating', initial: null, add: 'acc == null ? value : acc + value' } }, onElement: [{ add: 'x', value: '1' }] }).issues).toEqual([]);
  });
});
