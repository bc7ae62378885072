// The fault-tolerance lessons of scenarios/: each one meets its own `expect`, and the fact
// it teaches is checked again here from the report and the trace, so that a change in the
// engine that breaks the lesson fails a test that names the lesson. Variants (a field of
// the file changed) check what the descriptions promise when a reader edits the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkExpectations, createSimulation, formatIssue, parseScenarioText, type RunReport, type TraceEvent } from '../../core/index.ts';
import { SCENARIO_DIR } from './shipped.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the scenario file as plain JSON, to edit variants
type ScenarioJson = any;

function load(name: string): ScenarioJson {
  return JSON.parse(readFileSync(join(SCENARIO_DIR, `${name}.json`), 'utf8'));
}

interface Run {
  report: RunReport;
  events: readonly TraceEvent[];
}

/** Runs a scenario file (as JSON, possibly edited) through core; fails on an invalid file. */
function run(json: ScenarioJson, file = 'variant.json'): Run {
  const parsed = parseScenarioText(JSON.stringify(json), file);
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

/**
 * Runs a shipped scenario, and adds the test that it meets its own `expect` (which must
 * state status, restarts and checkpoints: the lesson in the file itself).
 */
function runShipped(name: string): Run & { json: ScenarioJson } {
  const json = load(name);
  const parsed = parseScenarioText(JSON.stringify(json), `scenarios/${name}.json`);
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const result = run(json, `scenarios/${name}.json`);
  it('meets its own expect, which states status, restarts and checkpoints', () => {
    const stated = parsed.scenario.expect;
    expect(stated).not.toBeNull();
    expect(stated!.status).not.toBeNull();
    expect(stated!.restarts).not.toBeNull();
    expect(stated!.checkpoints).not.toBeNull();
    expect(checkExpectations(stated!, result.report)).toEqual([]);
  });
  return { ...result, json };
}

function withoutFaults(json: ScenarioJson): ScenarioJson {
  return { ...structuredClone(json), faults: [], expect: undefined };
}

function variant(json: ScenarioJson, edit: (copy: ScenarioJson) => void): ScenarioJson {
  const copy = structuredClone(json);
  delete copy.expect;
  edit(copy);
  return copy;
}

const key = (r: unknown): string => JSON.stringify(r);
/** The sink's records as a sorted multiset. */
const multiset = (report: RunReport, sink = 'out'): string[] => report.sinks[sink]!.committed.map(key).sort();
const distinct = (items: string[]): string[] => [...new Set(items)].sort();

/** `a` minus `b`, as multisets. */
function minus(a: string[], b: string[]): string[] {
  const left = [...b];
  const out: string[] = [];
  for (const x of a) {
    const i = left.indexOf(x);
    if (i >= 0) left.splice(i, 1);
    else out.push(x);
  }
  return out.sort();
}

function ofTag<T extends TraceEvent['tag']>(events: readonly TraceEvent[], tag: T): Extract<TraceEvent, { tag: T }>[] {
  return events.filter((e): e is Extract<TraceEvent, { tag: T }> => e.tag === tag);
}

describe('checkpoint-recovery: the job restores the latest completed checkpoint', () => {
  const { report, events, json } = runShipped('checkpoint-recovery');
  const killAt = json.faults[0].at as number;
  const clean = run(withoutFaults(json));

  it('restarts once, from the latest checkpoint completed before the failure', () => {
    const latest = Math.max(...report.checkpoints.filter((c) => c.status === 'COMPLETED' && c.completedAt! <= killAt).map((c) => c.id));
    expect(latest).toBe(2);
    expect(report.restarts).toHaveLength(1);
    expect(report.restarts[0]).toMatchObject({ at: killAt, restoredFrom: latest, delay: 500 });
    // One region (the keyBy connects everything): all four subtasks restart.
    expect(report.restarts[0]!.tasks).toEqual(['clicks#0', 'clicks#1', 'counts#0', 'counts#1']);
  });

  it('the sources rewind to the offsets of that checkpoint and read the same records again', () => {
    let replayed = 0;
    for (const task of ['clicks#0', 'clicks#1']) {
      const snapshot = events.findIndex((e) => e.tag === 'snapshot.taken' && e.task === task && e.attempt === 1 && e.checkpoint === 2);
      expect(snapshot, `${task} took its snapshot of checkpoint 2`).toBeGreaterThan(0);
      const emitted = (attempt: number, from: number, to: number) =>
        events
          .slice(from, to)
          .filter((e) => e.tag === 'record.emitted' && e.task === task && e.operator === 'clicks' && e.attempt === attempt)
          .map((e) => key((e as Extract<TraceEvent, { tag: 'record.emitted' }>).value));
      const beforeBarrier = emitted(1, 0, snapshot);
      const afterBarrier = emitted(1, snapshot, events.length);
      const second = emitted(2, 0, events.length);
      // Attempt 2 starts exactly where the checkpoint's offsets point: the records attempt 1
      // read after its snapshot come first, in the same order, and nothing before them.
      expect(second.slice(0, afterBarrier.length)).toEqual(afterBarrier);
      expect(second.filter((v) => beforeBarrier.includes(v))).toEqual([]);
      replayed += afterBarrier.length;
    }
    expect(replayed).toBeGreaterThan(0);
  });

  it('the counts equal those of a run without the fault; the print sink repeats what it wrote after the checkpoint', () => {
    expect(clean.report.restarts).toEqual([]);
    const faulted = multiset(report);
    const reference = multiset(clean.report);
    expect(distinct(faulted)).toEqual(reference);
    // The duplicates are exactly the results the first attempt wrote after checkpoint 2.
    const cp2 = report.checkpoints.find((c) => c.id === 2)!;
    const writtenAfterCheckpoint = ofTag(events, 'sink.wrote')
      .filter((e) => e.attempt === 1 && e.timeMs > cp2.triggeredAt && e.timeMs <= killAt)
      .map((e) => key({ value: e.value, timestamp: e.timestamp }))
      .sort();
    expect(writtenAfterCheckpoint).toHaveLength(4);
    expect(minus(faulted, reference)).toEqual(writtenAfterCheckpoint);
  });

  it('a failure right after a checkpoint that no window fired since writes nothing twice', () => {
    const later = run(variant(json, (s) => (s.faults[0].at = 3500)));
    expect(later.report.restarts[0]!.restoredFrom).toBe(3);
    expect(multiset(later.report)).toEqual(multiset(clean.report));
  });
});

describe('restart-fixed-delay-exhausted: a poison record uses up the attempts', () => {
  const { report, events, json } = runShipped('restart-fixed-delay-exhausted');

  it('fails with a cause that names the strategy, after exactly `attempts` restarts', () => {
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toMatch(/recovery is suppressed by fixed-delay \(2 attempts, 500 ms\)/);
    expect(report.restarts.map((r) => r.attempt)).toEqual([1, 2]);
    expect(report.restarts.every((r) => r.delay === 500)).toBe(true);
  });

  it('every attempt fails on the same record, because every restart rewinds to before it', () => {
    const failures = ofTag(events, 'task.status').filter((e) => e.status === 'FAILED');
    expect(failures.map((e) => e.attempt)).toEqual([1, 2, 3]);
    expect(failures.every((e) => e.cause!.includes('"12,00"'))).toBe(true);
    expect(report.restarts.map((r) => r.restoredFrom)).toEqual([1, 1]);
    // The record is never written: its offset comes after checkpoint 1.
    expect(report.sinks['out']!.committed.some((r) => key(r.value).includes('12,00'))).toBe(false);
  });

  it('more attempts only make the loop longer', () => {
    const more = run(variant(json, (s) => (s.config.restartStrategy.attempts = 5))).report;
    expect(more.status).toBe('FAILED');
    expect(more.restarts).toHaveLength(5);
    expect(more.failureCause).toMatch(/fixed-delay \(5 attempts, 500 ms\)/);
  });

  it('the fix the description proposes, a filter in front of the map, lets the job finish', () => {
    const fixed = run(
      variant(json, (s) => {
        s.job.operators.splice(1, 0, { id: 'numeric', type: 'filter', input: 'payments', expr: 'type(cents) == "number"' });
        s.job.operators[2].input = 'numeric';
      }),
    ).report;
    expect(fixed.status).toBe('FINISHED');
    expect(fixed.restarts).toEqual([]);
    expect(fixed.sinks['out']!.committed).toHaveLength(5);
  });
});

describe('restart-failure-rate: rare failures are tolerated, a burst fails the job', () => {
  const { report, events, json } = runShipped('restart-failure-rate');
  const failureTimes = ofTag(events, 'task.status')
    .filter((e) => e.status === 'FAILED')
    .map((e) => e.timeMs);
  const within = (t: number) => failureTimes.filter((f) => f <= t && f >= t - 3000).length;

  it('restarts while at most maxFailures failures fall within the interval', () => {
    expect(failureTimes).toEqual([1500, 4500, 9000, 9700, 10400]);
    expect(report.restarts.map((r) => r.at)).toEqual([1500, 4500, 9000, 9700]);
    for (const r of report.restarts) expect(within(r.at), `failures within 3 s of ${r.at}`).toBeLessThanOrEqual(2);
    expect(report.restarts.every((r) => r.delay === 500)).toBe(true);
  });

  it('fails on the third failure within 3 s, with a cause that names the strategy', () => {
    expect(within(10400)).toBe(3);
    expect(report.status).toBe('FAILED');
    expect(report.virtualTime).toBe(10400);
    expect(report.failureCause).toMatch(/recovery is suppressed by failure-rate \(2 failures per 3000 ms, 500 ms\)/);
  });

  it('without the last failure the burst of two is tolerated and the job finishes', () => {
    const shorter = run(variant(json, (s) => s.faults.pop())).report;
    expect(shorter.status).toBe('FINISHED');
    expect(shorter.restarts).toHaveLength(4);
  });

  it('with a 1 s interval the burst is not a burst any more', () => {
    const wider = run(variant(json, (s) => (s.config.restartStrategy.interval = 1000))).report;
    expect(wider.status).toBe('FINISHED');
    expect(wider.restarts).toHaveLength(5);
  });
});

describe('restart-exponential-delay: each restart waits multiplier times longer', () => {
  const { report, events, json } = runShipped('restart-exponential-delay');

  it('the delays grow by the multiplier from the initial backoff', () => {
    const delays = report.restarts.map((r) => r.delay);
    expect(delays).toEqual([250, 500, 1000]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBe(delays[i - 1]! * 2);
  });

  it('each restart happens after its delay, from the latest checkpoint', () => {
    const restored = ofTag(events, 'job.restored').map((e) => e.timeMs);
    expect(restored).toEqual(report.restarts.map((r) => r.at + r.delay));
    expect(report.restarts.map((r) => r.restoredFrom)).toEqual([1, 2, 3]);
  });

  it('the job finishes with the output of a run without faults', () => {
    expect(report.status).toBe('FINISHED');
    expect(multiset(report)).toEqual(multiset(run(withoutFaults(json)).report));
  });

  it('after resetThreshold without a failure the backoff starts again at initialBackoff', () => {
    const forgiving = run(variant(json, (s) => (s.config.restartStrategy.resetThreshold = 1000))).report;
    expect(forgiving.restarts.map((r) => r.delay)).toEqual([250, 250, 250]);
  });
});

describe('lost-taskmanager: the job looks RUNNING but makes no progress until the heartbeat times out', () => {
  const { report, events, json } = runShipped('lost-taskmanager');
  const tmEvent = (status: string) => ofTag(events, 'taskmanager.status').find((e) => e.status === status)!;
  const lostAt = tmEvent('LOST').timeMs;
  const timedOutAt = tmEvent('TIMED_OUT').timeMs;
  const gap = events.filter((e) => e.timeMs > lostAt && e.timeMs < timedOutAt);
  const lostTasks = ['clicks#1', 'counts#1'];

  it('the JobManager notices the loss heartbeatTimeout later; a replacement registers replacementDelay after that', () => {
    expect(tmEvent('LOST')).toMatchObject({ taskManager: 'tm-2', timeMs: json.faults[0].at });
    expect(tmEvent('TIMED_OUT')).toMatchObject({ taskManager: 'tm-2', timeMs: lostAt + json.cluster.heartbeatTimeout });
    expect(tmEvent('REGISTERED')).toMatchObject({ taskManager: 'tm-3', timeMs: timedOutAt + json.cluster.replacementDelay });
  });

  it('in the gap nothing is written and no window fires', () => {
    expect(timedOutAt - lostAt).toBe(2000);
    expect(gap.filter((e) => e.tag === 'sink.wrote' || e.tag === 'window.fired')).toEqual([]);
    // The survivors' watermark cannot pass what the dead source last sent.
    const lastFromLost = Math.max(...ofTag(events, 'watermark.advanced').filter((e) => e.task === 'clicks#1' && e.timeMs <= lostAt).map((e) => e.watermark));
    const countsInGap = ofTag(gap, 'watermark.advanced').filter((e) => e.task.startsWith('counts#'));
    expect(countsInGap.every((e) => e.watermark <= lastFromLost)).toBe(true);
    // The dead TaskManager's subtasks do nothing at all.
    expect(gap.filter((e) => 'task' in e && lostTasks.includes(e.task))).toEqual([]);
  });

  it('in the gap the job and its subtasks still look RUNNING: no status changes until the timeout', () => {
    expect(gap.filter((e) => e.tag === 'job.status' || e.tag === 'task.status' || e.tag === 'job.restarting')).toEqual([]);
    const lastJobStatus = ofTag(events, 'job.status').filter((e) => e.timeMs <= lostAt).at(-1)!;
    expect(lastJobStatus.status).toBe('RUNNING');
    const failed = ofTag(events, 'task.status').filter((e) => e.status === 'FAILED');
    expect(failed.map((e) => [e.task, e.timeMs])).toEqual(lostTasks.map((t) => [t, timedOutAt]));
  });

  it('the restart waits for the replacement slot, restores checkpoint 2, and the output is complete', () => {
    expect(report.restarts).toHaveLength(1);
    expect(report.restarts[0]).toMatchObject({ at: timedOutAt, delay: 500, restoredFrom: 2 });
    expect(report.restarts[0]!.cause).toMatch(/heartbeat timed out/);
    // One region: the healthy subtasks on tm-1 restart too.
    expect(report.restarts[0]!.tasks).toEqual(['clicks#0', 'clicks#1', 'counts#0', 'counts#1']);
    expect(ofTag(events, 'job.restored').map((e) => e.timeMs)).toEqual([tmEvent('REGISTERED').timeMs]);
    expect(distinct(multiset(report))).toEqual(multiset(run(withoutFaults(json)).report));
  });

  // Reported engine problem: Flink's JobManager still sees the lost subtasks RUNNING during
  // the gap, so its CheckpointCoordinator triggers the periodic checkpoints of t=3000 and
  // t=4000; they cannot complete (the dead subtasks never acknowledge) and end when the
  // failover aborts them. Weir's checkpointPlan() sees the lost attempts as inactive at once
  // and triggers nothing. When the engine is fixed this starts to pass: make it an `it`.
  it('in the gap the CheckpointCoordinator still triggers checkpoints, which cannot complete (Flink)', () => {
    expect(ofTag(gap, 'checkpoint.triggered').length).toBeGreaterThan(0);
    expect(ofTag(gap, 'checkpoint.completed')).toEqual([]);
  });
});

describe('region-failover: a failure restarts only its pipelined region', () => {
  const { report, events, json } = runShipped('region-failover');
  const restart = report.restarts[0]!;
  const wroteBy = (evs: readonly TraceEvent[], task: string, from: number, to: number) =>
    ofTag(evs, 'sink.wrote').filter((e) => e.task === task && e.timeMs > from && e.timeMs < to);

  it('the restart names only the failed subtask’s region: half of the subtasks', () => {
    expect(report.tasks).toHaveLength(2);
    expect(restart.tasks).toEqual(['orders#1']);
    expect(restart.restoredFrom).toBe(1);
    expect(report.tasks.map((t) => [t.id, t.attempt])).toEqual([
      ['orders#0', 1],
      ['orders#1', 2],
    ]);
  });

  it('the other region keeps writing while the failed one waits for its restart', () => {
    const end = restart.at + restart.delay;
    expect(wroteBy(events, 'orders#0', restart.at, end).length).toBeGreaterThan(0);
    expect(wroteBy(events, 'orders#1', restart.at, end)).toEqual([]);
    expect(distinct(multiset(report))).toEqual(multiset(run(withoutFaults(json)).report));
  });

  it('with failoverStrategy "full" every subtask restarts and nothing is written during the restart', () => {
    const full = run(variant(json, (s) => (s.config.failoverStrategy = 'full')));
    const r = full.report.restarts[0]!;
    expect(r.tasks).toEqual(['orders#0', 'orders#1']);
    expect(full.report.tasks.every((t) => t.attempt === 2)).toBe(true);
    expect(full.events.filter((e) => e.tag === 'sink.wrote' && e.timeMs > r.at && e.timeMs < r.at + r.delay)).toEqual([]);
    // The healthy subtask rewinds too, so more is written twice than with region failover.
    expect(full.report.sinks['out']!.committed.length).toBeGreaterThan(report.sinks['out']!.committed.length);
  });
});

describe('checkpoint-expires: a checkpoint stuck behind a slow subtask expires', () => {
  const { report, events, json } = runShipped('checkpoint-expires');
  const timeout = json.config.checkpointing.timeout as number;

  it('checkpoint 1 ends FAILED with reason EXPIRED, timeout after its trigger, without avg#0’s acknowledgement', () => {
    const first = report.checkpoints[0]!;
    expect(first).toMatchObject({ id: 1, status: 'FAILED', failureReason: 'EXPIRED', triggeredAt: 1000 });
    expect(first.completedAt).toBeUndefined();
    expect(first.failureCause).toMatch(/avg#0/);
    const ended = ofTag(events, 'checkpoint.failed').find((e) => e.checkpoint === 1)!;
    expect(ended).toMatchObject({ timeMs: first.triggeredAt + timeout, counted: true });
    const acked = ofTag(events, 'snapshot.taken').filter((e) => e.checkpoint === 1).map((e) => e.task);
    expect(acked).toContain('avg#1');
    expect(acked).not.toContain('avg#0');
  });

  it('with tolerableFailures 0 the first expiry fails the job over, from nothing', () => {
    expect(report.restarts).toHaveLength(1);
    expect(report.restarts[0]!.cause).toMatch(/^Exceeded checkpoint tolerable failure threshold/);
    expect(report.restarts[0]).toMatchObject({ at: 1000 + timeout, restoredFrom: null });
    expect(ofTag(events, 'job.status').some((e) => e.status === 'RESTARTING' && e.timeMs === 1000 + timeout)).toBe(true);
  });

  it('the slow subtask is the cause: without the fault every checkpoint completes', () => {
    const clean = run(withoutFaults(json)).report;
    expect(clean.restarts).toEqual([]);
    expect(clean.checkpoints.every((c) => c.status === 'COMPLETED')).toBe(true);
  });

  it('with tolerableFailures 1 the job carries on: the next checkpoint completes and nothing restarts', () => {
    const tolerant = run(variant(json, (s) => (s.config.checkpointing.tolerableFailures = 1))).report;
    expect(tolerant.status).toBe('FINISHED');
    expect(tolerant.restarts).toEqual([]);
    expect(tolerant.checkpoints.map((c) => [c.id, c.status, c.failureReason ?? null])).toEqual([
      [1, 'FAILED', 'EXPIRED'],
      [2, 'COMPLETED', null],
      [3, 'COMPLETED', null],
    ]);
    expect(multiset(tolerant)).toEqual(multiset(run(withoutFaults(json)).report));
  });
});
