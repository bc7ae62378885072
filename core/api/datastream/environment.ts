/**
 * The DataStream API's entry, with Flink's names: a `StreamExecutionEnvironment` collects
 * the operators a program declares and hands out the StreamGraph that the Client turns into
 * a JobGraph. It produces exactly what the scenario loader produces, so a job written in
 * TypeScript and the same job written as a scenario file run identically.
 *
 * @example
 * const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
 * env.fromSource(topic, WatermarkStrategy.forMonotonousTimestamps(), 'events')
 *   .filter((v) => v.amount > 10)
 *   .keyBy((v) => v.user)
 *   .map((v) => ({ user: v.user, amount: v.amount }))
 *   .print();
 * const graph = env.getStreamGraph('large amounts');
 *
 * Fault tolerance is set here too, with Flink's names (see checkpoint-config.ts,
 * restart-strategies.ts, state-backends.ts): `enableCheckpointing`, `getCheckpointConfig`,
 * `setStateBackend`, `setRestartStrategy`, and Weir's `setFailoverStrategy`.
 *
 * @example
 * env.enableCheckpointing(1000);
 * env.setStateBackend(new EmbeddedRocksDBStateBackend());
 * env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 500));
 * env.setFailoverStrategy('region');
 */
import type { Topic } from '../../connectors/index.ts';
import { TopicSource } from '../../connectors/index.ts';
import type { CheckpointingMode, FailoverStrategyKind, FaultToleranceConfig, StreamEdge, StreamGraph, StreamNode } from '../../graph/index.ts';
import type { JsonValue } from '../../model/index.ts';
import { guarded, SequenceSource, type OperatorFactory, type SequenceItemSpec } from '../../operators/index.ts';
import { CheckpointConfig } from './checkpoint-config.ts';
import { DataStream } from './data-stream.ts';
import type { RestartStrategyConfiguration } from './restart-strategies.ts';
import { EmbeddedRocksDBStateBackend, HashMapStateBackend, type StateBackend } from './state-backends.ts';
import { checkedBufferTimeout, type Transformation, type TransformationSink } from './transformation.ts';
import type { WatermarkStrategy } from './watermark-strategy.ts';


export class ExecutionConfig {
  autoWatermarkIntervalMs = 200;
  /** Sets the period of periodic watermark emission, in virtual ms. */
  setAutoWatermarkInterval(ms: number): this {
    this.autoWatermarkIntervalMs = ms;
    return this;
  }
}

export class StreamExecutionEnvironment implements TransformationSink {
  #parallelism: number | null = null;
  #maxParallelism: number | null = null;
  readonly #config = new ExecutionConfig();
  readonly #checkpointConfig = new CheckpointConfig();
  #stateBackend: StateBackend = new HashMapStateBackend();
  #restartStrategy: RestartStrategyConfiguration | null = null;
  #failoverStrategy: FailoverStrategyKind = 'region';
  #bufferTimeoutMs: number | null = null;
  readonly #transformations: Transformation[] = [];
  readonly #counters = new Map<string, number>();

  static getExecutionEnvironment(): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment();
  }

  /** Environment-level parallelism (below an operator's own, above the client's). */
  setParallelism(parallelism: number): this {
    this.#parallelism = parallelism;
    return this;
  }

  setMaxParallelism(maxParallelism: number): this {
    this.#maxParallelism = maxParallelism;
    return this;
  }

  getConfig(): ExecutionConfig {
    return this.#config;
  }

  /**
   * Flink's setBufferTimeout: the longest a partial network buffer waits before it is sent,
   * in virtual ms; 0 sends every record at once, -1 only full buffers (and events). Without
   * it, a partial buffer leaves at the end of its producer's step (Weir's default).
   * @example env.setBufferTimeout(100); // Flink's default execution.buffer-timeout
   */
  setBufferTimeout(timeoutMs: number): this {
    this.#bufferTimeoutMs = checkedBufferTimeout(timeoutMs);
    return this;
  }

  getBufferTimeout(): number | null {
    return this.#bufferTimeoutMs;
  }

  /**
   * Turns checkpointing on: a checkpoint every `intervalMs` virtual ms (at least 10, as in
   * Flink), in `mode` when given (else the CheckpointConfig's, exactly-once by default).
   * @example env.enableCheckpointing(1000, 'at-least-once')
   */
  enableCheckpointing(intervalMs: number, mode?: CheckpointingMode): this {
    this.#checkpointConfig.setCheckpointInterval(intervalMs);
    if (mode !== undefined) this.#checkpointConfig.setCheckpointingMode(mode);
    return this;
  }

  /** The checkpointing settings, to change with its setters. */
  getCheckpointConfig(): CheckpointConfig {
    return this.#checkpointConfig;
  }

  /** `HashMapStateBackend` (the default) or `EmbeddedRocksDBStateBackend`. */
  setStateBackend(backend: StateBackend): this {
    if (!(backend instanceof HashMapStateBackend) && !(backend instanceof EmbeddedRocksDBStateBackend)) {
      throw new RangeError('setStateBackend: expected a HashMapStateBackend or an EmbeddedRocksDBStateBackend');
    }
    this.#stateBackend = backend;
    return this;
  }

  getStateBackend(): StateBackend {
    return this.#stateBackend;
  }

  /** A strategy from `RestartStrategies`; none set: Flink's default (exponential-delay with checkpointing, no restart without). */
  setRestartStrategy(strategy: RestartStrategyConfiguration): this {
    const known = ['fixed-delay', 'failure-rate', 'exponential-delay', 'none', 'fallback'];
    if (typeof strategy !== 'object' || strategy === null || !known.includes(strategy.type)) {
      throw new RangeError('setRestartStrategy: expected a strategy made by RestartStrategies (fixedDelayRestart, failureRateRestart, exponentialDelayRestart, noRestart, fallBackRestart)');
    }
    this.#restartStrategy = strategy;
    return this;
  }

  /** The strategy set, or null (Flink's default applies). */
  getRestartStrategy(): RestartStrategyConfiguration | null {
    return this.#restartStrategy;
  }

  /**
   * A Weir extension mirroring Flink's jobmanager.execution.failover-strategy (default
   * `region`): after a task fails, restart only its pipelined region, or (`full`) every task.
   */
  setFailoverStrategy(strategy: FailoverStrategyKind): this {
    if (strategy !== 'region' && strategy !== 'full') throw new RangeError(`setFailoverStrategy: expected 'region' or 'full', found ${JSON.stringify(strategy)}`);
    this.#failoverStrategy = strategy;
    return this;
  }

  getFailoverStrategy(): FailoverStrategyKind {
    return this.#failoverStrategy;
  }

  /** A test source emitting items in order (parallelism 1), like a scenario's `sequence`. */
  fromSequence(items: readonly SequenceItemSpec[], name = 'Sequence Source'): DataStream {
    const t = this.add('source', name, { kind: 'source', create: () => new SequenceSource(items) }, []);
    t.parallelism = 1;
    return new DataStream(this, [{ from: t.id, partitioner: null }], t, null);
  }

  /** Values without timestamps, emitted in order (Flink's fromElements). */
  fromElements(...values: JsonValue[]): DataStream {
    return this.fromSequence(values.map((value) => ({ kind: 'record', value, timestamp: null })), 'Collection Source');
  }

  /** Reads a topic, like Flink's KafkaSource (bounded unless `bounded: false`). */
  fromSource(topic: Topic, strategy: WatermarkStrategy, name: string, options: { bounded?: boolean } = {}): DataStream {
    const assigner = strategy.timestampAssigner;
    const id = this.nextId('source');
    const timestamp = assigner === null ? null : guarded<JsonValue>(id, assigner);
    const bounded = options.bounded ?? true;
    const create = () => new TopicSource({ topic, watermarks: strategy.spec, timestamp, bounded, autoWatermarkIntervalMs: this.#config.autoWatermarkIntervalMs });
    const t = this.addWithId(id, `Source: ${name}`, { kind: 'source', create }, [], false);
    return new DataStream(this, [{ from: t.id, partitioner: null }], t, null);
  }

  /** @internal Declares an operator; DataStream methods call this. */
  add(kind: string, name: string, factory: OperatorFactory, inputs: Transformation['inputs'], isSink = false): Transformation {
    return this.addWithId(this.nextId(kind), name, factory, inputs, isSink);
  }

  private addWithId(id: string, name: string, factory: OperatorFactory, inputs: Transformation['inputs'], isSink: boolean): Transformation {
    const t: Transformation = { id, name, parallelism: null, factory, inputs, isSink };
    this.#transformations.push(t);
    return t;
  }

  private nextId(kind: string): string {
    const n = (this.#counters.get(kind) ?? 0) + 1;
    this.#counters.set(kind, n);
    return `${kind}-${n}`;
  }

  /**
   * The StreamGraph of everything declared so far, with the fault-tolerance settings in
   * `config.faultTolerance`. Throws a JobGraphError on checkpoint settings that do not go
   * together (unaligned checkpoints under at-least-once, or with concurrent checkpoints),
   * as Flink's job submission does.
   */
  getStreamGraph(jobName = 'Weir Streaming Job'): StreamGraph {
    const faultTolerance: FaultToleranceConfig = {
      checkpointing: this.#checkpointConfig.toCheckpointingSpec(),
      stateBackend: this.#stateBackend.kind,
      restartStrategy: this.#restartStrategy,
      failoverStrategy: this.#failoverStrategy,
    };
    const walSink = this.#transformations.find((t) => t.needsCheckpointing !== undefined);
    if (walSink !== undefined && faultTolerance.checkpointing === null) throw new RangeError(`sink '${walSink.id}': ${walSink.needsCheckpointing!}`);
    const nodes: StreamNode[] = this.#transformations.map((t) => {
      const hashed = t.inputs.find((i) => i.partitioner?.type === 'hash')?.partitioner;
      const keySelector = t.keySelector !== undefined ? t.keySelector : hashed?.type === 'hash' ? hashed.key : null;
      return { id: t.id, name: t.name, parallelism: t.parallelism, factory: t.factory, isSink: t.isSink, keySelector, ...(t.bufferTimeoutMs === undefined ? {} : { bufferTimeoutMs: t.bufferTimeoutMs }) };
    });
    const edges: StreamEdge[] = this.#transformations.flatMap((t) =>
      t.inputs.map((i) => ({ from: i.from, to: t.id, partitioner: i.partitioner, ...(i.logicalInput === undefined ? {} : { logicalInput: i.logicalInput }) })),
    );
    return {
      config: { jobName, parallelism: this.#parallelism, maxParallelism: this.#maxParallelism, autoWatermarkIntervalMs: this.#config.autoWatermarkIntervalMs, bufferTimeoutMs: this.#bufferTimeoutMs, faultTolerance },
      nodes,
      edges,
    };
  }
}
