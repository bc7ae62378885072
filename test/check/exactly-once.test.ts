// The exactly-once oracle: lost, duplicated and unexpected records per sink, tables key by
// key, a job that did not finish, and a reference that proves nothing.
import { describe, expect, it } from 'vitest';
import { checkExactlyOnce, checkReference, createExactlyOnceOracle, type OracleRun } from '../../core/testing.ts';
import type { OracleRecord } from '../../core/index.ts';

const rec = (v: number, timestamp: number | null = 1) => ({ value: { k: 'a', v }, timestamp });
const run = (committed: OracleRecord[], extra: Partial<OracleRun> = {}): OracleRun => ({ status: 'FINISHED', sinks: { out: { committed } }, ...extra });

describe('records, as a multiset per sink', () => {
  const reference = run([rec(1), rec(2), rec(2), rec(3)]);

  it('holds for the same records in another order', () => {
    const v = checkExactlyOnce(reference, run([rec(3), rec(2), rec(1), rec(2)]));
    expect(v).toMatchObject({ holds: true, lost: 0, duplicated: 0, unexpected: 0, differences: [] });
  });

  it('counts a lost record, with the record as example', () => {
    const v = checkExactlyOnce(reference, run([rec(1), rec(2), rec(3)]));
    expect(v.holds).toBe(false);
    expect(v).toMatchObject({ lost: 1, duplicated: 0, unexpected: 0 });
    expect(v.differences).toEqual([{ name: 'out', kind: 'sink', lost: 1, duplicated: 0, unexpected: 0, examples: [{ kind: 'lost', record: rec(2), copies: 1 }] }]);
  });

  it('counts extra copies of a reference record as duplicated, not unexpected', () => {
    const v = checkExactlyOnce(reference, run([rec(1), rec(1), rec(1), rec(2), rec(2), rec(3)]));
    expect(v).toMatchObject({ holds: false, lost: 0, duplicated: 2, unexpected: 0 });
    expect(v.differences[0]!.examples).toEqual([{ kind: 'duplicated', record: rec(1), copies: 2 }]);
  });

  it('counts a record the reference never wrote as unexpected; the timestamp is part of the record', () => {
    const v = checkExactlyOnce(reference, run([rec(1), rec(2), rec(2), rec(3, 99), rec(7)]));
    expect(v).toMatchObject({ holds: false, lost: 1, duplicated: 0, unexpected: 2 });
    expect(v.differences[0]!.examples.map((e) => e.kind)).toEqual(['lost', 'unexpected', 'unexpected']);
  });

  it('compares values canonically: key order inside a value does not matter', () => {
    const a = run([{ value: { x: 1, y: [1, 2] }, timestamp: null }]);
    const b = run([{ value: { y: [1, 2], x: 1 }, timestamp: null }]);
    expect(checkExactlyOnce(a, b).holds).toBe(true);
  });

  it('a sink missing from the run lost everything; a sink the reference lacks is all unexpected', () => {
    const v = checkExactlyOnce(reference, { status: 'FINISHED', sinks: { other: { committed: [rec(5)] } } });
    expect(v.differences.map((d) => [d.name, d.lost, d.unexpected])).toEqual([
      ['other', 0, 1],
      ['out', 4, 0],
    ]);
  });

  it('keeps at most maxExamples examples per kind but counts all', () => {
    const many = run(Array.from({ length: 20 }, (_, i) => rec(100 + i)));
    const v = checkExactlyOnce(reference, many, { maxExamples: 3 });
    expect(v.unexpected).toBe(20);
    expect(v.lost).toBe(4);
    expect(v.differences[0]!.examples.filter((e) => e.kind === 'unexpected')).toHaveLength(3);
  });
});

describe('the job status', () => {
  it('a run that did not FINISH violates the property even with the same output', () => {
    const reference = run([rec(1)]);
    const v = checkExactlyOnce(reference, run([rec(1)], { status: 'FAILED', failureCause: 'restart strategy exhausted' }));
    expect(v.holds).toBe(false);
    expect(v.differences).toEqual([]);
    expect(v.statusViolation).toBe('the job ended FAILED (restart strategy exhausted), not FINISHED');
  });
});

describe('tables of idempotent sinks, key by key', () => {
  const reference: OracleRun = { status: 'FINISHED', sinks: { up: { committed: [rec(1), rec(2)] } }, tables: { counts: { a: 1, b: { n: 2 } } } };
  const oracle = createExactlyOnceOracle(reference, { tableSinks: ['up'] });

  it('holds when the final rows are equal, however often they were written', () => {
    const v = oracle.check({ status: 'FINISHED', sinks: { up: { committed: [rec(1), rec(1), rec(2), rec(2)] } }, tables: { counts: { b: { n: 2 }, a: 1 } } });
    expect(v.holds).toBe(true);
  });

  it('a missing row is lost; a row with another value, or a key the reference never had, is unexpected', () => {
    const v = oracle.check({ status: 'FINISHED', sinks: { up: { committed: [] } }, tables: { counts: { b: { n: 3 }, c: 0 } } });
    expect(v).toMatchObject({ holds: false, lost: 1, duplicated: 0, unexpected: 2 });
    expect(v.differences).toEqual([
      {
        name: 'counts',
        kind: 'table',
        lost: 1,
        duplicated: 0,
        unexpected: 2,
        examples: [
          { kind: 'lost-row', key: 'a', expected: 1, found: null },
          { kind: 'unexpected-row', key: 'b', expected: { n: 2 }, found: { n: 3 } },
          { kind: 'unexpected-row', key: 'c', expected: null, found: 0 },
        ],
      },
    ]);
  });

  it('without tableSinks the table sink is also compared by its writes', () => {
    const v = checkExactlyOnce(reference, { status: 'FINISHED', sinks: { up: { committed: [rec(1), rec(1), rec(2)] } }, tables: { counts: { a: 1, b: { n: 2 } } } });
    expect(v).toMatchObject({ holds: false, duplicated: 1 });
  });
});

describe('checkReference: a reference must have finished and committed something', () => {
  it('a reference without any output is a failure of the check itself, never a pass', () => {
    const empty: OracleRun = { status: 'FINISHED', sinks: { out: { committed: [] } }, tables: { t: {} } };
    expect(checkReference(empty)).toMatch(/committed no output at all: a check that saw no output proves nothing/);
    // And against it, every run would trivially hold: that is why the check refuses it.
    expect(checkExactlyOnce(empty, empty).holds).toBe(true);
  });
  it('a reference that did not finish', () => {
    expect(checkReference(run([rec(1)], { status: 'RUNNING' }))).toMatch(/ended RUNNING, not FINISHED/);
  });
  it('a reference with only table rows is fine', () => {
    expect(checkReference({ status: 'FINISHED', sinks: {}, tables: { t: { a: 1 } } })).toBeNull();
    expect(checkReference(run([rec(1)]))).toBeNull();
  });
});
