// Savepoints and the periodic checkpoint schedule, as Flink's CheckpointCoordinator keeps
// it: the periodic trigger runs at a fixed rate of the interval (ScheduledTrigger adds the
// interval to the time the trigger was due, not to when a checkpoint was triggered), so a
// savepoint never moves it. What can delay a periodic checkpoint is the request decider:
// while maxConcurrent checkpoints (savepoints included) are pending the request waits, and
// before minPause has passed since the last completion (a savepoint's too) it is dropped
// and the schedule starts again at the pause's end.
import { describe, expect, it } from 'vitest';
import { ackAll, setup } from '../checkpoint/helpers.ts';

const periodicTriggers = (s: ReturnType<typeof setup>) => s.gateway.triggers.filter((t) => !t.savepoint).map((t) => t.atMs);

describe('a savepoint does not move the periodic schedule', () => {
  it('interval 100: a savepoint at 150 that completes at 160 leaves the checkpoints at 100, 200, 300, 400', () => {
    const s = setup({ spec: { intervalMs: 100, maxConcurrent: 10 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(150);
    const savepoint = s.coordinator.triggerSavepoint();
    s.kernel.runUntil(160);
    ackAll(s, savepoint);
    s.kernel.runUntil(450);
    expect(periodicTriggers(s)).toEqual([100, 200, 300, 400]);
  });

  it('maxConcurrent 1: the checkpoint due at 200 waits for the savepoint pending since 150, then the rate goes on at 300, 400', () => {
    const s = setup({ spec: { intervalMs: 100, maxConcurrent: 1 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(100);
    ackAll(s, 1);
    s.kernel.runUntil(150);
    const savepoint = s.coordinator.triggerSavepoint();
    s.kernel.runUntil(250);
    ackAll(s, savepoint);
    expect(periodicTriggers(s)).toEqual([100, 250]);
    for (const at of [260, 300, 400]) {
      s.kernel.runUntil(at);
      ackAll(s, s.gateway.triggers.at(-1)!.checkpoint);
    }
    s.kernel.runUntil(450);
    expect(periodicTriggers(s)).toEqual([100, 250, 300, 400]);
  });

  it('minPause counts from a savepoint’s completion too: the checkpoint due at 200 waits until 170 + 60, and the rate starts again there', () => {
    const s = setup({ spec: { intervalMs: 100, minPauseMs: 60 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(110);
    ackAll(s, 1);
    s.kernel.runUntil(150);
    const savepoint = s.coordinator.triggerSavepoint();
    s.kernel.runUntil(170);
    ackAll(s, savepoint);
    for (const at of [240, 340]) {
      s.kernel.runUntil(at);
      ackAll(s, s.gateway.triggers.at(-1)!.checkpoint);
    }
    s.kernel.runUntil(450);
    expect(periodicTriggers(s)).toEqual([100, 230, 330, 430]);
  });

  it('periodic requests that find maxConcurrent pending wait in order, and the fixed rate is kept (Flink queues each request)', () => {
    const s = setup({ spec: { intervalMs: 100, maxConcurrent: 1 } });
    s.coordinator.startScheduler();
    s.kernel.runUntil(230);
    ackAll(s, 1);
    expect(periodicTriggers(s)).toEqual([100, 230]);
    s.kernel.runUntil(450);
    // The requests due at 300 and 400 wait behind checkpoint 2: one triggers when it ends, the other when that one ends.
    expect(periodicTriggers(s)).toEqual([100, 230]);
    ackAll(s, 2);
    s.kernel.runUntil(460);
    ackAll(s, 3);
    expect(periodicTriggers(s)).toEqual([100, 230, 450, 460]);
  });
});
