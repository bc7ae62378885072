/**
 * Processing-time windows, driven by the harness's clock. Checked against Flink's docs
 * ("Windows": processing-time assigners use the machine's clock, ignoring timestamps),
 * WindowOperatorTest.testProcessingTimeTumblingWindows / testProcessingTimeSlidingWindows /
 * testProcessingTimeSessionWindows, and FLINK-9857 (a processing-time timer for t fires
 * once the clock has passed t, so an element arriving at a window's end belongs to the next
 * window, never to one that already fired).
 */
import { describe, expect, test } from 'vitest';
import { MAX_WATERMARK } from '../../../core/model/index.ts';
import { session, sliding, take, tumbling, windowHarness } from './helpers.ts';

describe('processing-time windows (TumblingProcessingTimeWindows + ProcessingTimeTrigger)', () => {
  test('elements are assigned by the clock, their timestamps ignored (testProcessingTimeTumblingWindows)', () => {
    const h = windowHarness({ assigner: tumbling(3000, 0, 'processing') });
    h.feed('P3 key2@9999 key2@7000 key2 key1@7000 key1@7000');
    h.feed('P5000');
    expect(take(h)).toBe('key2[0,3000)=3 key1[0,3000)=2');
    h.feed('key1@7000 key1@7000 key1@7000');
    h.feed('P7000');
    expect(take(h)).toBe('key1[3000,6000)=3');
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('a window fires when the clock reaches its end, not its max timestamp (FLINK-9857)', () => {
    const h = windowHarness({ assigner: tumbling(1000, 0, 'processing') });
    h.feed('P10 a P999');
    expect(take(h)).toBe('');
    h.feed('P1000');
    expect(take(h)).toBe('a[0,1000)=1');
  });

  test('at exactly the end, a new element belongs to the next window and the old one fires', () => {
    const h = windowHarness({ assigner: tumbling(1000, 0, 'processing') });
    h.feed('P10 a P998');
    expect(take(h)).toBe('');
    h.feed('P999 a');
    expect(take(h)).toBe('');
    h.feed('P1000 a');
    expect(take(h)).toBe('a[0,1000)=2');
    h.feed('P2000');
    expect(take(h)).toBe('a[1000,2000)=1');
  });

  test('the clock may jump past several windows: each fires, in order', () => {
    const h = windowHarness({ assigner: tumbling(100, 0, 'processing') });
    h.feed('P5 a P150 a b P250 b');
    h.feed('P10000');
    expect(take(h)).toBe('a[0,100)=1 a[100,200)=1 b[100,200)=1 b[200,300)=1');
  });

  test('watermarks pass through and fire nothing; there is no late data in processing time', () => {
    const h = windowHarness({ assigner: tumbling(1000, 0, 'processing') });
    h.feed('P10 a@5 W5000 a@1');
    expect(take(h)).toBe('W5000');
    expect(h.lateRecordsDropped).toBe(0);
    h.feed('P1000');
    expect(take(h)).toBe('a[0,1000)=2');
  });

  test('at the end of a bounded input, open processing-time windows are not fired (Flink streaming mode drops pending processing-time timers)', () => {
    const h = windowHarness({ assigner: tumbling(1000, 0, 'processing') });
    h.feed('P10 a');
    h.processWatermark(MAX_WATERMARK);
    h.endInput();
    expect(take(h)).toBe(`W${MAX_WATERMARK}`);
  });

  test('processing-time sliding windows (testProcessingTimeSlidingWindows)', () => {
    const h = windowHarness({ assigner: sliding(2000, 1000, 0, 'processing') });
    h.feed('P1500 a');
    h.feed('P2000');
    expect(take(h)).toBe('a[0,2000)=1');
    h.feed('P2500 a P3000');
    expect(take(h)).toBe('a[1000,3000)=2');
    h.feed('P4000');
    expect(take(h)).toBe('a[2000,4000)=1');
  });

  test('processing-time sessions merge and fire after the quiet gap (testProcessingTimeSessionWindows)', () => {
    const h = windowHarness({ assigner: session(100, 'processing') });
    h.feed('P0 a P50 a P149');
    expect(take(h)).toBe('');
    h.feed('P150');
    expect(take(h)).toBe('a[0,150)=2');
    h.feed('P500 a P600');
    expect(take(h)).toBe('a[500,600)=1');
    expect(h.stateSize()).toBe(0);
    expect(h.timers()).toEqual({ eventTime: 0, processingTime: 0 });
  });

  test('an offset shifts processing-time windows too', () => {
    const h = windowHarness({ assigner: tumbling(1000, 300, 'processing') });
    h.feed('P100 a P300');
    expect(take(h)).toBe('a[-700,300)=1');
  });
});
