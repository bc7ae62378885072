// sinkTo with Flink's sink names: each builds the sink of the scenario format with the
// same protocol, so a job from the API and the equivalent file give the same output and
// trace; bad builder arguments throw at the line that made them.
import { describe, expect, it } from 'vitest';
import {
  createSimulation,
  DeliveryGuarantee,
  GenericWriteAheadSink,
  KafkaSink,
  parseScenarioText,
  formatIssue,
  RestartStrategies,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  UpsertSink,
  type FaultSpec,
  type JsonValue,
  type Sink,
} from '../../core/index.ts';

const keys = ['a', 'b', 'c'];
const items = Array.from({ length: 40 }, (_, i) => i).flatMap((n) => [
  { kind: 'record' as const, value: { key: keys[n % 3]!, n } as JsonValue, timestamp: n * 100 },
  ...(n % 5 === 4 ? [{ kind: 'watermark' as const, timestamp: n * 100 }] : []),
  { kind: 'advance' as const, ms: 100 },
]);
const kill: FaultSpec = { type: 'kill-task', operator: 'window-1', subtask: 0, atMs: 2500, afterRecords: null, path: '$.faults[0]' };

function apiRun(sink: Sink, faults: FaultSpec[] = [kill]) {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  env.enableCheckpointing(1000);
  env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 100));
  env
    .fromSequence(items)
    .keyBy((v) => (v as { key: string }).key)
    .window(TumblingEventTimeWindows.of(1000))
    .aggregate({ kind: 'count' })
    .sinkTo(sink, 'out');
  const sim = createSimulation({ streamGraph: env.getStreamGraph('counts'), faults });
  sim.run();
  return { report: sim.report(), hash: sim.trace.hash() };
}

function fileRun(sink: JsonValue) {
  const sequence = items.map((i): JsonValue => (i.kind === 'record' ? { value: i.value, timestamp: i.timestamp } : i.kind === 'watermark' ? { watermark: i.timestamp } : { advanceProcessingTime: i.ms }));
  const json = {
    format: 'weir/scenario@1',
    name: 'counts',
    config: { parallelism: 2, checkpointing: { interval: 1000 }, restartStrategy: { type: 'fixed-delay', attempts: 1, delay: 100 } },
    job: {
      name: 'counts',
      operators: [
        { id: 'source-1', type: 'sequence', items: sequence },
        { id: 'k', type: 'keyBy', input: 'source-1', key: 'key' },
        { id: 'window-1', type: 'window', input: 'k', assigner: { type: 'tumbling', size: 1000 }, aggregate: 'count' },
        { id: 'sink-1', type: 'sink', input: 'window-1', sink },
      ],
    },
    faults: [{ type: 'kill-task', operator: 'window-1', subtask: 0, at: 2500 }],
  };
  const parsed = parseScenarioText(JSON.stringify(json), 'counts.json');
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return sim.report();
}

describe('sinkTo', () => {
  it('KafkaSink EXACTLY_ONCE is the two-phase-commit sink: same output as the scenario file, nothing twice', () => {
    const { report } = apiRun(KafkaSink.builder().setTopic('results').setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).build());
    const file = fileRun({ type: 'two-phase-commit', topic: 'results' });
    expect(report.restarts).toHaveLength(1);
    expect(report.sinks['sink-1']).toEqual(file.sinks['sink-1']);
    const committed = report.sinks['sink-1']!.committed.map((r) => JSON.stringify(r));
    expect(new Set(committed).size).toBe(committed.length);
    expect(report.sinks['sink-1']!.uncommitted.length).toBeGreaterThan(0);
  });

  it('KafkaSink AT_LEAST_ONCE writes at once, so the replay duplicates', () => {
    const { report } = apiRun(KafkaSink.builder().setTopic('results').setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE).build());
    expect(report.sinks['sink-1']).toEqual(fileRun({ type: 'at-least-once', topic: 'results' }).sinks['sink-1']);
    const committed = report.sinks['sink-1']!.committed.map((r) => JSON.stringify(r));
    expect(new Set(committed).size).toBeLessThan(committed.length);
  });

  it('GenericWriteAheadSink and UpsertSink match their scenario twins', () => {
    expect(apiRun(GenericWriteAheadSink.forTopic('results')).report.sinks).toEqual(fileRun({ type: 'write-ahead-log', topic: 'results' }).sinks);
    const upsert = apiRun(UpsertSink.into('counts', (v) => `${(v as { key: string }).key}@${(v as { window: { start: number } }).window.start}`)).report;
    const file = fileRun({ type: 'idempotent', table: 'counts', key: 'key + "@" + str(window.start)' });
    expect(upsert.tables).toEqual(file.tables);
    expect(Object.keys(upsert.tables['counts']!).length).toBeGreaterThan(0);
  });

  it('refuses bad builder arguments and a write-ahead log without checkpoints', () => {
    expect(() => KafkaSink.builder().build()).toThrow(/setTopic/);
    expect(() => KafkaSink.builder().setTransactionTimeout(0)).toThrow(/transaction timeout must be a whole number of ms >= 1, got 0/);
    expect(() => KafkaSink.builder().setPartitions(1.5)).toThrow(/partitions/);
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.fromElements(1, 2).sinkTo(GenericWriteAheadSink.forTopic('t'));
    expect(() => env.getStreamGraph()).toThrow(/without checkpoints it never sends anything: call env\.enableCheckpointing/);
  });
});
