// User functions written as objects (Flink's MapFunction, FilterFunction, FlatMapFunction,
// SinkFunction classes): they work like plain functions, each subtask gets its own copy,
// and one that is a CheckpointedFunction sees initializeState before its first record.
import { describe, expect, it } from 'vitest';
import { createSimulation, RestartStrategies, StreamExecutionEnvironment, type FunctionInitializationContext, type JsonValue } from '../../core/index.ts';

describe('function objects in the DataStream API', () => {
  it('map, filter, flatMap and addSink take objects; each subtask has its own copy, initialized first', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    const got: JsonValue[] = [];
    const tagger = {
      subtask: -1,
      initializeState(ctx: FunctionInitializationContext) {
        this.subtask = ctx.getIndexOfThisSubtask();
        expect(ctx.isRestored()).toBe(false);
      },
      snapshotState() {},
      map(v: JsonValue) {
        return { v, subtask: this.subtask };
      },
    };
    env
      .fromElements(1, 2, 3, 4, 5, 6)
      .rebalance()
      .map(tagger)
      .filter({ filter: (v) => (v as { v: number }).v !== 3 })
      .flatMap({ flatMap: (v) => [v, v] })
      .addSink({ invoke: (v) => void got.push(v) }, 'collect');
    const sim = createSimulation({ streamGraph: env.getStreamGraph('objects') });
    sim.run();
    expect(sim.report().status).toBe('FINISHED');
    expect(got).toHaveLength(10);
    expect(new Set(got.map((g) => (g as { subtask: number }).subtask))).toEqual(new Set([0, 1]));
    expect(tagger.subtask).toBe(-1); // the object given is the prototype, never written to
  });

  it('an object without its method is refused where the operator is declared', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    expect(() => env.fromElements(1).map({} as never)).toThrow(/Map: a function object needs a 'map' method/);
  });

  it('a snapshotState that throws fails the task, as user code does, and the restart strategy decides', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(100);
    env.setRestartStrategy(RestartStrategies.noRestart());
    const items = Array.from({ length: 20 }, (_, n) => [{ kind: 'record' as const, value: n, timestamp: n }, { kind: 'advance' as const, ms: 50 }]).flat();
    env
      .fromSequence(items)
      .map({
        initializeState() {},
        snapshotState() {
          throw new Error('cannot snapshot');
        },
        map: (v: JsonValue) => v,
      })
      .print();
    const sim = createSimulation({ streamGraph: env.getStreamGraph('throws') });
    sim.run();
    expect(sim.report().status).toBe('FAILED');
    expect(sim.report().failureCause).toContain('cannot snapshot');
  });
});
