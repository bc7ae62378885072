// A failure that is not one operator's function still names what failed: a keyBy's key
// (computed in the task upstream, where records are partitioned), an operator's own key,
// and a window's aggregate. And a time that a user's expression gives out of range says the
// range, not only "a whole number" (2^53 is one, yet it is refused).
import { describe, expect, it } from 'vitest';
import { createSimulation, formatIssue, validateScenario } from '../../core/index.ts';

const RANGE = 'between -10^15 and 10^15 (MAX_TIME_MS)';

function causeOf(operators: unknown[], records: unknown[] = [{ value: { user: 'a', page: 'home', n: 1 }, timestamp: 1 }]): string | null {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'failing',
      config: { restartStrategy: { type: 'none' } },
      topics: { clicks: { partitions: 1, records } },
      job: { operators: [{ id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' } }, ...operators] },
    },
    'f.json',
  );
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  const report = sim.report();
  return report.status === 'FAILED' ? report.failureCause : null;
}

const sink = (input: string) => ({ id: 'out', type: 'sink', input, sink: { type: 'print' } });
const window = (aggregate: unknown) => ({ id: 'perSecond', type: 'window', input: 'byUser', assigner: { type: 'tumbling', size: 1000 }, aggregate });
const byUser = (key: string) => ({ id: 'byUser', type: 'keyBy', input: 'clicks', key });

describe('a key that fails names its keyBy or its operator', () => {
  it("a keyBy's key, though it runs in the source's task", () => {
    expect(causeOf([byUser('1/0'), window('count'), sink('perSecond')])).toMatch(/^clicks#0 failed: keyBy 'byUser': its key "1\/0" failed: division by zero \(1 \/ 0\)/);
  });

  it("a dedup's own key", () => {
    expect(causeOf([{ id: 'once', type: 'dedup', input: 'clicks', key: 'nosuch.x', exact: true }, sink('once')])).toMatch(/^clicks#0 failed: dedup 'once': its key "nosuch.x" failed: record has no field 'nosuch'/);
  });

  it("an interval join's key of its second input", () => {
    const join = { id: 'j', type: 'intervalJoin', input: ['clicks', 'clicks'], key: ['user', 'n / 0'], between: { lower: 0, upper: 10 } };
    expect(causeOf([join, sink('j')])).toMatch(/failed: intervalJoin 'j' \(input 2\): its key "n \/ 0" failed: division by zero/);
  });

  it('a key that works fails nothing', () => {
    expect(causeOf([byUser('user'), window('count'), sink('perSecond')])).toBeNull();
  });
});

describe("a window's aggregate that fails names the window and the aggregate", () => {
  it('sum over a string', () => {
    expect(causeOf([byUser('user'), window({ sum: 'page' }), sink('perSecond')])).toBe(
      `perSecond#0 failed: window 'perSecond': its aggregate sum over "page" failed: sum needs a number, found the string "home" (recovery is suppressed by none (no restarts))`,
    );
  });

  it('avg whose expression throws, and maxBy', () => {
    expect(causeOf([byUser('user'), window({ avg: '1/0' }), sink('perSecond')])).toMatch(/^perSecond#0 failed: window 'perSecond': its aggregate avg over "1\/0" failed: division by zero/);
    expect(causeOf([byUser('user'), window({ maxBy: 'nosuch.x' }), sink('perSecond')])).toMatch(/^perSecond#0 failed: window 'perSecond': its aggregate maxBy over "nosuch.x" failed: record has no field 'nosuch'/);
  });

  it('a windowAll, and an aggregate function', () => {
    const all = { id: 'all', type: 'windowAll', input: 'clicks', assigner: { type: 'tumbling', size: 1000 }, aggregate: { min: 'n / 0' } };
    expect(causeOf([all, sink('all')])).toMatch(/^all#0 failed: windowAll 'all': its aggregate min over "n \/ 0" failed: division by zero/);
    const fn = { initial: 0, add: 'acc + value.nosuch.x' };
    expect(causeOf([byUser('user'), window(fn), sink('perSecond')])).toMatch(/^perSecond#0 failed: window 'perSecond': its aggregate function failed: .*nosuch/);
  });

  it('an aggregate that works fails nothing', () => {
    expect(causeOf([byUser('user'), window({ sum: 'n' }), sink('perSecond')])).toBeNull();
  });
});

describe('a time out of range says the range', () => {
  const withTimestamp = (timestamp: string) => [{ id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' }, timestamp }, sink('clicks')];
  const sourceCause = (timestamp: string): string | null => {
    const result = validateScenario(
      { format: 'weir/scenario@1', name: 'ts', config: { restartStrategy: { type: 'none' } }, topics: { clicks: { partitions: 1, records: [{ value: {}, timestamp: 1 }] } }, job: { operators: withTimestamp(timestamp) } },
      'f.json',
    );
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const sim = createSimulation({ scenario: result.scenario });
    sim.run();
    return sim.report().failureCause;
  };

  it.each([
    ['9007199254740993', '9007199254740992'],
    ['-10000000000000000', '-10000000000000000'],
    ['1e300', '1e+300'],
    // A safe integer, yet out of range: refused at the source, not in the first window downstream.
    ['1000000000000001', '1000000000000001'],
    ['1.5', '1.5'],
  ])('a timestamp expression giving %s', (expr, shown) => {
    expect(sourceCause(expr)).toBe(`clicks#0 failed: operator 'clicks' failed: its timestamp expression must give a whole number of ms ${RANGE}, got ${shown} (recovery is suppressed by none (no restarts))`);
  });

  it('the ends of the range are times', () => {
    expect(sourceCause('1000000000000000')).toBeNull();
    expect(sourceCause('-1000000000000000')).toBeNull();
  });

  it("a process function's timer and output timestamp", () => {
    const timer = { id: 'p', type: 'process', input: 'byUser', onElement: [{ timer: 'event', at: '9007199254740993' }] };
    expect(causeOf([byUser('user'), timer, sink('p')])).toMatch(new RegExp(`onElement\\[0\\]\\.at: a timer's time is a whole number of milliseconds ${RANGE.replace(/[()^]/g, '\\$&')}, found number 9007199254740992`));
    const emit = { id: 'p', type: 'process', input: 'byUser', onElement: [{ emit: '$', timestamp: '2000000000000000' }] };
    expect(causeOf([byUser('user'), emit, sink('p')])).toMatch(new RegExp(`onElement\\[0\\]\\.timestamp: an output timestamp is a whole number of milliseconds ${RANGE.replace(/[()^]/g, '\\$&')}, or null, found number 2000000000000000`));
  });
});
