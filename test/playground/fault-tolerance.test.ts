// The playground's reading of checkpoints and restarts: the checkpoint history (Flink's
// Checkpoints tab), the restarts (Flink's Exceptions), the sentences shown instead of empty
// tables, and the two panels rendered on the server side of Svelte, from hand-made reports
// and from a real run of a job killed at 3,500 ms.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { CHECKPOINTING_DEFAULTS } from '../../core/graph/index.ts';
import { createSimulation, validateScenario, type CheckpointingSpec } from '../../core/index.ts';
import CheckpointTable from '../../playground/src/components/CheckpointTable.svelte';
import RestartTable from '../../playground/src/components/RestartTable.svelte';
import {
  checkpointCounts,
  checkpointHistory,
  describeCheckpointing,
  noCheckpointsSentence,
  type ReportCheckpoint,
  type ReportRestart,
} from '../../playground/src/lib/checkpoints.ts';
import { describeRestartStrategy, restartRows, restoredText } from '../../playground/src/lib/restarts.ts';

const count = (html: string, needle: string): number => html.split(needle).length - 1;

const EVERY_SECOND: CheckpointingSpec = { ...CHECKPOINTING_DEFAULTS, intervalMs: 1000 };

const completed = (id: number, triggeredAt: number, bytes = 100): ReportCheckpoint => ({
  id,
  status: 'COMPLETED',
  triggeredAt,
  completedAt: triggeredAt + 4,
  stateSize: bytes,
  checkpointedSize: bytes,
  alignmentMs: 1,
});

const KILLED: ReportRestart = { at: 3500, cause: 'kill-task counts#0', attempt: 1, delay: 500, tasks: ['a#0', 'a#1', 'b#0', 'b#1'], restoredFrom: 3 };

describe('checkpointHistory', () => {
  it('lists checkpoints oldest first with their end-to-end duration', () => {
    const rows = checkpointHistory([completed(2, 2000), completed(1, 1000)], []);
    expect(rows.map((r) => (r.kind === 'checkpoint' ? [r.id, r.endToEndMs] : null))).toEqual([
      [1, 4],
      [2, 4],
    ]);
  });

  it('puts each restart between the checkpoints it fell between, and marks the one it restored from', () => {
    const rows = checkpointHistory([1000, 2000, 3000, 5000].map((t, i) => completed(i + 1, t)), [KILLED]);
    expect(rows.map((r) => (r.kind === 'restart' ? `restart ${r.attempt} from ${r.restoredFrom}` : r.id))).toEqual([1, 2, 3, 'restart 1 from 3', 4]);
    const restored = rows.filter((r) => r.kind === 'checkpoint' && r.restoredBy.length > 0);
    expect(restored.map((r) => (r.kind === 'checkpoint' ? [r.id, r.restoredBy] : null))).toEqual([[3, [1]]]);
  });

  it('places a checkpoint triggered at the failure ms before the restart', () => {
    const rows = checkpointHistory([completed(1, 3500)], [KILLED]);
    expect(rows.map((r) => r.kind)).toEqual(['checkpoint', 'restart']);
  });

  it('takes the time a checkpoint failed from the trace; an in-progress one has no duration', () => {
    const checkpoints: ReportCheckpoint[] = [
      { id: 1, status: 'FAILED', triggeredAt: 1000, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, failureReason: 'EXPIRED', failureCause: 'not acknowledged by b#0' },
      { id: 2, status: 'IN_PROGRESS', triggeredAt: 2000, stateSize: 0, checkpointedSize: 0, alignmentMs: 0 },
    ];
    const events = [
      { tag: 'checkpoint.triggered', timeMs: 1000, checkpoint: 1 },
      { tag: 'checkpoint.failed', timeMs: 1600, checkpoint: 1, status: 'FAILED', reason: 'CHECKPOINT_EXPIRED' },
    ];
    const [failed, pending] = checkpointHistory(checkpoints, [], events);
    expect(failed).toMatchObject({ kind: 'checkpoint', status: 'FAILED', endedAt: 1600, endToEndMs: 600, failureReason: 'EXPIRED', failureCause: 'not acknowledged by b#0' });
    expect(pending).toMatchObject({ kind: 'checkpoint', status: 'IN_PROGRESS', endedAt: null, endToEndMs: null });
  });

  it('counts as Flink\'s overview does', () => {
    const checkpoints: ReportCheckpoint[] = [
      completed(1, 1000),
      { ...completed(2, 2000), savepoint: true },
      { id: 3, status: 'FAILED', triggeredAt: 3000, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, failureReason: 'DECLINED' },
      { id: 4, status: 'ABORTED', triggeredAt: 4000, stateSize: 0, checkpointedSize: 0, alignmentMs: 0, failureReason: 'SUBSUMED' },
      { id: 5, status: 'IN_PROGRESS', triggeredAt: 5000, stateSize: 0, checkpointedSize: 0, alignmentMs: 0 },
    ];
    expect(checkpointCounts(checkpoints)).toEqual({ triggered: 5, completed: 2, failed: 1, aborted: 1, inProgress: 1, savepoints: 1 });
  });
});

describe('sentences', () => {
  it('says checkpointing is off, or that the run ended before the first checkpoint', () => {
    expect(noCheckpointsSentence(null, 100)).toMatch(/^Checkpointing is off for this job/);
    expect(noCheckpointsSentence(EVERY_SECOND, 800)).toBe('Checkpointing is on, every 1,000 ms, but no checkpoint was triggered: the run ended at 800 ms.');
  });

  it('describes the checkpointing settings', () => {
    expect(describeCheckpointing(EVERY_SECOND)).toBe('every 1,000 ms, exactly-once, aligned');
    expect(describeCheckpointing({ ...EVERY_SECOND, unaligned: true, tolerableFailures: 2 })).toBe('every 1,000 ms, exactly-once, unaligned, 2 tolerable failures');
    expect(describeCheckpointing({ ...EVERY_SECOND, mode: 'at-least-once' })).toBe('every 1,000 ms, at-least-once, barriers not aligned');
  });

  it('describes each restart strategy, and Flink\'s default with and without checkpointing', () => {
    expect(describeRestartStrategy({ type: 'fixed-delay', attempts: 3, delayMs: 500 }, true)).toBe('fixed-delay, up to 3 restarts, 500 ms apart');
    expect(describeRestartStrategy({ type: 'fixed-delay', attempts: 1, delayMs: 1000 }, true)).toBe('fixed-delay, up to 1 restart, 1,000 ms apart');
    expect(describeRestartStrategy({ type: 'failure-rate', maxFailures: 2, intervalMs: 60_000, delayMs: 100 }, true)).toBe(
      'failure-rate, at most 2 failures in 60,000 ms, 100 ms before each restart',
    );
    expect(describeRestartStrategy({ type: 'none' }, true)).toBe('none: the first failure fails the job');
    expect(describeRestartStrategy(null, true)).toBe("exponential-delay (Flink's default with checkpointing)");
    expect(describeRestartStrategy({ type: 'fallback' }, false)).toBe("none (Flink's default without checkpointing)");
  });
});

describe('restartRows', () => {
  const checkpoints = [completed(1, 1000), completed(2, 2000), completed(3, 3000)];

  it('says when the subtasks came back, which ones, and from which checkpoint', () => {
    expect(restartRows([KILLED], checkpoints, 4, [{ redeployedAtMs: 4000, takenOverBy: null }])).toEqual([
      {
        attempt: 1,
        at: 3500,
        cause: 'kill-task counts#0',
        delayMs: 500,
        redeployedAt: 4000,
        takenOverBy: null,
        tasks: KILLED.tasks,
        tasksText: 'all 4 subtasks',
        restoredFrom: 3,
        restoredText: 'checkpoint 3 (triggered at 3,000 ms)',
      },
    ]);
  });

  it('lists the subtasks of a region, and says when there was nothing to restore', () => {
    const [row] = restartRows([{ ...KILLED, tasks: ['b#0'], restoredFrom: null }], [], 4, [{ redeployedAtMs: 4000, takenOverBy: null }]);
    expect(row?.tasksText).toBe('b#0');
    expect(row?.restoredText).toMatch(/^nothing: no checkpoint had completed/);
  });

  it('names a savepoint a savepoint', () => {
    expect(restoredText(2, [completed(1, 1000), { ...completed(2, 2000), savepoint: true }])).toBe('savepoint 2 (triggered at 2,000 ms)');
  });
});

describe('CheckpointTable and RestartTable', () => {
  it('render a sentence, not an empty table, for a job without checkpointing or restarts', () => {
    const checkpointsPanel = render(CheckpointTable, { props: { checkpoints: [], restarts: [], checkpointing: null, virtualTimeMs: 100 } }).body;
    expect(checkpointsPanel).toContain('Checkpointing is off for this job');
    expect(checkpointsPanel).not.toContain('data-testid="checkpoint-table"');
    const restartsPanel = render(RestartTable, {
      props: { restarts: [], events: [], checkpoints: [], subtasks: 1, restartStrategy: null, checkpointingOn: false, status: 'FINISHED' },
    }).body;
    expect(restartsPanel).toContain('The job did not restart: no subtask failed.');
    expect(restartsPanel).not.toContain('data-testid="restart-table"');
  });

  it('render a FAILED checkpoint with its reason and cause', () => {
    const failed: ReportCheckpoint = {
      id: 1,
      status: 'FAILED',
      triggeredAt: 1000,
      stateSize: 0,
      checkpointedSize: 0,
      alignmentMs: 0,
      failureReason: 'DECLINED',
      failureCause: 'b#0: CHECKPOINT_DECLINED_TASK_NOT_READY',
    };
    const { body } = render(CheckpointTable, { props: { checkpoints: [failed], restarts: [], checkpointing: EVERY_SECOND, virtualTimeMs: 2000 } });
    expect(count(body, 'data-testid="checkpoint-row"')).toBe(1);
    expect(body).toContain('data-status="FAILED"');
    expect(body).toContain('DECLINED');
    expect(body).toContain('b#0: CHECKPOINT_DECLINED_TASK_NOT_READY');
  });
});

describe('a real run: a job killed at 3,500 ms with a checkpoint every second (seed 1)', () => {
  const file = {
    format: 'weir/scenario@1',
    name: 'Recovery from a checkpoint',
    seed: 1,
    cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
    config: { parallelism: 2, checkpointing: { interval: 1000 }, restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 500 } },
    topics: { clicks: { partitions: 2, generator: { count: 80, interval: 100, keys: 4, outOfOrderness: 0, value: '{user: key, n: i}' } } },
    job: {
      name: 'clicks per user',
      operators: [
        { id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' } },
        { id: 'byUser', type: 'keyBy', input: 'clicks', key: 'user' },
        { id: 'counts', type: 'window', input: 'byUser', assigner: { type: 'tumbling', size: 2000 }, aggregate: 'count' },
        { id: 'out', type: 'sink', input: 'counts', sink: { type: 'print' } },
      ],
    },
    faults: [{ type: 'kill-task', operator: 'counts', subtask: 0, at: 3500 }],
  };

  function run() {
    const checked = validateScenario(file, 'recovery.json');
    if (!checked.ok) throw new Error(checked.issues.map((i) => i.message).join('\n'));
    const sim = createSimulation({ scenario: checked.scenario, seed: 1, traceLevel: 'summary' });
    sim.run();
    return { scenario: checked.scenario, report: sim.report(), events: sim.trace.events };
  }

  it('shows seven completed checkpoints and one restart from checkpoint 3', () => {
    const { scenario, report, events } = run();
    const checkpoints = render(CheckpointTable, {
      props: { checkpoints: report.checkpoints, restarts: report.restarts, events, checkpointing: scenario.config.checkpointing, virtualTimeMs: report.virtualTime },
    }).body;
    expect(count(checkpoints, 'data-testid="checkpoint-row"')).toBe(7);
    expect(count(checkpoints, 'data-status="COMPLETED"')).toBe(7);
    expect(checkpoints).toContain('restored from checkpoint 3');
    const restarts = render(RestartTable, {
      props: {
        restarts: report.restarts,
        events,
        checkpoints: report.checkpoints,
        subtasks: report.tasks.length,
        restartStrategy: scenario.config.restartStrategy,
        checkpointingOn: true,
        status: report.status,
      },
    }).body;
    expect(count(restarts, 'data-testid="restart-row"')).toBe(1);
    expect(restarts).toContain('kill-task counts#0');
    expect(restarts).toContain('checkpoint 3 (triggered at 3,000 ms)');
    expect(restarts).toContain('fixed-delay, up to 3 restarts, 500 ms apart');
  });
});
