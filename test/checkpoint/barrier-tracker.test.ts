/**
 * The at-least-once BarrierTracker, after Flink's CheckpointBarrierTrackerTest
 * (testSingleChannelWithBarriers, testSingleChannelWithSkippedBarriers,
 * testMultiChannelWithBarriers, testMultiChannelSkippingCheckpoints,
 * testCompleteCheckpointsOnLateBarriers). It never blocks: every expected log below has no
 * `block` line. Scripts: `N@i` barrier N on input i, `eop@i`, `abort:N`, `+ms` (helpers.ts).
 */
import { describe, expect, it } from 'vitest';
import { BarrierTracker } from '../../core/runtime/checkpointing/index.ts';
import { play, RecordingBarrierContext } from './helpers.ts';

function tracker(inputs: number) {
  const ctx = new RecordingBarrierContext(inputs);
  const handler = new BarrierTracker(ctx);
  return { ctx, handler, play: (script: string) => play(handler, ctx, script, 'at-least-once') };
}

describe('BarrierTracker', () => {
  it('with one input takes every checkpoint at once, skipped ids too (as testSingleChannelWithSkippedBarriers)', () => {
    const t = tracker(1);
    t.play('1@0 3@0 4@0 6@0 7@0 10@0');
    expect(t.ctx.checkpoints).toEqual([1, 3, 4, 6, 7, 10]);
    expect(t.ctx.log.every((l) => l.startsWith('checkpoint '))).toBe(true);
  });

  it('never blocks: takes the checkpoint when every open input delivered the barrier, with no alignment time', () => {
    const t = tracker(3);
    expect(t.play('1@1 +10 1@2')).toEqual([]);
    expect(t.handler.pending).toBe(1);
    expect(t.ctx.blocked.size).toBe(0);
    expect(t.play('+10 1@0')).toEqual(['checkpoint 1 (0 ms)']);
    expect(t.handler.pending).toBeNull();
  });

  it('counts several checkpoints at once and takes them in order (as testMultiChannelWithBarriers)', () => {
    const t = tracker(3);
    t.play('1@1 1@2 1@0 2@0 2@1 2@2 3@2 3@0 3@1 4@1 4@2 4@0');
    expect(t.ctx.log).toEqual([1, 2, 3, 4].map((id) => `checkpoint ${id} (0 ms)`));
  });

  it('a checkpoint that completes declines the older ones still counting (as testMultiChannelSkippingCheckpoints)', () => {
    const t = tracker(3);
    t.play('1@1 1@2 1@0 2@0 2@1 2@2 3@2 4@0 4@1');
    expect(t.play('4@2')).toEqual(['decline 3 CHECKPOINT_DECLINED_SUBSUMED', 'checkpoint 4 (0 ms)']);
    expect(t.ctx.checkpoints).toEqual([1, 2, 4]);
  });

  it('does not give up a checkpoint when a newer barrier arrives first; completes late ones (as testCompleteCheckpointsOnLateBarriers)', () => {
    const t = tracker(3);
    t.play(
      [
        '2@1 2@0 2@2', // checkpoint 2
        '3@1 3@2', // 3 incomplete
        '4@2 4@1', // early barriers of 4
        '3@0', // 3 completes, 4 still counting
        '4@0',
        '5@1 5@0 5@2',
        '6@1 6@0', // 6 never completes
        '7@1 7@2 8@2 8@1 9@1',
        '7@0', // 7 completes: 6 is declined, 8 and 9 go on
        '9@2 10@2',
        '8@0 9@0',
        '10@0 10@1',
      ].join(' '),
    );
    expect(t.ctx.checkpoints).toEqual([2, 3, 4, 5, 7, 8, 9, 10]);
    expect(t.ctx.declines).toEqual(['decline 6 CHECKPOINT_DECLINED_SUBSUMED']);
    expect(t.ctx.log.some((l) => l.startsWith('block') || l === 'resume')).toBe(false);
  });

  it('ignores barriers of checkpoints older than (or equal to) the last one taken', () => {
    const t = tracker(2);
    t.play('5@0 5@1');
    expect(t.play('4@0 5@1 3@1')).toEqual([]);
    expect(t.handler.pending).toBeNull();
    expect(t.play('6@1 6@0')).toEqual(['checkpoint 6 (0 ms)']);
  });

  it('end of partition: a closed input is no longer waited for', () => {
    const t = tracker(3);
    t.play('1@0 1@1');
    expect(t.play('eop@2')).toEqual(['checkpoint 1 (0 ms)']);
    expect(t.play('2@0 2@1')).toEqual(['checkpoint 2 (0 ms)']);
  });

  it('abort from the coordinator stops counting that checkpoint and the older ones', () => {
    const t = tracker(3);
    t.play('3@0 4@0 5@0');
    t.play('abort:4');
    expect(t.handler.pending).toBe(5);
    expect(t.play('5@1 5@2')).toEqual(['checkpoint 5 (0 ms)']);
    expect(t.ctx.declines).toEqual([]);
  });

  it('a checkpoint taken at once, because only one input is still open, is no longer counted: it is taken once', () => {
    // Input 0 delivers barrier 3 and closes (its producer finished after a final
    // checkpoint); input 1 then delivers barrier 3 as the only open input.
    const t = tracker(2);
    t.play('3@0 eop@0');
    expect(t.play('3@1')).toEqual(['checkpoint 3 (0 ms)']);
    expect(t.handler.pending).toBeNull();
    // When the last input closes, checkpoint 3 must not be taken a second time.
    expect(t.play('eop@1')).toEqual([]);
    expect(t.ctx.checkpoints).toEqual([3]);
  });
});
