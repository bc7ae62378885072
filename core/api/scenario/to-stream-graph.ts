/**
 * From a validated scenario to a StreamGraph. Each operator becomes a node, except
 * `keyBy`, which in Flink is not an operator but a way of connecting two: the edge out of
 * a keyBy carries hash partitioning by key group, and its node disappears. A `dedup` brings
 * its own: its input is hash-partitioned by its key, as if a keyBy on that key stood in
 * front of it, so that every record of one key reaches the subtask that remembers it.
 */
import { ArrayPartition, AtLeastOnceSink, generateTaxiTopic, generateTopic, IdempotentSink, TopicSource, TwoPhaseCommitSink, WriteAheadLogSink, type Topic } from '../../connectors/index.ts';
import { RandomStreams } from '../../kernel/index.ts';
import { compileExpression, ExprRuntimeError } from '../../expr/index.ts';
import { JobGraphError, type KeySelector, type Partitioner, type StreamEdge, type StreamGraph, type StreamNode } from '../../graph/index.ts';
import {
  FilterOperator,
  FlatMapOperator,
  MapOperator,
  PrintSink,
  SequenceSource,
  aggregateOf,
  aggregateSubject,
  createWindowOperator,
  namedAggregate,
  createKeyedProcessOperator,
  ProcessOperator,
  DedupOperator,
  processFunctionFromSpec,
  expressionFunction,
  broadcastProcessFunctionFromSpec,
  BroadcastProcessOperator,
  coProcessFunctionFromSpec,
  CoProcessOperator,
  IntervalJoinOperator,
  joinFunctionFromSelect,
  windowJoinFunctionFromSelect,
  coGroupFunctionFromApply,
  joinAsCoGroup,
  CoGroupWindowOperator,
  mapStateDescriptor,
  type KeyFunction,
  guarded,
  type OperatorFactory,
  CollectSink,
  type SinkFunction,
} from '../../operators/index.ts';
import { inputsOf, isTwoInput } from './job-shape.ts';
import { WINDOW_ALL_KEY_SELECTOR, windowOperatorConfig } from './window-config.ts';
import type { CoGroupSpec, ConnectSpec, IntervalJoinSpec, KeyBySpec, OperatorSpec, Scenario, SinkTargetSpec, TopicSpec, UnionSpec, WindowJoinSpec } from './types.ts';

/**
 * The key `expr` chooses. With `owner` (the keyBy, or the operator whose own key it is) a
 * failure names it and the key: the key is computed where records are partitioned, in the
 * task upstream (as Flink's KeySelector runs in the upstream's RecordWriter), so the task
 * alone would point at the wrong operator.
 * @example keySelector('user', { id: 'byUser', what: "keyBy 'byUser'" })
 */
export function keySelector(expr: string, owner: KeyOwner | null = null): KeySelector {
  const compiled = compileExpression(expr);
  if (owner === null) return { description: expr, select: (record) => compiled.evaluate(record.value, record.timestamp) };
  const select = guarded(owner.id, expressionFunction(compiled), `${owner.what}: its key ${JSON.stringify(expr)}`);
  return { description: expr, select: (record) => select(record.value, record.timestamp) };
}

/** Who a key belongs to: the operator id, and how a failure names it (`keyBy 'byUser'`, `intervalJoin 'j' (input 1)`). */
interface KeyOwner {
  readonly id: string;
  readonly what: string;
}

function ownerOf(op: OperatorSpec, input: 0 | 1 | null = null): KeyOwner {
  return { id: op.id, what: `${op.type} '${op.id}'${input === null ? '' : ` (input ${input + 1})`}` };
}

/** Hash partitioning by the key `expr` chooses. */
function hashBy(expr: string, owner: KeyOwner): Partitioner {
  return { type: 'hash', key: keySelector(expr, owner) };
}

function topicOf(spec: TopicSpec, seed: number): Topic {
  if (spec.generator?.type !== undefined) return generateTaxiTopic(spec.name, spec.partitions, spec.generator, seed);
  if (spec.generator != null) {
    try {
      return generateTopic(spec.name, spec.partitions, spec.generator, new RandomStreams(seed).stream(`topic/${spec.name}`));
    } catch (e) {
      // The value expression is the user's: a failure on some draw of the seed is the file's mistake, not Weir's.
      if (e instanceof ExprRuntimeError) throw new JobGraphError(`topic '${spec.name}': the generator's value failed with seed ${seed}: ${e.message}`, `$.topics${/^[A-Za-z_$][\w$]*$/.test(spec.name) ? `.${spec.name}` : `[${JSON.stringify(spec.name)}]`}.generator.value`);
      throw e;
    }
  }
  return { name: spec.name, partitions: spec.records.map((records) => new ArrayPartition(records)) };
}

function sinkFactory(sinkId: string, sink: SinkTargetSpec): OperatorFactory {
  switch (sink.type) {
    case 'print':
      return { kind: 'operator', create: () => new PrintSink(sinkId) };
    case 'two-phase-commit': {
      const config = { sinkId, topic: sink.topic, partitions: sink.partitions, transactionTimeoutMs: sink.transactionTimeoutMs };
      return { kind: 'operator', create: () => new TwoPhaseCommitSink(config) };
    }
    case 'write-ahead-log': {
      const config = { sinkId, topic: sink.topic, partitions: sink.partitions };
      return { kind: 'operator', create: () => new WriteAheadLogSink(config) };
    }
    case 'at-least-once': {
      const config = { sinkId, topic: sink.topic, partitions: sink.partitions };
      return { kind: 'operator', create: () => new AtLeastOnceSink(config) };
    }
    case 'idempotent': {
      const config = { sinkId, table: sink.table, key: guarded(sinkId, expressionFunction(compileExpression(sink.key))) };
      return { kind: 'operator', create: () => new IdempotentSink(config) };
    }
  }
}

function factoryOf(op: Exclude<OperatorSpec, KeyBySpec | UnionSpec>, scenario: Scenario, topics: (name: string) => Topic, keyed: boolean): OperatorFactory {
  switch (op.type) {
    case 'source': {
      const topic = topics(op.topic);
      const timestamp = op.timestamp === null ? null : guarded(op.id, expressionFunction(compileExpression(op.timestamp)));
      const config = { topic, watermarks: op.watermarks, timestamp, bounded: op.bounded, autoWatermarkIntervalMs: scenario.config.autoWatermarkIntervalMs };
      return { kind: 'source', create: () => new TopicSource(config) };
    }
    case 'sequence':
      return { kind: 'source', create: () => new SequenceSource(op.items) };
    case 'map': {
      const fn = guarded(op.id, expressionFunction(compileExpression(op.expr)));
      return { kind: 'operator', create: () => new MapOperator(fn) };
    }
    case 'filter': {
      const fn = guarded(op.id, expressionFunction(compileExpression(op.expr)));
      return { kind: 'operator', create: () => new FilterOperator(fn) };
    }
    case 'flatMap': {
      const fn = guarded(op.id, expressionFunction(compileExpression(op.expr)));
      return { kind: 'operator', create: () => new FlatMapOperator(fn) };
    }
    case 'window':
    case 'windowAll': {
      const base = windowOperatorConfig(op.window, op.type === 'windowAll');
      // Shared by the subtasks, as aggregateOf's is: an aggregate holds no state of its own.
      const subject = `${op.type} '${op.id}': its aggregate ${aggregateSubject(op.window.aggregate)}`;
      const config = { ...base, aggregateFunction: namedAggregate(base.aggregateFunction ?? aggregateOf(base.aggregate), op.id, subject) };
      return { kind: 'operator', create: () => createWindowOperator(config) };
    }
    case 'process': {
      // Compiled once and shared by the subtasks: a function with operator state is copied per subtask by its operator.
      const fn = processFunctionFromSpec(op.process);
      // Without keyed state or timers it may read a stream that is not keyed (the job-shape check saw to that): Flink's ProcessOperator.
      return { kind: 'operator', create: () => (keyed ? createKeyedProcessOperator(fn) : new ProcessOperator(fn)) };
    }
    case 'dedup': {
      const filter = op.filter;
      return { kind: 'operator', create: () => new DedupOperator(filter) };
    }
    case 'connect':
      return connectFactory(op);
    case 'intervalJoin': {
      const config = {
        bounds: op.bounds,
        keys: [keyFunction(op.keys[0], ownerOf(op, 0)), keyFunction(op.keys[1], ownerOf(op, 1))] as const,
        fn: joinFunctionFromSelect(op.select),
        leftLateTag: op.lateOutput.left,
        rightLateTag: op.lateOutput.right,
      };
      return { kind: 'two-input', create: () => new IntervalJoinOperator(config) };
    }
    case 'windowJoin':
    case 'coGroup': {
      const fn = op.type === 'windowJoin' ? joinAsCoGroup(windowJoinFunctionFromSelect(op.select)) : coGroupFunctionFromApply(op.apply);
      const config = { window: op.window, keys: [keyFunction(op.keys[0], ownerOf(op, 0)), keyFunction(op.keys[1], ownerOf(op, 1))] as const, fn };
      return { kind: 'two-input', create: () => new CoGroupWindowOperator(config) };
    }
    case 'sink':
      return sinkFactory(op.id, op.sink);
  }
}

function keyFunction(expr: string, owner: KeyOwner): KeyFunction {
  const select = keySelector(expr, owner);
  return (record) => select.select(record);
}

function connectFactory(op: ConnectSpec): OperatorFactory {
  if (op.function.kind === 'co-process') {
    // Compiled once and shared by the subtasks, as a process operator's function is.
    const fn = coProcessFunctionFromSpec(op.function.spec);
    const keys = op.keys === null ? null : ([keyFunction(op.keys[0], ownerOf(op, 0)), keyFunction(op.keys[1]!, ownerOf(op, 1))] as const);
    return { kind: 'two-input', create: () => new CoProcessOperator(fn, keys) };
  }
  const spec = op.function.spec;
  const fn = broadcastProcessFunctionFromSpec(spec);
  const descriptors = spec.broadcastState.map(mapStateDescriptor);
  const key = op.keys === null ? null : keyFunction(op.keys[0], ownerOf(op, 0));
  return { kind: 'two-input', create: () => new BroadcastProcessOperator(fn, descriptors, key) };
}

/**
 * The edges into a two-input operator, marked input 1 and input 2: hash-partitioned by the
 * operator's own keys where it has them; a broadcast connect's second input broadcast.
 */
function twoInputEdges(op: ConnectSpec | IntervalJoinSpec | WindowJoinSpec | CoGroupSpec, upstream: (id: string, p: Partitioner | null) => { from: string; partitioner: Partitioner | null }[]): StreamEdge[] {
  const partitioner = (i: 0 | 1): Partitioner | null => {
    if (op.type === 'connect' && op.function.kind === 'broadcast' && i === 1) return { type: 'broadcast' };
    const key = op.keys?.[i];
    return key === undefined ? null : hashBy(key, ownerOf(op, i));
  };
  return ([0, 1] as const).flatMap((i) => upstream(op.inputs[i], partitioner(i)).map((u) => ({ from: u.from, to: op.id, partitioner: u.partitioner, logicalInput: (i + 1) as 1 | 2 })));
}

/**
 * What a host program puts in place of a file's connectors, as a Flink deployment binds a
 * job's source and sink to its own systems: the records of a topic the file declares (with
 * as many partitions), and a function that takes the records of a sink instead of it (Flink's
 * `addSink`). The benchmark gives its generated input and its checksum this way, so that its
 * jobs are the scenario files themselves, not copies of them in TypeScript.
 * @example createSimulation({ scenario, connectors: { topics: { events: myTopic }, sinks: { out: (v) => count++ } } })
 */
export interface ScenarioConnectors {
  readonly topics?: Readonly<Record<string, Topic>>;
  readonly sinks?: Readonly<Record<string, SinkFunction>>;
}

function checkConnectors(scenario: Scenario, connectors: ScenarioConnectors): void {
  for (const [name, topic] of Object.entries(connectors.topics ?? {})) {
    const declared = Object.hasOwn(scenario.topics, name) ? scenario.topics[name]! : undefined;
    if (declared === undefined) throw new TypeError(`connectors: the scenario declares no topic '${name}'`);
    if (topic.partitions.length !== declared.partitions) {
      throw new TypeError(`connectors: topic '${name}' has ${declared.partitions} partitions in the scenario, and ${topic.partitions.length} as given`);
    }
  }
  for (const id of Object.keys(connectors.sinks ?? {})) {
    if (!scenario.job.operators.some((op) => op.id === id && op.type === 'sink')) throw new TypeError(`connectors: the job has no sink '${id}'`);
  }
}

/**
 * Builds the StreamGraph of a scenario's job (nodes in topological order). `seed` is the
 * run's seed: generated topics are made from it. `shapeOnly`: the graph is only looked at,
 * never run (validation builds its JobGraph), so topics are left empty instead of generated.
 * `connectors`: a host's topics and sinks in place of the file's.
 */
export function scenarioToStreamGraph(scenario: Scenario, seed: number = scenario.seed, options: { shapeOnly?: boolean; connectors?: ScenarioConnectors } = {}): StreamGraph {
  const connectors = options.connectors ?? {};
  checkConnectors(scenario, connectors);
  const built = new Map<string, Topic>(Object.entries(connectors.topics ?? {}));
  const topics = (name: string): Topic => {
    let topic = built.get(name);
    if (topic === undefined) built.set(name, (topic = options.shapeOnly === true ? { name, partitions: [] } : topicOf(scenario.topics[name]!, seed)));
    return topic;
  };
  const sinks = connectors.sinks ?? {};
  const factory = (op: Exclude<OperatorSpec, KeyBySpec | UnionSpec>, keyed: boolean): OperatorFactory => {
    const fn = op.type === 'sink' && Object.hasOwn(sinks, op.id) ? sinks[op.id]! : undefined;
    return fn === undefined ? factoryOf(op, scenario, topics, keyed) : { kind: 'operator', create: () => new CollectSink(op.id, fn) };
  };
  const byId = new Map(scenario.job.operators.map((op) => [op.id, op] as const));
  const nodes: StreamNode[] = [];
  const edges: StreamEdge[] = [];
  const placed = new Set<string>();

  // Follows keyBy and union links back to real operators: a keyBy sets the partitioning,
  // a union contributes one edge per input, as in Flink where neither is an operator.
  const upstream = (id: string, partitioner: Partitioner | null): { from: string; partitioner: Partitioner | null }[] => {
    const op = byId.get(id)!;
    if (op.type === 'keyBy') return upstream(op.input, partitioner ?? { type: 'hash', key: keySelector(op.key, ownerOf(op)) });
    if (op.type === 'union') return op.inputs.flatMap((input) => upstream(input, partitioner));
    return [{ from: id, partitioner }];
  };

  const place = (op: OperatorSpec): void => {
    if (placed.has(op.id)) return;
    placed.add(op.id);
    for (const input of inputsOf(op)) place(byId.get(input)!);
    if (op.type === 'keyBy' || op.type === 'union') return;
    if (isTwoInput(op)) {
      const twoInput = twoInputEdges(op, upstream);
      // Keyed when its first input is hashed by its own key: that key's selector gives the node its keyed state.
      const keySelector = op.keys === null ? null : (twoInput.find((e) => e.logicalInput === 1 && e.partitioner?.type === 'hash')?.partitioner as { key: KeySelector } | undefined)?.key ?? null;
      nodes.push({ id: op.id, name: op.name, parallelism: op.parallelism, factory: factory(op, keySelector !== null), isSink: false, keySelector, throughput: op.throughput, bufferTimeoutMs: op.bufferTimeout });
      edges.push(...twoInput);
      return;
    }
    // A dedup's own key beats a keyBy in front of it (the nearest partitioning wins, as in Flink).
    // A windowAll's one key beats it too: Flink re-keys the stream by a constant.
    const own = op.type === 'dedup' ? hashBy(op.key, ownerOf(op)) : op.type === 'windowAll' ? ({ type: 'hash', key: WINDOW_ALL_KEY_SELECTOR } as const) : null;
    const inputs = 'input' in op ? upstream(op.input, own) : [];
    const hashed = inputs.find((i) => i.partitioner?.type === 'hash')?.partitioner;
    const keySelector = hashed?.type === 'hash' ? hashed.key : null;
    nodes.push({ id: op.id, name: op.name, parallelism: op.parallelism, factory: factory(op, keySelector !== null), isSink: op.type === 'sink', keySelector, throughput: op.throughput, bufferTimeoutMs: op.bufferTimeout });
    for (const input of inputs) edges.push({ from: input.from, to: op.id, partitioner: input.partitioner });
  };
  for (const op of scenario.job.operators) place(op);

  return {
    config: {
      jobName: scenario.job.name,
      parallelism: scenario.config.parallelism,
      maxParallelism: scenario.config.maxParallelism,
      autoWatermarkIntervalMs: scenario.config.autoWatermarkIntervalMs,
      bufferTimeoutMs: scenario.config.bufferTimeoutMs,
      faultTolerance: {
        checkpointing: scenario.config.checkpointing,
        stateBackend: scenario.config.stateBackend,
        restartStrategy: scenario.config.restartStrategy,
        failoverStrategy: scenario.config.failoverStrategy,
      },
    },
    nodes,
    edges,
  };
}
