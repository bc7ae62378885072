/**
 * The operator test harness itself (core/testing.ts), held to what Flink's
 * KeyedOneInputStreamOperatorTestHarness and a running task do: watermarks reach the
 * operator only when they advance (StatusWatermarkValve), processing-time callbacks fire
 * when the clock reaches them, in time order, and the context is a real one.
 */
import { describe, expect, test } from 'vitest';
import type { StreamRecord } from '../../../core/model/index.ts';
import { MapOperator, type OperatorContext, type Output, type StreamOperator } from '../../../core/operators/index.ts';
import { createOperatorHarness } from '../../../core/testing.ts';

/** Records what the harness calls, and asks for callbacks when told to. */
class Probe implements StreamOperator {
  readonly calls: string[] = [];
  ctx!: OperatorContext;
  out!: Output;
  open(ctx: OperatorContext, output: Output): void {
    this.ctx = ctx;
    this.out = output;
  }
  processElement(record: StreamRecord): void {
    this.calls.push(`el ${JSON.stringify(record.value)}@${record.timestamp}`);
    if (this.ctx.keyed) this.calls.push(`key ${JSON.stringify(this.ctx.keyed.selectKey(record))}`);
  }
  processWatermark(watermark: number): void {
    this.calls.push(`wm ${watermark}`);
    this.out.emitWatermark(watermark);
  }
  endInput(): void {
    this.calls.push('end');
  }
  onProcessingTime(nowMs: number): void {
    this.calls.push(`pt ${nowMs}`);
  }
}

describe('operator test harness', () => {
  test('watermarks are forwarded only when they advance', () => {
    const probe = new Probe();
    const h = createOperatorHarness(probe).open();
    h.processWatermark(5).processWatermark(5).processWatermark(3).processWatermark(7);
    expect(probe.calls).toEqual(['wm 5', 'wm 7']);
    expect(h.output()).toEqual([
      { kind: 'watermark', timestamp: 5 },
      { kind: 'watermark', timestamp: 7 },
    ]);
    expect(h.watermark).toBe(7);
  });

  test('processing-time callbacks fire in time order, at their own time, once per time', () => {
    const probe = new Probe();
    const h = createOperatorHarness(probe).open();
    probe.ctx.registerProcessingTimeCallback(30);
    probe.ctx.registerProcessingTimeCallback(10);
    probe.ctx.registerProcessingTimeCallback(10);
    probe.ctx.registerProcessingTimeCallback(100);
    h.setProcessingTime(50);
    expect(probe.calls).toEqual(['pt 10', 'pt 30']);
    expect(h.processingTime).toBe(50);
    expect(probe.ctx.nowMs()).toBe(50);
    h.setProcessingTime(100);
    expect(probe.calls).toEqual(['pt 10', 'pt 30', 'pt 100']);
    expect(() => h.setProcessingTime(99)).toThrow(/cannot go back/);
  });

  test('a key selector makes the operator keyed: an expression or a function', () => {
    const byExpr = new Probe();
    createOperatorHarness(byExpr, { keySelector: 'k' }).open().processElement({ k: 'x' }, 1);
    expect(byExpr.calls).toEqual(['el {"k":"x"}@1', 'key "x"']);
    expect(byExpr.ctx.maxParallelism).toBe(128);
    const byFn = new Probe();
    createOperatorHarness(byFn, { keySelector: (r) => (r.value as { k: string }).k.toUpperCase(), maxParallelism: 4 }).open().processElement({ k: 'y' });
    expect(byFn.calls).toEqual(['el {"k":"y"}@null', 'key "Y"']);
    expect(byFn.ctx.maxParallelism).toBe(4);
    const unkeyed = new Probe();
    createOperatorHarness(unkeyed).open();
    expect(unkeyed.ctx.keyed).toBeNull();
  });

  test('marbles: records {key, v}, watermarks, processing time', () => {
    const probe = new Probe();
    const h = createOperatorHarness(probe).open();
    h.feed('a@1 b:-2.5@-3 | W5 c P7 d:4');
    expect(probe.calls).toEqual(['el {"key":"a","v":1}@1', 'el {"key":"b","v":-2.5}@-3', 'wm 5', 'el {"key":"c","v":1}@null', 'el {"key":"d","v":4}@null']);
    expect(h.processingTime).toBe(7);
    expect(() => h.feed('a@b')).toThrow(/cannot read 'a@b'/);
  });

  test('output, records and clearOutput; endInput reaches the operator', () => {
    const h = createOperatorHarness(new MapOperator((v) => ({ doubled: (v as { v: number }).v * 2 }))).open();
    h.feed('a:2@1 W1');
    expect(h.records()).toEqual([{ value: { doubled: 4 }, timestamp: 1 }]);
    expect(h.output()).toHaveLength(2);
    h.clearOutput();
    expect(h.output()).toEqual([]);
    const probe = new Probe();
    createOperatorHarness(probe).open().endInput();
    expect(probe.calls).toEqual(['end']);
  });

  test('an operator must be opened first, and only once', () => {
    const h = createOperatorHarness(new Probe());
    expect(() => h.processElement(1, 1)).toThrow(/open\(\) the harness first/);
    h.open();
    expect(() => h.open()).toThrow(/already open/);
  });
});
