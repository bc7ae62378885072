// The sinks of CONTRACT 1.1 under the same failures: which keep the output exactly-once
// and which do not, checked against the fault-free run of the same job, and the protocol
// steps (pre-commit, commit, fencing, lingering aborts, the write-ahead log's marks) read
// from the trace, so that a test names the step that broke.
import { describe, expect, it } from 'vitest';
import { multiset, run, scenario, steps, TWO_PC, WAL } from './clicks-job.ts';

const AT_LEAST_ONCE = { type: 'at-least-once', topic: 'results' };
const IDEMPOTENT = { type: 'idempotent', table: 'counts', key: 'key + "@" + str(window.start)' };
const KILL_WINDOW = { type: 'kill-task', operator: 'counts', subtask: 0, at: 2500 };

const reference = run(scenario(TWO_PC));
const expected = multiset(reference.report.sinks['out']!.committed);

describe('the fault-free reference', () => {
  it('commits every window result and leaves nothing uncommitted', () => {
    expect(reference.report.status).toBe('FINISHED');
    expect(expected).toHaveLength(16);
    expect(reference.report.sinks['out']!.uncommitted).toEqual([]);
  });
});

describe('a window subtask killed after a window fired and before the next checkpoint', () => {
  it('two-phase commit: the output is exactly the reference; the dead attempt\'s transaction is fenced and stays uncommitted', () => {
    const { report, events } = run(scenario(TWO_PC, [KILL_WINDOW]));
    expect(report.restarts).toHaveLength(1);
    expect(multiset(report.sinks['out']!.committed)).toEqual(expected);
    expect(report.sinks['out']!.uncommitted).toHaveLength(4);
    const aborted = events.filter((e) => e.tag === 'log.transaction' && e.status === 'ABORTED');
    expect(aborted.map((e) => (e as { reason: string }).reason)).toEqual([expect.stringMatching(/^fenced: epoch 1 of 'out-0-3'/), expect.stringMatching(/^fenced: epoch 1 of 'out-1-3'/)]);
  });

  it('write-ahead log: exactly the reference, each batch sent once and marked', () => {
    const { report, events } = run(scenario(WAL, [KILL_WINDOW]));
    expect(multiset(report.sinks['out']!.committed)).toEqual(expected);
    expect(steps(events, 'sent').length).toBe(steps(events, 'marked').length);
  });

  it('idempotent upserts: the table ends as in the reference, although rows were written twice', () => {
    const ok = run(scenario(IDEMPOTENT));
    const { report } = run(scenario(IDEMPOTENT, [KILL_WINDOW]));
    expect(report.tables['counts']).toEqual(ok.report.tables['counts']);
    expect(Object.keys(report.tables['counts']!)).toHaveLength(16);
    expect(report.sinks['out']!.committed.length).toBeGreaterThan(ok.report.sinks['out']!.committed.length);
  });

  it('at-least-once and print: nothing lost, the four results written after checkpoint 2 twice', () => {
    for (const sink of [AT_LEAST_ONCE, { type: 'print' }]) {
      const { report } = run(scenario(sink, [KILL_WINDOW]));
      const got = multiset(report.sinks['out']!.committed);
      expect(got).toHaveLength(20);
      expect(new Set(got)).toEqual(new Set(expected));
    }
  });
});

describe('crash-at the points of the two-phase-commit protocol', () => {
  for (const point of ['snapshot', 'pre-commit', 'after-ack', 'commit', 'after-commit']) {
    it(`${point}: still exactly the reference`, () => {
      const { report, events } = run(scenario(TWO_PC, [{ type: 'crash-at', operator: 'out', subtask: 1, point, checkpoint: 3 }]));
      expect(report.status).toBe('FINISHED');
      expect(report.restarts).toHaveLength(1);
      expect(multiset(report.sinks['out']!.committed)).toEqual(expected);
      expect(events.some((e) => e.tag === 'fault.injected' && e.fault === 'crash-at')).toBe(true);
    });
  }

  it('after-commit: recovery commits the same transaction again, and the log answers with a no-op', () => {
    const { events } = run(scenario(TWO_PC, [{ type: 'crash-at', operator: 'out', subtask: 1, point: 'after-commit', checkpoint: 3 }]));
    const again = steps(events, 'recover-commit').filter((e) => e.checkpoint === 3 && e.task === 'counts#1');
    expect(again).toHaveLength(1);
    expect(again[0]!.detail).toMatch(/already committed/);
  });

  it('commit: the crash is before the log applies it, so recovery commits it for the first time', () => {
    const { events } = run(scenario(TWO_PC, [{ type: 'crash-at', operator: 'out', subtask: 1, point: 'commit', checkpoint: 3 }]));
    const again = steps(events, 'recover-commit').filter((e) => e.checkpoint === 3 && e.task === 'counts#1');
    expect(again).toHaveLength(1);
    expect(again[0]!.detail).toBeUndefined();
  });

  it('fail-commit: the commit throws once, the task fails, recovery commits', () => {
    const { report, events } = run(scenario(TWO_PC, [{ type: 'fail-commit', operator: 'out', at: 3000 }]));
    expect(report.restarts).toHaveLength(1);
    expect(report.restarts[0]!.cause).toMatch(/fail-commit/);
    expect(multiset(report.sinks['out']!.committed)).toEqual(expected);
    expect(steps(events, 'recover-commit').length).toBeGreaterThan(0);
  });
});

describe("the write-ahead log's at-least-once corner", () => {
  for (const point of ['wal-send', 'after-wal-send']) {
    it(`${point}: the batch is sent again after the restore, because the committer never marked it`, () => {
      const { report } = run(scenario(WAL, [{ type: 'crash-at', operator: 'out', subtask: 1, point, checkpoint: 3 }]));
      expect(report.status).toBe('FINISHED');
      const got = multiset(report.sinks['out']!.committed);
      expect(new Set(got)).toEqual(new Set(expected));
      // checkpoint 3's batch of counts#1 holds three results: all of them (after-wal-send) or the first one (halfway) twice.
      expect(got.length - expected.length).toBe(point === 'after-wal-send' ? 3 : 1);
    });
  }
});

describe('a transaction timeout shorter than the recovery', () => {
  it('loses the records of the pre-committed transaction, as with Kafka', () => {
    // Checkpoint 3 (t=3000) completes; counts#1 dies committing it, before the log applies the commit; the restart waits 5 s,
    // and the transaction, written to since the windows fired at 2201, times out at 4201.
    const faults = [{ type: 'crash-at', operator: 'out', subtask: 1, point: 'commit', checkpoint: 3 }];
    const config = { restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 5000 } };
    const { report, events } = run(scenario({ ...TWO_PC, transactionTimeout: 2000 }, faults, config));
    expect(report.status).toBe('FINISHED');
    const lost = steps(events, 'lost');
    expect(lost.length).toBeGreaterThan(0);
    expect(lost[0]!.detail).toMatch(/transaction timeout/);
    const got = multiset(report.sinks['out']!.committed);
    expect(got.length).toBeLessThan(expected.length);
    expect(got.every((r) => expected.includes(r))).toBe(true);
  });

  it('with the default timeout the same failure loses nothing', () => {
    const faults = [{ type: 'crash-at', operator: 'out', subtask: 1, point: 'commit', checkpoint: 3 }];
    const { report } = run(scenario(TWO_PC, faults, { restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 5000 } }));
    expect(multiset(report.sinks['out']!.committed)).toEqual(expected);
  });
});

describe('two-phase commit in other configurations', () => {
  it('unaligned checkpoints: exactly the reference under the same kill', () => {
    const { report } = run(scenario(TWO_PC, [KILL_WINDOW], { checkpointing: { interval: 1000, unaligned: true } }));
    expect(multiset(report.sinks['out']!.committed)).toEqual(expected);
  });

  it('without checkpointing: committed at the end of the input, once', () => {
    const { report, events } = run(scenario(TWO_PC, [], { checkpointing: undefined, restartStrategy: undefined }));
    expect(multiset(report.sinks['out']!.committed)).toEqual(expected);
    expect(steps(events, 'commit')).toHaveLength(2);
    expect(steps(events, 'pre-commit')).toHaveLength(0);
  });

  it('a run stopped by run.until leaves the open transaction uncommitted, visible only to read_uncommitted', () => {
    const json = scenario(TWO_PC);
    json.run = { until: 2900 }; // the windows fired at 2201, checkpoint 3 comes at 3000
    const { report } = run(json);
    expect(report.status).toBe('RUNNING');
    expect(report.sinks['out']!.committed).toEqual([]);
    expect(report.sinks['out']!.uncommitted).toHaveLength(4);
  });
});

describe('two-phase commit across a stop-with-savepoint and a rescaled resume', () => {
  it('commits on the stop, commits nothing twice after the resume at parallelism 4, and loses nothing', async () => {
    const { readFileSync } = await import('node:fs');
    const { SCENARIO_DIR } = await import('../scenarios/shipped.ts');
    const json = JSON.parse(readFileSync(`${SCENARIO_DIR}/savepoint-and-rescale.json`, 'utf8'));
    delete json.expect;
    const printed = run(json).report.sinks['out']!.committed;
    json.job.operators.at(-1).sink = TWO_PC;
    const { report, events } = run(json);
    expect(report.status).toBe('FINISHED');
    expect(multiset(report.sinks['out']!.committed)).toEqual(multiset(printed));
    expect(report.sinks['out']!.uncommitted).toEqual([]);
    const recovered = steps(events, 'recover-commit');
    expect(recovered.length).toBeGreaterThan(0);
    expect(recovered.every((s) => s.detail === 'already committed: a no-op')).toBe(true);
  });
});
