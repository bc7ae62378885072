/**
 * The workloads through Weir's whole engine, the path a scenario takes: a topic, a source
 * task reading it, chained or networked operators, keyed state in key groups, periodic
 * watermarks, window timers, a sink, all as events on the simulation's kernel, with the
 * trace at level `summary`. The jobs are the scenario files bench/scenarios/w1-stateless.json,
 * w2-keyed-window.json and w3-keyed-window-p4.json, parsed and validated as `weir run` does;
 * W2 and W3 fold their windows with an aggregate function written as expressions.
 *
 * Two connectors are the host's, as a Flink deployment binds a job's source and sink
 * (`connectors` of createSimulation): the files' topic `events` becomes the input's columns,
 * read on demand, 1,000 records appended every 200 ms of virtual time, and with the source's
 * watermark every 200 ms (`autoWatermarkInterval`) the watermark advances once per 1,000
 * records, as the workload requires; the files' sink `checksum` hands its records to the
 * benchmark's collector instead of keeping a million of them in a report. The generator of
 * a scenario topic draws from the run's seeded random streams, which cannot give
 * WORKLOADS.md's mulberry32 input, so the files hold its first events as a sample. W2's
 * watermark is Flink's bounded out-of-orderness with a bound of 99: max - 99 - 1 = max - 100.
 *
 * `weir+cp-hashmap` and `weir+cp-rocksdb` run W2's file with `config.checkpointing`
 * (exactly-once, aligned, every 1,000 virtual ms) and `config.stateBackend` added, on the
 * `hashmap` state backend (each checkpoint a full snapshot) or the `rocksdb` one
 * (incremental: only the key groups that changed are written).
 * Checkpointing must not change the answer, so their checksum is W2's. Their
 * lines add the checkpoint statistics of the report (`sim.report().checkpoints`), and the
 * child also times plain `weir` in the same process (`baseline`), so that the line gives
 * the cost of checkpointing as a ratio.
 */
import { readFileSync } from 'node:fs';
import { createSimulation, validateScenario, type JsonValue, type PartitionLog, type Scenario, type StateBackendKind, type Topic, type TopicRecord } from '../../core/index.ts';
import type { BenchInput } from '../input.ts';
import type { BenchSink } from '../sink.ts';
import { WATERMARK_EVERY_RECORDS, type Workload } from '../workloads.ts';
import type { Implementation, RunExtras } from './types.ts';

const WATERMARK_INTERVAL_MS = 200;

/** The checkpointed variants: a checkpoint every this many virtual ms. */
export const CHECKPOINT_INTERVAL_MS = 1000;

/** Each workload's scenario file, in bench/scenarios/. */
export const WORKLOAD_FILES: Readonly<Record<Workload, string>> = {
  W1: 'w1-stateless.json',
  W2: 'w2-keyed-window.json',
  W3: 'w3-keyed-window-p4.json',
};

/** The topic the files read and the sink they write, which the benchmark binds to its input and its collector. */
export const INPUT_TOPIC = 'events';
export const CHECKSUM_SINK = 'checksum';

/** A workload's file as JSON, read once per process. */
const files = new Map<Workload, JsonValue>();
export function workloadJson(workload: Workload): JsonValue {
  let json = files.get(workload);
  if (json === undefined) {
    json = JSON.parse(readFileSync(new URL(`../scenarios/${WORKLOAD_FILES[workload]}`, import.meta.url), 'utf8')) as JsonValue;
    files.set(workload, json);
  }
  return json;
}

/**
 * A workload's scenario, validated as `weir run` validates a file; with `stateBackend`,
 * W2's file with exactly-once checkpoints every 1,000 ms on that backend added to its config.
 */
export function workloadScenario(workload: Workload, stateBackend: StateBackendKind | null = null): Scenario {
  let json = workloadJson(workload) as { config?: Record<string, JsonValue> } & Record<string, JsonValue>;
  if (stateBackend !== null) {
    json = { ...json, config: { ...json.config, checkpointing: { interval: CHECKPOINT_INTERVAL_MS, mode: 'exactly-once' }, stateBackend } };
  }
  const result = validateScenario(json as JsonValue, `bench/scenarios/${WORKLOAD_FILES[workload]}`);
  if (!result.ok) throw new Error(result.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`).join('\n'));
  return result.scenario;
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

/** Runs the workload's file on `input` into `sink`; with `stateBackend`, checkpointed, and reads the report's checkpoint figures. */
function run(workload: Workload, input: BenchInput, sink: BenchSink, stateBackend: StateBackendKind | null): RunExtras | void {
  const windowed = workload !== 'W1';
  const topic: Topic = { name: INPUT_TOPIC, partitions: [new InputPartition(input)] };
  const deliver = windowed
    ? (v: JsonValue) => {
        const [key, start, end, count, sum] = v as number[];
        sink.window(key!, start!, end!, count!, sum!);
      }
    : (v: JsonValue) => sink.value(v as number);
  const sim = createSimulation({
    scenario: workloadScenario(workload, stateBackend),
    connectors: { topics: { [INPUT_TOPIC]: topic }, sinks: { [CHECKSUM_SINK]: deliver } },
    traceLevel: 'summary',
    retainTrace: false,
    limits: { maxSteps: Number.MAX_SAFE_INTEGER, maxQueueSize: 10_000_000 },
  });
  sim.run();
  if (sim.status !== 'FINISHED') throw new Error(`weir: the job ended ${sim.status}: ${sim.jobManager.failureCause ?? ''}`);
  const late = sim.jobManager.tasks.reduce((n, t) => n + t.metrics.lateRecordsDropped, 0);
  if (late > 0) sink.late(late);
  return stateBackend === null ? undefined : checkpointStatistics(sim.report().checkpoints);
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

export const weir: Implementation = {
  name: 'weir',
  description: "Weir's engine running bench/scenarios/w*.json: topic -> source -> operators -> sink on the virtual clock, trace level summary",
  run(workload: Workload, input: BenchInput, sink: BenchSink): RunExtras | void {
    return run(workload, input, sink, null);
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
      return run('W2', input, sink, stateBackend);
    },
  };
}

export const weirCheckpointHashmap = checkpointed('hashmap', 'weir, W2 with exactly-once checkpoints every 1,000 ms, hashmap backend (full snapshots)');
export const weirCheckpointRocksdb = checkpointed('rocksdb', 'weir, W2 with exactly-once checkpoints every 1,000 ms, rocksdb backend (incremental)');
