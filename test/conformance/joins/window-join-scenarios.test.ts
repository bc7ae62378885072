/**
 * The window join and coGroup in whole scenarios, against a model: for random orders and
 * payments, at any parallelism, with a subtask of the join killed at a random time and
 * restored from a checkpoint, the committed output of a two-phase-commit sink is exactly the
 * model's: every (order, payment) pair of one key in one tumbling window, once. And the
 * validator's messages for a join written wrong.
 */
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { canonicalJson, createSimulation, formatIssue, validateScenario, type JsonValue, type RunReport, type Scenario } from '../../../core/index.ts';

type Obj = Record<string, JsonValue>;
interface Element {
  readonly key: number;
  readonly ts: number;
}

function topic(elements: readonly Element[], side: string): Obj {
  const sorted = [...elements].sort((a, b) => a.ts - b.ts);
  return { partitions: 1, records: sorted.map((e, i) => ({ key: e.key, value: { k: e.key, id: `${side}${i}`, ts: e.ts }, timestamp: e.ts, at: e.ts })) };
}

function scenario(orders: readonly Element[], payments: readonly Element[], join: Obj, config: Obj = {}, extra: Obj = {}): Scenario {
  const wm = { strategy: 'monotonous' };
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'window join',
      seed: 1,
      config: { parallelism: 2, autoWatermarkInterval: 50, ...config },
      topics: { orders: topic(orders, 'o'), payments: topic(payments, 'p') },
      job: {
        name: 'window join',
        operators: [
          { id: 'orders', type: 'source', topic: 'orders', parallelism: 1, watermarks: wm },
          { id: 'payments', type: 'source', topic: 'payments', parallelism: 1, watermarks: wm },
          { id: 'join', input: ['orders', 'payments'], key: ['k', 'k'], ...join },
          { id: 'out', type: 'sink', input: 'join', sink: { type: 'two-phase-commit', topic: 'out' } },
        ],
      },
      ...extra,
    } as JsonValue,
    '<test>',
  );
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

function run(s: Scenario): RunReport {
  const sim = createSimulation({ scenario: s, traceLevel: 'summary' });
  sim.run();
  return sim.report();
}

const committed = (report: RunReport): string[] => report.sinks['out']!.committed.map((r) => canonicalJson({ v: r.value, t: r.timestamp })).sort();

/** The model: per key and tumbling window, every order with every payment, stamped with the window's last ms. */
function modelJoin(orders: readonly Element[], payments: readonly Element[], size: number): string[] {
  const ids = (elements: readonly Element[], side: string) => [...elements].sort((a, b) => a.ts - b.ts).map((e, i) => ({ ...e, id: `${side}${i}` }));
  const out: string[] = [];
  for (const o of ids(orders, 'o')) {
    for (const p of ids(payments, 'p')) {
      const w = Math.floor(o.ts / size);
      if (o.key !== p.key || w !== Math.floor(p.ts / size)) continue;
      out.push(canonicalJson({ v: { order: o.id, payment: p.id }, t: (w + 1) * size - 1 }));
    }
  }
  return out.sort();
}

const elements = fc.array(fc.record({ key: fc.integer({ min: 0, max: 4 }), ts: fc.integer({ min: 0, max: 3000 }) }), { maxLength: 25 });

describe('window join against the model', () => {
  fcTest.prop(
    [elements, elements, fc.constantFrom(250, 500, 1000), fc.integer({ min: 1, max: 3 }), fc.option(fc.record({ subtask: fc.nat(), at: fc.integer({ min: 1, max: 3000 }) }), { nil: null })],
    { numRuns: 40 },
  )('committed exactly once, at any parallelism, through a kill and a restore', (orders, payments, size, parallelism, kill) => {
    const join = { type: 'windowJoin', assigner: { type: 'tumbling', size }, select: '{order: left.id, payment: right.id}', parallelism };
    const faults = kill === null ? [] : [{ type: 'kill-task', operator: 'join', subtask: kill.subtask % parallelism, at: kill.at }];
    const report = run(scenario(orders, payments, join, { checkpointing: { interval: 200 }, restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 50 } }, { faults }));
    expect(report.status).toBe('FINISHED');
    // A kill while both inputs still run does restart the job (the property is not vacuous).
    const running = Math.min(...[orders, payments].map((side) => Math.max(-1, ...side.map((e) => e.ts))));
    if (kill !== null && kill.at < running) expect(report.restarts.length).toBe(1);
    expect(committed(report)).toEqual(modelJoin(orders, payments, size));
  });

  fcTest.prop([elements, elements], { numRuns: 20 })('a coGroup sees, per key and window, as many elements of each side as there are', (orders, payments) => {
    const join = { type: 'coGroup', assigner: { type: 'tumbling', size: 500 }, apply: '[{key: key, start: window.start, orders: len(left), payments: len(right)}]' };
    const report = run(scenario(orders, payments, join));
    const counts = new Map<string, { key: number; start: number; orders: number; payments: number }>();
    for (const [side, list] of [['orders', orders], ['payments', payments]] as const) {
      for (const e of list) {
        const start = Math.floor(e.ts / 500) * 500;
        const id = `${e.key}/${start}`;
        const c = counts.get(id) ?? { key: e.key, start, orders: 0, payments: 0 };
        c[side]++;
        counts.set(id, c);
      }
    }
    const expected = [...counts.values()].map((c) => canonicalJson({ v: c, t: c.start + 499 })).sort();
    expect(committed(report)).toEqual(expected);
  });

  it('stopped with a savepoint and resumed at another parallelism, the waiting elements still join', () => {
    const orders = Array.from({ length: 30 }, (_, i) => ({ key: i % 5, ts: i * 100 }));
    const payments = Array.from({ length: 30 }, (_, i) => ({ key: (i * 3) % 5, ts: i * 100 + 40 }));
    const join = { type: 'windowJoin', assigner: { type: 'tumbling', size: 1000 }, select: '{order: left.id, payment: right.id}' };
    const actions: Obj[] = [
      { at: 1450, type: 'stop-with-savepoint' },
      { at: 1600, type: 'resume', parallelism: 3 },
    ];
    const report = run(scenario(orders, payments, join, {}, { actions }));
    expect(report.status).toBe('FINISHED');
    expect(committed(report)).toEqual(modelJoin(orders, payments, 1000));
    expect(committed(report).length).toBeGreaterThan(20);
  });
});

describe('a window join written wrong', () => {
  const issues = (join: Obj): string[] => {
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'x',
        topics: { a: { partitions: 1, records: [] }, b: { partitions: 1, records: [] } },
        job: {
          name: 'x',
          operators: [
            { id: 'a', type: 'source', topic: 'a', watermarks: { strategy: 'monotonous' } },
            { id: 'b', type: 'source', topic: 'b', watermarks: { strategy: 'monotonous' } },
            { id: 'kb', type: 'keyBy', input: 'b', key: 'k' },
            { id: 'j', ...join },
            { id: 'out', type: 'sink', input: 'j', sink: { type: 'print' } },
          ],
        },
      },
      'x.json',
    );
    return result.ok ? [] : result.issues.map((i) => `${i.path}: ${i.message}`);
  };
  const base = { type: 'windowJoin', input: ['a', 'b'], key: ['k', 'k'], assigner: { type: 'tumbling', size: 1000 } };

  it('accepts a correct one, and a coGroup with its apply', () => {
    expect(issues(base)).toEqual([]);
    expect(issues({ ...base, type: 'coGroup', apply: '[len(left)]' })).toEqual([]);
  });

  it('names each mistake at its path', () => {
    const { key: _key, ...noKey } = base;
    expect(issues(noKey)).toEqual([expect.stringMatching(/^\$\.job\.operators\[3\]\.key: missing required field 'key': a window join groups equal keys/)]);
    const { assigner: _assigner, ...noAssigner } = base;
    expect(issues(noAssigner)[0]).toMatch(/^\$\.job\.operators\[3\]\.assigner: /);
    expect(issues({ ...base, input: ['a'] })[0]).toMatch(/input: a windowJoin reads exactly two inputs/);
    expect(issues({ ...base, input: ['a', 'kb'] })[0]).toMatch(/input\[1\]: operator 'j' reads the keyBy 'kb', but a windowJoin keys its inputs itself/);
    expect(issues({ ...base, lateOutput: 'late' })[0]).toMatch(/lateOutput: operator 'j': a window join has no late side output/);
    expect(issues({ ...base, select: '{a: left.x, b: y}' })[0]).toMatch(/select: operator 'j': select sees left, right, key, window .*'y' is not one of them/);
    expect(issues({ ...base, aggregate: 'count' })[0]).toMatch(/aggregate/);
    expect(issues({ ...base, type: 'coGroup' })[0]).toMatch(/apply: missing required field 'apply'/);
    expect(issues({ ...base, type: 'coGroup', apply: 'len(left) +' })[0]).toMatch(/apply: operator 'j': expression does not parse/);
    expect(issues({ ...base, type: 'coGroup', apply: '{orders: len(left)}' })[0]).toMatch(/apply: operator 'j': apply gives the list of records to emit, and this expression is always an object: wrap it in a list, \[\{orders: len\(left\)\}\]/);
    expect(issues({ ...base, type: 'coGroup', apply: 'len(left) > 0 ? 1 : 2' })[0]).toMatch(/always a number/);
    expect(issues({ ...base, type: 'coGroup', apply: 'len(right) == 0 ? [key] : []' })).toEqual([]);
    expect(issues({ ...base, assigner: { type: 'tumbling', size: 1000, time: 'processing' }, allowedLateness: 10 })[0]).toMatch(/allowedLateness: operator 'j': allowed lateness applies to event-time windows/);
  });

  it("a coGroup's apply that does not return a list fails the task, naming the operator", () => {
    const report = run(scenario([{ key: 1, ts: 0 }], [], { type: 'coGroup', assigner: { type: 'tumbling', size: 100 }, apply: 'len(left)' }));
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toMatch(/join.*must return a list of records/);
  });
});
