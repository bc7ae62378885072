/**
 * The aligned (exactly-once) barrier handler, WaitingForFirstBarrier -> CollectingBarriers,
 * after Flink's AlignedCheckpointsTest and SingleCheckpointBarrierHandlerTest
 * (testSingleChannelWithBarriers, testMultiChannelWithBarriers,
 * testMultiChannelSkippingCheckpoints, testStartAlignmentWithClosedChannels,
 * testEndOfStreamWhileCheckpoint, testAbortViaQueuedBarriers / notifyAbort). Scripts:
 * `N@i` barrier N on input i, `eop@i` end of partition, `abort:N`, `+ms` (helpers.ts).
 */
import { describe, expect, it } from 'vitest';
import { AlignedBarrierHandler } from '../../core/runtime/checkpointing/index.ts';
import { play, RecordingBarrierContext } from './helpers.ts';

function aligned(inputs: number) {
  const ctx = new RecordingBarrierContext(inputs);
  const handler = new AlignedBarrierHandler(ctx);
  return { ctx, handler, play: (script: string) => play(handler, ctx, script) };
}

describe('one input', () => {
  it('takes each checkpoint at once, without blocking, also when ids skip (as testSingleChannelWithBarriers)', () => {
    const h = aligned(1);
    expect(h.play('1@0 +5 3@0 4@0 +5 10@0')).toEqual(['checkpoint 1 (0 ms)', 'checkpoint 3 (0 ms)', 'checkpoint 4 (0 ms)', 'checkpoint 10 (0 ms)']);
    expect(h.handler.pending).toBeNull();
  });

  it('ignores a barrier of a checkpoint already taken', () => {
    const h = aligned(1);
    expect(h.play('2@0 2@0 1@0')).toEqual(['checkpoint 2 (0 ms)']);
  });
});

describe('alignment over several inputs', () => {
  it('blocks each input that delivered the barrier, snapshots when the last open input delivers it, then resumes', () => {
    const h = aligned(3);
    expect(h.play('1@0')).toEqual(['block 0']);
    expect(h.handler.pending).toBe(1);
    expect(h.play('+10 1@2')).toEqual(['block 2']);
    expect([...h.ctx.blocked].sort()).toEqual([0, 2]);
    expect(h.play('+5 1@1')).toEqual(['block 1', 'checkpoint 1 (15 ms)', 'resume']);
    expect(h.ctx.blocked.size).toBe(0);
    expect(h.handler.pending).toBeNull();
    expect(h.ctx.trace.events.filter((e) => e.tag === 'alignment.started')).toHaveLength(1);
    expect(h.ctx.trace.events.filter((e) => e.tag === 'barrier.received')).toHaveLength(3);
  });

  it('takes consecutive checkpoints in order, each aligned on its own (as testMultiChannelWithBarriers)', () => {
    const h = aligned(2);
    h.play('1@1 1@0 2@0 +3 2@1 3@1 3@0');
    expect(h.ctx.checkpoints).toEqual([1, 2, 3]);
    expect(h.ctx.log).toContain('checkpoint 2 (3 ms)');
    expect(h.ctx.declines).toEqual([]);
  });

  it('a barrier of a newer checkpoint during alignment declines the older (CHECKPOINT_DECLINED_SUBSUMED) and starts aligning the newer', () => {
    const h = aligned(3);
    h.play('1@0 1@1');
    expect(h.play('+4 2@2')).toEqual(['resume', 'decline 1 CHECKPOINT_DECLINED_SUBSUMED', 'block 2']);
    expect(h.handler.pending).toBe(2);
    expect([...h.ctx.blocked]).toEqual([2]);
    // The inputs released from checkpoint 1 now deliver their barrier 2.
    expect(h.play('+6 2@0 2@1')).toEqual(['block 0', 'block 1', 'checkpoint 2 (6 ms)', 'resume']);
  });

  it('a barrier older than the one being aligned is ignored: no block, no decline', () => {
    const h = aligned(3);
    h.play('5@0');
    expect(h.play('4@1 3@2')).toEqual([]);
    expect(h.handler.pending).toBe(5);
    expect(h.play('5@1 5@2')).toEqual(['block 1', 'block 2', 'checkpoint 5 (0 ms)', 'resume']);
  });

  it('after a newer checkpoint was started, the late barriers of the declined one are ignored', () => {
    const h = aligned(3);
    h.play('1@0 2@1');
    expect(h.play('1@2')).toEqual([]);
    expect(h.play('2@0 2@2')).toEqual(['block 0', 'block 2', 'checkpoint 2 (0 ms)', 'resume']);
  });
});

describe('end of partition', () => {
  it('on an input that has not delivered the barrier counts as aligned: with checkpoints after tasks finish (FLIP-147, Flink 1.15+), a finished producer sends nothing more', () => {
    const h = aligned(3);
    h.play('2@2 2@0');
    expect(h.play('eop@1')).toEqual(['checkpoint 2 (0 ms)', 'resume']);
    expect(h.handler.pending).toBeNull();
    // The next checkpoint aligns over the two inputs still open.
    expect(h.play('3@0 3@2')).toEqual(['block 0', 'block 2', 'checkpoint 3 (0 ms)', 'resume']);
  });

  it('with more inputs still missing the barrier, the closed one stops being waited for and the alignment goes on', () => {
    const h = aligned(3);
    h.play('2@0');
    expect(h.play('eop@1')).toEqual([]);
    expect(h.handler.pending).toBe(2);
    expect(h.play('2@2')).toEqual(['block 2', 'checkpoint 2 (0 ms)', 'resume']);
  });

  it('a closed input is not waited for (as testStartAlignmentWithClosedChannels)', () => {
    const h = aligned(4);
    expect(h.play('eop@1 eop@3')).toEqual([]);
    expect(h.play('1@0 1@2')).toEqual(['block 0', 'block 2', 'checkpoint 1 (0 ms)', 'resume']);
  });

  it('with one input left open, a checkpoint is taken at once', () => {
    const h = aligned(2);
    expect(h.play('eop@0 7@1')).toEqual(['checkpoint 7 (0 ms)']);
  });
});

describe('abort from the coordinator (notifyCheckpointAborted)', () => {
  it('stops the alignment and unblocks; the aborted checkpoint\'s late barriers are then ignored', () => {
    const h = aligned(2);
    h.play('5@0');
    expect(h.play('abort:5')).toEqual(['resume']);
    expect(h.handler.pending).toBeNull();
    expect(h.play('5@1')).toEqual([]);
    expect(h.play('6@0 6@1')).toEqual(['block 0', 'block 1', 'checkpoint 6 (0 ms)', 'resume']);
  });

  it('an abort of an older checkpoint leaves the alignment in progress', () => {
    const h = aligned(2);
    h.play('5@0');
    expect(h.play('abort:4')).toEqual([]);
    expect(h.handler.pending).toBe(5);
    expect([...h.ctx.blocked]).toEqual([0]);
  });

  it('an abort that arrives before the first barrier makes that checkpoint\'s barriers ignored', () => {
    const h = aligned(2);
    h.play('abort:3');
    expect(h.play('3@0 3@1')).toEqual([]);
    expect(h.play('4@0 4@1')).toEqual(['block 0', 'block 1', 'checkpoint 4 (0 ms)', 'resume']);
  });
});
