// Every shipped scenario that states its lesson in `expect` must meet it, and the checker
// must notice when a run does not.
import { describe, expect, it } from 'vitest';
import { checkExpectations, createSimulation } from '../../core/index.ts';
import { shippedScenarios } from './shipped.ts';

describe('shipped scenarios meet their own expectations', () => {
  for (const { name, scenario } of shippedScenarios()) {
    it(`${name}`, () => {
      const sim = createSimulation({ scenario });
      sim.run();
      const report = sim.report();
      if (scenario.expect !== null) expect(checkExpectations(scenario.expect, report)).toEqual([]);
    });
  }
});

describe('checkExpectations', () => {
  const { scenario } = shippedScenarios().find((s) => s.name === 'hello-map-filter')!;
  const sim = createSimulation({ scenario });
  sim.run();
  const report = sim.report();

  it('reports a wrong status, count, missing and unexpected records with their paths', () => {
    const failures = checkExpectations(
      {
        status: 'FAILED',
        lateRecords: 3,
        restarts: null,
        checkpoints: null,
        sinks: { out: { count: 1, committed: [{ value: { n: 99, v: 0 }, timestamp: 1 }], every: null } },
        sideOutputs: {},
      },
      report,
    );
    const text = failures.map((f) => `${f.path}: ${f.message}`).join('\n');
    expect(text).toMatch(/\$\.expect\.status: expected FAILED, the job's status was FINISHED/);
    expect(text).toMatch(/\$\.expect\.lateRecords: expected 3 late records/);
    expect(text).toMatch(/\$\.expect\.sinks\.out\.count: expected 1 records, found 7/);
    expect(text).toMatch(/\$\.expect\.sinks\.out\.committed: missing \{"n":99,"v":0\}@1; unexpected/);
  });

  it('names an extra copy of an expected record duplicated, and a record never expected unexpected', () => {
    const committed = report.sinks['out']!.committed;
    const [first, ...rest] = committed;
    const failures = checkExpectations({ status: null, lateRecords: null, restarts: null, checkpoints: null, sinks: { out: { count: null, committed: [first!, ...rest.slice(1), { value: 'never', timestamp: null }], every: null } }, sideOutputs: {} }, report);
    const show = (r: { value: unknown; timestamp: number | null }) => `${JSON.stringify(r.value)}@${r.timestamp ?? '-'}`;
    expect(failures.map((f) => f.message)).toEqual([`missing "never"@-; unexpected ${show(rest[0]!)}`]);
    const twice = checkExpectations({ status: null, lateRecords: null, restarts: null, checkpoints: null, sinks: { out: { count: null, committed: committed.slice(1), every: null } }, sideOutputs: {} }, { ...report, sinks: { out: { ...report.sinks['out']!, committed: [...committed, committed[1]!] } } });
    expect(twice.map((f) => f.message)).toEqual([`duplicated ${show(committed[1]!)}; unexpected ${show(first!)}`]);
  });

  it('compares sink contents as a multiset', () => {
    const reversed = [...report.sinks['out']!.committed].reverse();
    expect(checkExpectations({ status: null, lateRecords: null, restarts: null, checkpoints: null, sinks: { out: { count: null, committed: reversed, every: null } }, sideOutputs: {} }, report)).toEqual([]);
  });

  const every = (expr: string) => checkExpectations({ status: null, lateRecords: null, restarts: null, checkpoints: null, sinks: { out: { count: null, committed: null, every: expr } }, sideOutputs: {} }, report);

  it('checks an expression against every record: met, broken by some (counted, the first shown), and throwing', () => {
    const values = report.sinks['out']!.committed.map((r) => (r.value as { n: number }).n);
    expect(values.length).toBeGreaterThan(3);
    expect(every('n >= 0 && $timestamp != null')).toEqual([]);
    const largest = Math.max(...values);
    const broken = every(`n < ${largest}`);
    expect(broken).toHaveLength(1);
    const count = values.filter((n) => n >= largest).length;
    expect(broken[0]!.path).toBe('$.expect.sinks.out.every');
    expect(broken[0]!.message).toMatch(new RegExp(`^${count} of ${values.length} records do not satisfy "n < ${largest}": \\{"n":${largest},`));
    const throwing = every('n.missing.deeper == 1');
    expect(throwing[0]!.message).toMatch(new RegExp(`^${values.length} of ${values.length} records do not satisfy .*\\(.+\\)`));
  });
});
