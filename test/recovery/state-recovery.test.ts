/**
 * TTL'd keyed state and operator state through a failure in a real simulation: a task is
 * killed after a checkpoint, the job restarts from it, and the output committed by an
 * exactly-once sink is the same as without the failure. That holds only if the restore
 * brought back the keyed state with its TTL timestamps (a key that went quiet for longer
 * than the TTL starts counting again, before and after the failure alike) and each
 * subtask's operator state (a counter kept by a CheckpointedFunction).
 *
 * It also shows the limit Flink documents: TTL runs on processing time, and a replay after
 * a failure runs later in processing time than the first pass did, so a TTL close to the
 * gaps between records can expire on replay what it kept the first time. TTL is not part of
 * the exactly-once guarantee.
 */
import { describe, expect, it } from 'vitest';
import {
  createSimulation,
  formatIssue,
  parseScenarioText,
  DeliveryGuarantee,
  KafkaSink,
  RestartStrategies,
  StateTtlConfig,
  StreamExecutionEnvironment,
  valueState,
  type CheckpointedFunction,
  type FaultSpec,
  type JsonValue,
  type KeyedProcessFunction,
  type OperatorListState,
} from '../../core/index.ts';

type Rec = { key: string; n: number };

// 'c' appears at the start and again after a silence of more than the TTL (1500 ms of processing time).
const items = Array.from({ length: 40 }, (_, n) => n).flatMap((n) => {
  const key = n >= 10 && n < 35 && n % 3 === 2 ? 'a' : ['a', 'b', 'c'][n % 3]!;
  return [{ kind: 'record' as const, value: { key, n } as JsonValue, timestamp: n * 100 }, { kind: 'advance' as const, ms: 100 }];
});

/** Counts per key in a value state with a TTL. */
const counting: KeyedProcessFunction<{ count: ReturnType<typeof valueState> }> = {
  state: { count: valueState(0, { ttl: StateTtlConfig.newBuilder(1500).build() }) },
  processElement(value, ctx, out) {
    const count = ctx.getState('count');
    count.update((count.value() as number) + 1);
    out.collect({ ...(value as Rec), count: count.value() });
  },
};

/** Numbers the records each subtask passes, in operator list state. */
function numbering(): CheckpointedFunction & { map(v: JsonValue): JsonValue } {
  type Self = { seen: number; state: OperatorListState };
  return {
    initializeState(ctx) {
      const self = this as unknown as Self;
      self.state = ctx.getOperatorStateStore().getListState('seen');
      self.seen = self.state.get().reduce<number>((a, b) => a + (b as number), 0);
    },
    snapshotState() {
      const self = this as unknown as Self;
      self.state.update([self.seen]);
    },
    map(v) {
      const self = this as unknown as Self;
      return { ...(v as Rec), seq: ++self.seen };
    },
  };
}

function run(faults: FaultSpec[]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  env.enableCheckpointing(1000);
  env.setRestartStrategy(RestartStrategies.fixedDelayRestart(2, 100));
  env
    .fromSequence(items)
    .keyBy((v) => (v as Rec).key)
    .process(counting)
    .map(numbering())
    .sinkTo(KafkaSink.builder().setTopic('out').setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).build(), 'out');
  const sim = createSimulation({ streamGraph: env.getStreamGraph('ttl and operator state'), faults });
  sim.run();
  return sim.report();
}

describe('recovery of TTL state and operator state', () => {
  const clean = run([]);
  const values = (report: typeof clean) => report.sinks['sink-1']!.committed.map((r) => r.value as Rec & { count: number; seq: number });

  it('without a failure, the TTL resets a key that went quiet, and each subtask numbers its records', () => {
    expect(clean.status).toBe('FINISHED');
    const c = values(clean).filter((v) => v.key === 'c');
    // 'c' at 200, 500, 800, then again at 3500 after more than 1500 ms: its count had expired.
    expect(c.map((v) => [v.n, v.count])).toEqual([
      [2, 1],
      [5, 2],
      [8, 3],
      [35, 1],
      [38, 2],
    ]);
    expect(values(clean)).toHaveLength(40);
  });

  it.each([
    ['process-1', 0, 2500],
    ['process-1', 1, 2500],
    ['map-1', 0, 3300],
  ] as const)('a kill of %s#%i at %i restores both from the checkpoint: the committed output is the same', (operator, subtask, atMs) => {
    const failed = run([{ type: 'kill-task', operator, subtask, atMs, afterRecords: null, path: '$.faults[0]' }]);
    expect(failed.status).toBe('FINISHED');
    expect(failed.restarts).toHaveLength(1);
    const sortedValues = (r: typeof clean) => values(r).map((v) => JSON.stringify(v)).sort();
    expect(sortedValues(failed)).toEqual(sortedValues(clean));
  });
});

describe('a scenario file with a TTL state, through a failure', () => {
  function fileRun(faults: JsonValue[]) {
    const json = {
      format: 'weir/scenario@1',
      name: 'ttl',
      config: { parallelism: 2, checkpointing: { interval: 1000 }, restartStrategy: { type: 'fixed-delay', attempts: 2, delay: 100 } },
      job: {
        name: 'ttl',
        operators: [
          { id: 'src', type: 'sequence', items: items.map((i) => (i.kind === 'record' ? { value: i.value, timestamp: i.timestamp } : { advanceProcessingTime: i.ms })) },
          { id: 'k', type: 'keyBy', input: 'src', key: 'key' },
          {
            id: 'p',
            type: 'process',
            input: 'k',
            state: { count: { type: 'value', initial: 0, ttl: { time: 1500, cleanupFullSnapshot: true } }, ns: { type: 'list', ttl: 1500 } },
            onElement: [
              { set: 'count', to: 'state.count + 1' },
              { add: 'ns', value: 'n' },
              { emit: '{key: key, n: n, count: state.count, recent: len(state.ns)}' },
            ],
          },
          { id: 'out', type: 'sink', input: 'p', sink: { type: 'two-phase-commit', topic: 'out' } },
        ],
      },
      faults,
    };
    const parsed = parseScenarioText(JSON.stringify(json), 'ttl.json');
    if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
    const sim = createSimulation({ scenario: parsed.scenario });
    sim.run();
    return sim.report();
  }

  it('restores the counts, but a replay runs later in processing time, so per-element TTL may expire more (as in Flink)', () => {
    const clean = fileRun([]);
    const failed = fileRun([{ type: 'kill-task', operator: 'p', subtask: 1, at: 2700 }]);
    expect(failed.restarts).toHaveLength(1);
    type Out = { key: string; n: number; count: number; recent: number };
    const byN = (r: typeof clean) => new Map(r.sinks['out']!.committed.map((x) => [(x.value as Out).n, x.value as Out]));
    const before = byN(clean);
    const after = byN(failed);
    expect([...after.keys()].sort((a, b) => a - b)).toEqual([...before.keys()].sort((a, b) => a - b));
    // The count's TTL (1500 ms) is far from the gaps between a key's records: it comes back exactly.
    for (const [n, v] of after) expect(v.count).toBe(before.get(n)!.count);
    // The list's elements are stamped with processing time: the restart's downtime ages those restored from
    // the checkpoint, so after the failure fewer of them are alive than in the run without it, never more.
    for (const [n, v] of after) expect(v.recent).toBeLessThanOrEqual(before.get(n)!.recent);
    expect([...after].some(([n, v]) => v.recent < before.get(n)!.recent)).toBe(true);
    const c = [...before.values()].filter((v) => v.key === 'c');
    expect(c.find((v) => v.n === 35)!.count).toBe(1);
  });
});
