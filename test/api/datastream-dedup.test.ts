// `dedup` in the DataStream API: the same operator as the scenario format's, so a job built
// in TypeScript drops exactly what the equivalent file drops and reports the same memory
// and false positives; bad sizes throw where they are written.
import { describe, expect, it } from 'vitest';
import { ArrayPartition, createSimulation, formatIssue, parseScenarioText, StreamExecutionEnvironment, WatermarkStrategy, type JsonValue } from '../../core/index.ts';

// 600 clicks over 400 ids in two partitions, appended 1 ms apart: many repeats.
const clicks = Array.from({ length: 600 }, (_, i) => ({ partition: i % 2, key: `c${(i * 7919) % 400}`, value: { click: `c${(i * 7919) % 400}`, i } as JsonValue, timestamp: i, at: i }));

function apiRun() {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  const topic = { name: 'clicks', partitions: [0, 1].map((p) => new ArrayPartition(clicks.filter((c) => c.partition === p))) };
  const source = env.fromSource(topic, WatermarkStrategy.forMonotonousTimestamps(), 'clicks');
  const byClick = source.keyBy((v) => (v as { click: string }).click);
  byClick.dedup({ bloom: { expectedItems: 300, falsePositiveRate: 0.05 } }).print('bloomOut');
  byClick.dedup({ exact: true }).print('exactOut');
  const sim = createSimulation({ streamGraph: env.getStreamGraph('dedup') });
  sim.run();
  return sim.report();
}

function fileRun() {
  const json = {
    format: 'weir/scenario@1',
    name: 'dedup',
    config: { parallelism: 2 },
    topics: { clicks: { partitions: 2, records: clicks } },
    job: {
      name: 'dedup',
      operators: [
        { id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' } },
        { id: 'bloom', type: 'dedup', input: 'clicks', key: 'click', bloom: { expectedItems: 300, falsePositiveRate: 0.05 } },
        { id: 'bloomOut', type: 'sink', input: 'bloom', sink: { type: 'print' } },
        { id: 'exact', type: 'dedup', input: 'clicks', key: 'click', exact: true },
        { id: 'exactOut', type: 'sink', input: 'exact', sink: { type: 'print' } },
      ],
    },
  };
  const parsed = parseScenarioText(JSON.stringify(json), 'dedup.json');
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return sim.report();
}

describe('DataStream dedup', () => {
  it('drops what the scenario file drops, with the same memory and false positives', () => {
    const api = apiRun();
    const file = fileRun();
    const sorted = (r: typeof api, sink: string) => r.sinks[sink === 'bloom' ? Object.keys(r.sinks)[0]! : Object.keys(r.sinks)[1]!]!.committed.map((x) => JSON.stringify(x)).sort();
    expect(sorted(api, 'bloom')).toEqual(sorted(file, 'bloom'));
    expect(sorted(api, 'exact')).toEqual(sorted(file, 'exact'));
    expect(sorted(file, 'exact')).toHaveLength(400);
    const apiDedup = Object.values(api.dedup).sort((a, b) => a.mode.localeCompare(b.mode));
    const fileDedup = Object.values(file.dedup).sort((a, b) => a.mode.localeCompare(b.mode));
    expect(apiDedup).toEqual(fileDedup);
    expect(fileDedup[0]!.mode).toBe('bloom');
    expect(fileDedup[0]!.memoryBytes).toBeLessThan(fileDedup[1]!.memoryBytes);
  });

  it('refuses sizes out of range where they are written', () => {
    const stream = StreamExecutionEnvironment.getExecutionEnvironment().fromElements(1).keyBy((v) => v as number);
    expect(() => stream.dedup({ bloom: { expectedItems: 0, falsePositiveRate: 0.1 } })).toThrow(/expectedItems must be a whole number >= 1, got 0/);
    expect(() => stream.dedup({ bloom: { expectedItems: 10, falsePositiveRate: 1 } })).toThrow(/falsePositiveRate must be strictly between 0 and 1, got 1/);
    expect(() => stream.dedup({ bloom: { expectedItems: 1e9, falsePositiveRate: 1e-9 } })).toThrow(/more than Weir's limit/);
  });
});
