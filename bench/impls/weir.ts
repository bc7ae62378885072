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
 *
 * `weir+cp-hashmap` and `weir+cp-rocksdb` run W2 as `weir` does, with exactly-once aligned
 * checkpoints every 1,000 virtual ms, on the `hashmap` state backend (each checkpoint a
 * full snapshot) or the `rocksdb` one (incremental: only the key groups that changed are
 * written), switched on with `env.enableCheckpointing` and `env.setStateBackend`.
 * Checkpointing must not change the answer, so their checksum is W2's. Their
 * lines add the checkpoint statistics of the report (`sim.report().checkpoints`), and the
 * child also times plain `weir` in the same process (`baseline`), so that the line gives
 * the cost of checkpointing as a ratio.
 */
import {
  createSimulation,
  EmbeddedRocksDBStateBackend,
  HashMapStateBackend,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type PartitionLog,
  type StateBackendKind,
  type Topic,
  type TopicRecord,
} from '../../core/index.ts';
import type { BenchInput } from '../input.ts';
import type { BenchSink } from '../sink.ts';
import { W3_PARALLELISM, WATERMARK_EVERY_RECORDS, WATERMARK_LAG_MS, WINDOW_SIZE_MS, type Workload } from '../workloads.ts';
import type { Implementation, RunExtras } from './types.ts';

const WATERMARK_INTERVAL_MS = 200;

/** The checkpointed variants: a checkpoint every this many virtual ms. */
export const CHECKPOINT_INTERVAL_MS = 1000;

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

/** What a run of the job tells besides its output. */
interface JobOutcome {
  readonly late: number;
  /** The checkpoint statistics for the line, or null without checkpointing. */
  readonly checkpoints: RunExtras | null;
}

/**
 * Exactly-once checkpoints every 1,000 virtual ms on `stateBackend`, through the DataStream
 * API: the StreamGraph's config then carries the same `faultTolerance` that a scenario's
 * `config.checkpointing: {"interval": 1000, "mode": "exactly-once"}` and
 * `config.stateBackend` give (Flink's defaults for the rest).
 */
export function enableBenchCheckpointing(env: StreamExecutionEnvironment, stateBackend: StateBackendKind): StreamExecutionEnvironment {
  env.enableCheckpointing(CHECKPOINT_INTERVAL_MS, 'exactly-once');
  return env.setStateBackend(stateBackend === 'rocksdb' ? new EmbeddedRocksDBStateBackend(true) : new HashMapStateBackend());
}

/** Runs the job; with `checkpointed`, also reads the report's checkpoint figures. */
function run(env: StreamExecutionEnvironment, checkpointed: boolean): JobOutcome {
  const sim = createSimulation({
    streamGraph: env.getStreamGraph(),
    traceLevel: 'summary',
    retainTrace: false,
    limits: { maxSteps: Number.MAX_SAFE_INTEGER, maxQueueSize: 10_000_000 },
  });
  sim.run();
  if (sim.status !== 'FINISHED') throw new Error(`weir: the job ended ${sim.status}: ${sim.jobManager.failureCause ?? ''}`);
  const late = sim.jobManager.tasks.reduce((n, t) => n + t.metrics.lateRecordsDropped, 0);
  return { late, checkpoints: checkpointed ? checkpointStatistics(sim.report().checkpoints) : null };
}

/**
 * The line's checkpoint fields, from the report's checkpoints: how many completed (and
 * did not), the mean and largest alignment (each checkpoint's is its slowest subtask's),
 * and the mean full and written sizes of the completed ones, in bytes.
 */
export function checkpointStatistics(checkpoints: readonly { status: string; alignmentMs: number; stateSize: number; checkpointedSize: number }[]): RunExtras {
  const completed = checkpoints.filter((c) => c.status === 'COMPLETED');
  const mean = (f: (c: (typeof completed)[number]) => number): number =>
    completed.length === 0 ? 0 : Math.round((completed.reduce((s, c) => s + f(c), 0) / completed.length) * 1000) / 1000;
  return {
    checkpointsCompleted: completed.length,
    checkpointsNotCompleted: checkpoints.length - completed.length,
    alignmentMsMean: mean((c) => c.alignmentMs),
    alignmentMsMax: completed.reduce((m, c) => Math.max(m, c.alignmentMs), 0),
    stateSizeBytesMean: Math.round(mean((c) => c.stateSize)),
    checkpointedSizeBytesMean: Math.round(mean((c) => c.checkpointedSize)),
  };
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
  run(env, false);
}

function windowed(input: BenchInput, sink: BenchSink, parallelism: number, stateBackend: StateBackendKind | null): RunExtras | void {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  if (stateBackend !== null) enableBenchCheckpointing(env, stateBackend);
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
  const { late, checkpoints } = run(env, stateBackend !== null);
  if (late > 0) sink.late(late);
  return checkpoints ?? undefined;
}

export const weir: Implementation = {
  name: 'weir',
  description: "Weir's engine: topic -> source -> operators -> sink on the virtual clock, trace level summary",
  run(workload: Workload, input: BenchInput, sink: BenchSink): RunExtras | void {
    switch (workload) {
      case 'W1':
        return w1(input, sink);
      case 'W2':
        return windowed(input, sink, 1, null);
      case 'W3':
        return windowed(input, sink, W3_PARALLELISM, null);
    }
  },
};

/** W2 through the engine with exactly-once checkpoints every 1,000 virtual ms on `stateBackend`. */
function checkpointed(stateBackend: StateBackendKind, description: string): Implementation {
  return {
    name: `weir+cp-${stateBackend}`,
    description,
    workloads: ['W2'],
    baseline: 'weir',
    run(workload: Workload, input: BenchInput, sink: BenchSink): RunExtras | void {
      if (workload !== 'W2') throw new Error(`weir+cp-${stateBackend} runs W2 only, not ${workload}`);
      return windowed(input, sink, 1, stateBackend);
    },
  };
}

export const weirCheckpointHashmap = checkpointed('hashmap', 'weir, W2 with exactly-once checkpoints every 1,000 ms, hashmap backend (full snapshots)');
export const weirCheckpointRocksdb = checkpointed('rocksdb', 'weir, W2 with exactly-once checkpoints every 1,000 ms, rocksdb backend (incremental)');
