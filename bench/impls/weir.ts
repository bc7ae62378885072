/**
 * The workloads through Weir's whole engine, the path a scenario takes: a topic, a source
 * task reading it, chained or networked operators, keyed state in key groups, periodic
 * watermarks, window timers, a sink, all as events on the simulation's kernel, with the
 * trace at level `summary`. Built with the DataStream API so that the sink can hand results
 * to the benchmark's collector instead of keeping a million records in a report.
 *
 * The topic is generated on demand from the input's columns: 1,000 records are appended
 * every 200 ms of virtual time, and the source emits a watermark every 200 ms
 * (`autoWatermarkInterval`), so the watermark advances once per 1,000 records, as the
 * workload requires. W2's watermark is Flink's bounded out-of-orderness with a bound of 99:
 * max - 99 - 1 = max - 100.
 */
import {
  createSimulation,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type PartitionLog,
  type Topic,
  type TopicRecord,
} from '../../core/index.ts';
import type { BenchInput } from '../input.ts';
import type { BenchSink } from '../sink.ts';
import { W3_PARALLELISM, WATERMARK_EVERY_RECORDS, WATERMARK_LAG_MS, WINDOW_SIZE_MS, type Workload } from '../workloads.ts';
import type { Implementation } from './types.ts';

const WATERMARK_INTERVAL_MS = 200;

interface BenchValue {
  key: number;
  value: number;
  ts: number;
}

/** The input's columns as a partition: records made when the source reads them. */
class InputPartition implements PartitionLog {
  constructor(private readonly input: BenchInput) {}
  get length(): number {
    return this.input.n;
  }
  appendTime(offset: number): number {
    return Math.floor(offset / WATERMARK_EVERY_RECORDS) * WATERMARK_INTERVAL_MS;
  }
  read(offset: number): TopicRecord {
    const { key, value, ts } = this.input;
    const t = ts[offset]!;
    return { key: null, value: { key: key[offset]!, value: value[offset]!, ts: t }, timestamp: t };
  }
}

/** Runs the job; returns how many late records the windows dropped. */
function run(env: StreamExecutionEnvironment): number {
  const sim = createSimulation({
    streamGraph: env.getStreamGraph(),
    traceLevel: 'summary',
    retainTrace: false,
    limits: { maxSteps: Number.MAX_SAFE_INTEGER, maxQueueSize: 10_000_000 },
  });
  sim.run();
  if (sim.status !== 'FINISHED') throw new Error(`weir: the job ended ${sim.status}: ${sim.jobManager.failureCause ?? ''}`);
  return sim.jobManager.tasks.reduce((n, t) => n + t.metrics.lateRecordsDropped, 0);
}

function w1(input: BenchInput, sink: BenchSink): void {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.getConfig().setAutoWatermarkInterval(WATERMARK_INTERVAL_MS);
  const topic: Topic = { name: 'events', partitions: [new InputPartition(input)] };
  env
    .fromSource(topic, WatermarkStrategy.noWatermarks(), 'events')
    .map((v) => (v as unknown as BenchValue).value * 3 + 1, 'triple')
    .filter((v) => (v as number) % 4 !== 0, 'keep')
    .addSink((v) => sink.value(v as number), 'checksum');
  run(env);
}

function windowed(input: BenchInput, sink: BenchSink, parallelism: number): void {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  env.getConfig().setAutoWatermarkInterval(WATERMARK_INTERVAL_MS);
  const topic: Topic = { name: 'events', partitions: [new InputPartition(input)] };
  env
    .fromSource(topic, WatermarkStrategy.forBoundedOutOfOrderness(WATERMARK_LAG_MS - 1), 'events')
    .keyBy((v) => (v as unknown as BenchValue).key)
    .window(TumblingEventTimeWindows.of(WINDOW_SIZE_MS))
    .aggregate(
      {
        createAccumulator: () => [0, 0],
        add: (v, acc) => {
          const a = acc as number[];
          a[0]!++;
          a[1]! += (v as unknown as BenchValue).value;
          return a;
        },
        getResult: (acc) => acc,
        merge: (a, b) => [(a as number[])[0]! + (b as number[])[0]!, (a as number[])[1]! + (b as number[])[1]!],
      },
      (key, window, result) => [[key, window.start, window.end, (result as number[])[0]!, (result as number[])[1]!]],
    )
    .setParallelism(parallelism)
    .addSink((v) => {
      const [key, start, end, count, sum] = v as number[];
      sink.window(key!, start!, end!, count!, sum!);
    }, 'checksum')
    .setParallelism(parallelism);
  const late = run(env);
  if (late > 0) sink.late(late);
}

export const weir: Implementation = {
  name: 'weir',
  description: "Weir's engine: topic -> source -> operators -> sink on the virtual clock, trace level summary",
  run(workload: Workload, input: BenchInput, sink: BenchSink): void {
    switch (workload) {
      case 'W1':
        return w1(input, sink);
      case 'W2':
        return windowed(input, sink, 1);
      case 'W3':
        return windowed(input, sink, W3_PARALLELISM);
    }
  },
};
