/**
 * Flink's DataStream.process(ProcessFunction), on a stream that is not keyed: the function
 * sees the element's timestamp, the watermark and the clock and writes side outputs; it has
 * no key, so no keyed state, and a timer is refused with Flink's message; operator state
 * comes from CheckpointedFunction, per subtask.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation, StreamExecutionEnvironment, type DataStream, type JsonValue, type OperatorListState, type ProcessFunction, type RunReport } from '../../core/index.ts';

type Item = [value: JsonValue, timestamp: number] | number;

function seq(e: StreamExecutionEnvironment, items: Item[]): DataStream {
  return e.fromSequence(items.map((i) => (typeof i === 'number' ? { kind: 'watermark' as const, timestamp: i } : { kind: 'record' as const, value: i[0], timestamp: i[1] })));
}

function run(e: StreamExecutionEnvironment): RunReport {
  const sim = createSimulation({ streamGraph: e.getStreamGraph('process function'), seed: 1 });
  sim.run();
  return sim.report();
}

const env = (): StreamExecutionEnvironment => StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(1);

describe('DataStream.process(ProcessFunction)', () => {
  it('sees the timestamp and the watermark of the moment, has no key, and writes side outputs', () => {
    const e = env();
    seq(e, [[1, 10], 50, [2, 60], [3, 70], 100, [4, 120]])
      .process({
        processElement(v, ctx, out) {
          out.collect({ v, ts: ctx.timestamp(), wm: ctx.timerService().currentWatermark(), key: ctx.getCurrentKey() });
          if ((v as number) % 2 === 0) ctx.output('even', v);
        },
      })
      .print();
    const report = run(e);
    expect(report.failureCause ?? null).toBe(null);
    expect(report.sinks['print-1']!.committed.map((r) => r.value)).toEqual([
      { v: 1, ts: 10, wm: Number.MIN_SAFE_INTEGER, key: null },
      { v: 2, ts: 60, wm: 50, key: null },
      { v: 3, ts: 70, wm: 50, key: null },
      { v: 4, ts: 120, wm: 100, key: null },
    ]);
    expect(report.sideOutputs['even']).toEqual([
      { value: 2, timestamp: 60 },
      { value: 4, timestamp: 120 },
    ]);
  });

  it('a timer fails the task with Flink\'s message: timers need a keyed stream', () => {
    const e = env();
    seq(e, [[1, 10]])
      .process({ processElement: (_v, ctx) => ctx.timerService().registerEventTimeTimer(100) })
      .print();
    const report = run(e);
    expect(report.status).toBe('FAILED');
    expect(report.failureCause).toContain('Setting timers is only supported on a keyed streams.');
  });

  it('keyed state is refused when the job is built', () => {
    const e = env();
    expect(() => {
      seq(e, [[1, 10]])
        .process({ state: { n: { kind: 'value', initial: 0 } }, processElement: () => undefined } as unknown as ProcessFunction)
        .print();
      run(e);
    }).toThrow('keyed state needs a keyed stream');
  });

  it('operator state through CheckpointedFunction: each subtask its own list', () => {
    const e = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    const counting: ProcessFunction & { seen: OperatorListState | null } = {
      seen: null,
      initializeState(ctx) {
        this.seen = ctx.getOperatorStateStore().getListState('seen');
      },
      snapshotState() {},
      processElement(v, _ctx, out) {
        this.seen!.add(v);
        out.collect(this.seen!.get().length);
      },
    };
    seq(e, [[1, 1], [2, 2], [3, 3], [4, 4]]).rebalance().process(counting).print();
    const report = run(e);
    expect(report.failureCause ?? null).toBe(null);
    // Two subtasks, two records each: each counts its own, 1 then 2.
    expect(report.sinks['print-1']!.committed.map((r) => r.value).sort()).toEqual([1, 1, 2, 2]);
  });
});
