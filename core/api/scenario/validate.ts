/**
 * Scenario validation: untrusted JSON in, a typed `Scenario` or every mistake out. Each
 * issue names the file, the JSON path and the problem, so a teacher editing a scenario by
 * hand sees exactly where to look. Expressions are parsed here, so a syntax error is a
 * validation error with its column, not a failure halfway through a run.
 */
import { compileExpression, ExprSyntaxError, staticKindOf } from '../../expr/index.ts';
import { buildJobGraph, DEFAULT_FAULT_TOLERANCE, JobGraphError, type StreamGraph } from '../../graph/index.ts';
import { scenarioToStreamGraph } from './to-stream-graph.ts';
import { MAX_TIME_MS, type JsonValue } from '../../model/index.ts';
import { MAX_WINDOW_ASSIGNMENTS } from '../../operators/index.ts';
import { checkJobShape } from './job-shape.ts';
import { MAX_NESTING, tooDeepAt } from './nesting.ts';
import { scanJsonText } from './json-text.ts';
import { child, describe, Reader, type Obj } from './reader.ts';
import { readBounded, readWatermarks } from './read-source.ts';
import { readTopics } from './read-topics.ts';
import { checkExpectedNames, readExpect } from './read-expect.ts';
import { FAULT_TOLERANCE_FIELDS, readFaultTolerance, readMs, readReplacementDelay } from './read-fault-tolerance.ts';
import { readFaults } from './read-faults.ts';
import { readSink } from './read-sink.ts';
import { readActions } from './read-actions.ts';
import { readWindowFields, WINDOW_FIELDS } from './read-window.ts';
import { PROCESS_FIELDS, readProcessFields } from './read-process.ts';
import { DEDUP_FIELDS, readDedupFilter } from './read-dedup.ts';
import { CO_GROUP_FIELDS, CONNECT_FIELDS, INTERVAL_JOIN_FIELDS, readConnect, readIntervalJoin, readWindowJoin, WINDOW_JOIN_FIELDS } from './read-two-input.ts';
import {
  generatedRecordCount,
  SCENARIO_FORMAT,
  type ClusterSpec,
  type JobConfigSpec,
  type OperatorSpec,
  type Scenario,
  type ScenarioResult,
  type SequenceItem,
  type ValidationIssue,
} from './types.ts';

/** Event times and watermarks Weir accepts (see MAX_TIME_MS). */
export const TIME_RANGE = { min: -MAX_TIME_MS, max: MAX_TIME_MS };

/** Flink's default and upper bound for maxParallelism. */
export const MAX_MAX_PARALLELISM = 32768;
const MAX_OPERATORS = 1000;
const MAX_SEQUENCE_ITEMS = 1_000_000;

const TOP_LEVEL = ['format', 'name', 'description', 'seed', 'cluster', 'config', 'topics', 'job', 'faults', 'actions', 'run', 'expect'] as const;
export const OPERATOR_TYPES = ['sequence', 'source', 'map', 'filter', 'flatMap', 'keyBy', 'union', 'window', 'windowAll', 'process', 'dedup', 'connect', 'intervalJoin', 'windowJoin', 'coGroup', 'sink'] as const;
/** Operator types of the format that this version does not run yet (none at the moment). */
const OPERATOR_TYPES_LATER: readonly string[] = [];

/**
 * What the caller adds to the file, so that validation can check what depends on it and
 * `weir validate` and `weir run` agree. `untilGiven`: the run gets an end time from
 * elsewhere (`weir run --until`).
 */
export interface ValidationOptions {
  untilGiven?: boolean;
  /**
   * The client the run will have: its parallelism (`weir run --parallelism`; null: the system
   * default 1). Given, validation also builds the JobGraph, so that every limit the graph
   * checks (subtasks, channels, maxParallelism) is reported here; absent, those are checked
   * when the run starts.
   */
  client?: { parallelism: number | null };
  /**
   * Also generates the topics that sources read (their `generator`), from the scenario's
   * seed, as the run does before it starts: a generator's value expression that fails on some
   * record is then reported here, at its path, with the run's message. `weir validate` sets
   * it; `weir run` need not, since the run generates them and reports the same issue.
   * Generation is bounded by the limit on generated records (1,000,000).
   */
  generateTopics?: boolean;
}

/**
 * Checks `input` (parsed JSON) against the `weir/scenario@1` format.
 * @example
 * const result = validateScenario(JSON.parse(text), 'scenarios/hello.json');
 * if (!result.ok) for (const issue of result.issues) console.error(formatIssue(issue));
 */
export function validateScenario(input: unknown, file: string, options: ValidationOptions = {}): ScenarioResult {
  const r = new Reader(file);
  const root = r.object(input, '$', 'a scenario object');
  if (root === null) return { ok: false, issues: r.issues };
  const deep = tooDeepAt(root);
  if (deep !== null) {
    r.issue(deep, `nested more than ${MAX_NESTING} levels deep (lists and objects, counting the scenario itself); Weir reads at most ${MAX_NESTING}`);
    return { ok: false, issues: r.issues };
  }

  r.onlyKeys(root, '$', TOP_LEVEL);
  if (root['format'] !== SCENARIO_FORMAT) {
    r.issue('$.format', `expected "${SCENARIO_FORMAT}", found ${root['format'] === undefined ? 'nothing' : describe(root['format'])}`);
  }
  const name = r.string(root, 'name', '$');
  const description = root['description'] === undefined ? '' : typeof root['description'] === 'string' ? root['description'] : null;
  if (description === null) r.issue('$.description', `expected a string, found ${describe(root['description'])}`);
  const seed = r.int(root, 'seed', '$', {}, 0);
  const config = readConfig(r, root['config']);
  const cluster = readCluster(r, root['cluster']);
  const topics = readTopics(r, root['topics']);
  // Topics written in the file, valid or not: a source reading one whose own mistake was reported is not reported again.
  const writtenTopics = new Set(typeof root['topics'] === 'object' && root['topics'] !== null && !Array.isArray(root['topics']) ? Object.keys(root['topics']) : []);
  const job = readJob(r, root['job'], config, topics, writtenTopics);
  const actions = readActions(r, root['actions'], config);
  const faults = readFaults(r, root['faults'], {
    operators: job?.operators ?? null,
    fileIds: operatorIdsInFile(root['job']),
    parallelism: config?.parallelism ?? null,
    clientParallelism: options.client === undefined ? null : (options.client.parallelism ?? 1),
    taskManagers: cluster.taskManagers,
    takesCheckpoints: config?.checkpointing != null || actions.some((a) => a.type !== 'resume'),
    resumes: actions.filter((a) => a.type === 'resume'),
  });
  const run = readRun(r, root['run']);
  if (run !== null && run.untilMs === null && options.untilGiven !== true) {
    // The same rule createSimulation applies, here so that validate and run agree.
    const unbounded = job?.operators.find((op) => op.type === 'source' && !op.bounded);
    if (unbounded !== undefined) r.issue(child(unbounded.path, 'bounded'), `source '${unbounded.id}' is unbounded ("bounded": false), so the job never ends: give run.until (or weir run --until)`);
  }
  const expect = readExpect(r, root['expect']);
  if (expect !== null && job !== null) checkExpectedNames(r, expect, job.operators);

  if (r.issues.length > 0 || name === null || seed === null || config === null || job === null || run === null) {
    return { ok: false, issues: r.issues };
  }
  const scenario: Scenario = {
    format: SCENARIO_FORMAT,
    name,
    description: description ?? '',
    seed,
    cluster,
    config,
    topics,
    job,
    faults,
    actions,
    run,
    expect,
    file,
  };
  const built = buildsAsRunWould(scenario, options);
  return built === null ? { ok: true, scenario } : { ok: false, issues: [built] };
}

/**
 * What the run builds before it starts, built here so that its mistakes are validation
 * issues: the generated topics (with `generateTopics`) and the JobGraph with the client's
 * parallelism (with `client`). A graph that only the flag's parallelism breaks (100,000
 * subtasks where the file sets none) is said to be the flag's, not the file's.
 */
function buildsAsRunWould(scenario: Scenario, options: ValidationOptions): ValidationIssue | null {
  const { file } = scenario;
  if (options.client === undefined && options.generateTopics !== true) return null;
  let graph: StreamGraph;
  try {
    graph = scenarioToStreamGraph(scenario, scenario.seed, { shapeOnly: options.generateTopics !== true });
  } catch (e) {
    if (e instanceof JobGraphError) return { file, path: e.path, message: e.message };
    throw e;
  }
  if (options.client === undefined) return null;
  const flag = options.client.parallelism;
  try {
    buildJobGraph(graph, { clientParallelism: flag });
    return null;
  } catch (e) {
    if (!(e instanceof JobGraphError)) throw e;
    if (flag === null || flag === 1) return { file, path: e.path, message: e.message };
    try {
      buildJobGraph(graph, { clientParallelism: null });
    } catch {
      return { file, path: e.path, message: e.message }; // the file's own mistake, whatever the flag
    }
    return { file, path: `--parallelism ${flag}`, message: e.message };
  }
}

function readCluster(r: Reader, value: unknown): ClusterSpec {
  const defaults: ClusterSpec = { taskManagers: 1, slotsPerTaskManager: 0, heartbeatTimeoutMs: 50_000, replacementDelayMs: 5_000, networkLatencyMs: 1, buffersPerChannel: 2, bufferSize: 64 };
  if (value === undefined) return defaults;
  const obj = r.object(value, '$.cluster');
  if (obj === null) return defaults;
  r.onlyKeys(obj, '$.cluster', ['taskManagers', 'slotsPerTaskManager', 'heartbeatTimeout', 'replacementDelay', 'networkLatency', 'buffersPerChannel', 'bufferSize']);
  return {
    taskManagers: r.int(obj, 'taskManagers', '$.cluster', { min: 1, max: 1024 }, 1) ?? 1,
    // 0 means "as many as the job needs", like Flink's local environment.
    slotsPerTaskManager: r.int(obj, 'slotsPerTaskManager', '$.cluster', { min: 1, max: 1024 }, 0) ?? 0,
    heartbeatTimeoutMs: r.int(obj, 'heartbeatTimeout', '$.cluster', { min: 1, max: MAX_TIME_MS }, 50_000) ?? 50_000,
    replacementDelayMs: readReplacementDelay(r, obj, '$.cluster'),
    networkLatencyMs: r.int(obj, 'networkLatency', '$.cluster', { min: 0, max: 60_000 }, 1) ?? 1,
    buffersPerChannel: r.int(obj, 'buffersPerChannel', '$.cluster', { min: 1, max: 1000 }, 2) ?? 2,
    bufferSize: r.int(obj, 'bufferSize', '$.cluster', { min: 1, max: 100_000 }, 64) ?? 64,
  };
}

function readConfig(r: Reader, value: unknown): JobConfigSpec | null {
  const defaults: JobConfigSpec = { parallelism: null, maxParallelism: null, autoWatermarkIntervalMs: 200, bufferTimeoutMs: null, ...DEFAULT_FAULT_TOLERANCE };
  if (value === undefined) return defaults;
  const obj = r.object(value, '$.config');
  if (obj === null) return null;
  r.onlyKeys(obj, '$.config', ['parallelism', 'maxParallelism', 'autoWatermarkInterval', 'bufferTimeout', ...FAULT_TOLERANCE_FIELDS]);
  const maxParallelism = r.int(obj, 'maxParallelism', '$.config', { min: 1, max: MAX_MAX_PARALLELISM }, null);
  const parallelism = readParallelism(r, obj, '$.config', maxParallelism);
  const autoWatermarkIntervalMs = r.int(obj, 'autoWatermarkInterval', '$.config', { min: 0, max: MAX_TIME_MS }, 200) ?? 200;
  const bufferTimeoutMs = readBufferTimeout(r, obj, '$.config');
  return { parallelism, maxParallelism, autoWatermarkIntervalMs, bufferTimeoutMs, ...readFaultTolerance(r, obj, '$.config') };
}

/** The ids of the operators in the file, also of those that do not validate. */
function operatorIdsInFile(job: unknown): Set<string> {
  const list = typeof job === 'object' && job !== null ? (job as Obj)['operators'] : undefined;
  if (!Array.isArray(list)) return new Set();
  return new Set(list.flatMap((item) => (typeof item === 'object' && item !== null && typeof (item as Obj)['id'] === 'string' ? [(item as Obj)['id'] as string] : [])));
}

/**
 * A `parallelism` field: at most Flink's upper bound, and at most the file's
 * config.maxParallelism when it sets one, named as such (a bare "between 1 and 1" would
 * not say where the 1 comes from).
 */
function readParallelism(r: Reader, obj: Obj, path: string, maxParallelism: number | null): number | null {
  const parallelism = r.int(obj, 'parallelism', path, { min: 1, max: MAX_MAX_PARALLELISM }, null);
  if (parallelism === null || maxParallelism === null || parallelism <= maxParallelism) return parallelism;
  r.issue(child(path, 'parallelism'), `must be at most config.maxParallelism (${maxParallelism}), found ${parallelism}`);
  return null;
}

const RUN_LIMITS = ['maxSteps', 'maxQueueSize', 'maxTraceEvents', 'maxTraceBytes'] as const;

function readRun(r: Reader, value: unknown): Scenario['run'] | null {
  if (value === undefined) return { untilMs: null };
  const obj = r.object(value, '$.run');
  if (obj === null) return null;
  r.onlyKeys(obj, '$.run', ['until', 'limits']);
  // The bound and its message are those of every duration, and of weir run --until.
  const untilMs = readMs(r, obj, 'until', '$.run', 0, null);
  if (obj['limits'] === undefined) return { untilMs };
  const given = r.object(obj['limits'], '$.run.limits', 'an object of limits, such as {"maxSteps": 100000000}');
  if (given === null) return { untilMs };
  r.onlyKeys(given, '$.run.limits', RUN_LIMITS);
  const limits: NonNullable<Scenario['run']['limits']> = {};
  for (const name of RUN_LIMITS) {
    const n = r.int(given, name, '$.run.limits', { min: 1 }, null);
    if (n !== null) limits[name] = n;
  }
  return { untilMs, limits };
}

function readJob(r: Reader, value: unknown, config: JobConfigSpec | null, topics: Scenario['topics'], writtenTopics: ReadonlySet<string>): Scenario['job'] | null {
  const job = r.object(value, '$.job', 'a job object {"name": …, "operators": [...]}');
  if (job === null) return null;
  r.onlyKeys(job, '$.job', ['name', 'operators']);
  const name = r.string(job, 'name', '$.job', 'job');
  const list = job['operators'] === undefined ? (r.issue('$.job.operators', "missing required field 'operators'"), null) : r.list(job['operators'], '$.job.operators');
  if (list === null || name === null) return null;
  if (list.length === 0) r.issue('$.job.operators', 'a job needs at least one operator');
  if (list.length > MAX_OPERATORS) r.issue('$.job.operators', `at most ${MAX_OPERATORS} operators, found ${list.length}`);
  const maxParallelism = config?.maxParallelism ?? null;
  const operators: OperatorSpec[] = [];
  list.forEach((item, i) => {
    const op = readOperator(r, item, `$.job.operators[${i}]`, maxParallelism, topics, config?.checkpointing != null, writtenTopics);
    if (op !== null) operators.push(op);
  });
  const valid = new Set(operators.map((op) => op.id));
  const otherIds = new Set(
    list.flatMap((item) => {
      const id = typeof item === 'object' && item !== null ? (item as Obj)['id'] : undefined;
      return typeof id === 'string' && !valid.has(id) ? [id] : [];
    }),
  );
  checkJobShape(r, operators, otherIds);
  checkOutputTopics(r, operators);
  checkWindowAssignments(r, operators, topics);
  return { name, operators };
}

/**
 * Window assignments a run may make: a sliding window puts each record in size / slide
 * windows, each with its own state and timer. Counted against every record of the input,
 * so that a run validate accepts cannot grow for minutes and gigabytes (size 10000, slide 1,
 * over 200,000 records would make two billion). Records an operator multiplies on the way
 * (a flatMap) are counted by the window operator as the run goes, against the same bound.
 */
export { MAX_WINDOW_ASSIGNMENTS };

function checkWindowAssignments(r: Reader, operators: readonly OperatorSpec[], topics: Scenario['topics']): void {
  let records = 0;
  for (const t of Object.values(topics)) {
    records += t.generator === null ? t.records.reduce((n, p) => n + p.length, 0) : generatedRecordCount(t.generator);
  }
  for (const op of operators) if (op.type === 'sequence') records += op.items.length;
  for (const op of operators) {
    if ((op.type !== 'window' && op.type !== 'windowAll') || op.window.assigner.type !== 'sliding') continue;
    const { sizeMs, slideMs } = op.window.assigner;
    const perRecord = Math.ceil(sizeMs / slideMs);
    if (perRecord * records > MAX_WINDOW_ASSIGNMENTS) {
      r.issue(
        child(child(op.path, 'assigner'), 'slide'),
        `operator '${op.id}': a sliding window of size ${sizeMs} every ${slideMs} ms puts each record in ${perRecord} windows, ${perRecord * records} window assignments for the ${records} input records; at most ${MAX_WINDOW_ASSIGNMENTS}: make the slide larger or the input smaller`,
      );
    }
  }
}

/** A job does not read its own output: Weir's sources read the records of `$.topics`, never what a sink wrote. */
function checkOutputTopics(r: Reader, operators: readonly OperatorSpec[]): void {
  const readers = new Map(operators.flatMap((op) => (op.type === 'source' ? [[op.topic, op.id] as const] : [])));
  for (const op of operators) {
    if (op.type !== 'sink' || !('topic' in op.sink)) continue;
    const reader = readers.get(op.sink.topic);
    if (reader !== undefined) {
      r.issue(child(child(op.path, 'sink'), 'topic'), `sink '${op.id}' writes to topic '${op.sink.topic}', which source '${reader}' reads: a job cannot read its own output here, give the sink another topic`);
    }
  }
}

const COMMON = ['id', 'type', 'name', 'parallelism', 'input', 'throughput', 'bufferTimeout'];

/** Flink's execution.buffer-timeout, of the job or of an operator: -1 sends only full buffers, 0 every record at once; null when absent. */
function readBufferTimeout(r: Reader, obj: Obj, path: string): number | null {
  return r.int(obj, 'bufferTimeout', path, { min: -1, max: MAX_TIME_MS }, null);
}

function readOperator(r: Reader, value: unknown, path: string, maxParallelism: number | null, topics: Scenario['topics'], checkpointing: boolean, writtenTopics: ReadonlySet<string>): OperatorSpec | null {
  const obj = r.object(value, path, 'an operator object');
  if (obj === null) return null;
  const id = r.string(obj, 'id', path);
  const type = r.string(obj, 'type', path);
  if (id === null || type === null) return null;
  if (!/^[A-Za-z_][\w-]*$/.test(id)) {
    r.issue(child(path, 'id'), `operator ids are ASCII letters (A-Z, a-z), digits, '_' and '-', starting with a letter or '_': ${JSON.stringify(id)}`);
    return null;
  }
  const base = {
    id,
    name: r.string(obj, 'name', path, id) ?? id,
    parallelism: readParallelism(r, obj, path, maxParallelism),
    throughput: r.int(obj, 'throughput', path, { min: 1 }, null),
    bufferTimeout: readBufferTimeout(r, obj, path),
    path,
  };
  // Flink sets a buffer timeout on an operator's output edges: a keyBy and a union are ways of connecting operators, and a sink has no output.
  if (base.bufferTimeout !== null && (type === 'keyBy' || type === 'union' || type === 'sink')) {
    r.issue(child(path, 'bufferTimeout'), type === 'sink' ? `a sink sends nothing downstream, so it has no buffer timeout` : `a ${type} is not an operator (its records leave from the operator before it): set bufferTimeout there, or config.bufferTimeout for the whole job`);
  }
  const input = (): string | null => {
    const v = obj['input'];
    if (v === undefined) {
      r.issue(child(path, 'input'), `operator '${id}' of type '${type}' needs an 'input' (the id of the operator it reads from)`);
      return null;
    }
    if (typeof v !== 'string') {
      r.issue(child(path, 'input'), `expected the id of one operator, found ${describe(v)}`);
      return null;
    }
    return v;
  };
  const expression = (key: string, options?: { bindings?: string[] }): string | null => {
    const src = r.string(obj, key, path);
    if (src === null) return null;
    try {
      compileExpression(src, options);
      return src;
    } catch (e) {
      if (e instanceof ExprSyntaxError) {
        r.issue(child(path, key), `operator '${id}': expression does not parse: ${e.message}`);
        return null;
      }
      throw e;
    }
  };

  switch (type) {
    case 'sequence': {
      r.onlyKeys(obj, path, ['id', 'type', 'name', 'parallelism', 'items', 'throughput', 'bufferTimeout']);
      if (base.parallelism !== null && base.parallelism !== 1) {
        r.issue(child(path, 'parallelism'), `a sequence source emits its items in order, so its parallelism is 1, found ${base.parallelism}`);
      }
      const items = readSequenceItems(r, obj['items'], child(path, 'items'));
      return items === null ? null : { ...base, parallelism: 1, type, items };
    }
    case 'source': {
      r.onlyKeys(obj, path, ['id', 'type', 'name', 'parallelism', 'topic', 'watermarks', 'timestamp', 'bounded', 'throughput', 'bufferTimeout']);
      const topic = r.string(obj, 'topic', path);
      if (topic !== null && !Object.hasOwn(topics, topic) && !writtenTopics.has(topic)) {
        const known = Object.keys(topics);
        r.issue(child(path, 'topic'), `operator '${id}' reads topic '${topic}', which is not in $.topics${known.length ? ` (known: ${known.join(', ')})` : ''}`);
      }
      const watermarks = readWatermarks(r, obj['watermarks'], child(path, 'watermarks'));
      const timestamp = obj['timestamp'] === undefined ? null : expression('timestamp');
      const bounded = readBounded(r, obj, path);
      if (topic === null || watermarks === null || (obj['timestamp'] !== undefined && timestamp === null)) return null;
      return { ...base, type, topic, watermarks, timestamp, bounded };
    }
    case 'union': {
      r.onlyKeys(obj, path, COMMON);
      const raw = obj['input'];
      if (!Array.isArray(raw) || raw.length < 2 || !raw.every((x) => typeof x === 'string')) {
        r.issue(child(path, 'input'), `a union reads a list of at least two operator ids, found ${describe(raw)}`);
        return null;
      }
      return { ...base, type, inputs: raw as string[] };
    }
    case 'map':
    case 'filter':
    case 'flatMap': {
      r.onlyKeys(obj, path, [...COMMON, 'expr']);
      const src = input();
      const expr = expression('expr');
      const kind = type === 'flatMap' && expr !== null ? staticKindOf(expr) : null;
      if (kind !== null && kind !== 'list') {
        r.issue(child(path, 'expr'), `operator '${id}': a flatMap's expression gives the list of records to emit, and this one is always ${kind === 'object' ? 'an object' : `a ${kind}`}: wrap it in a list, [${expr!.trim()}]`);
        return null;
      }
      return src === null || expr === null ? null : { ...base, type, input: src, expr };
    }
    case 'keyBy': {
      r.onlyKeys(obj, path, [...COMMON, 'key']);
      const src = input();
      const key = expression('key');
      return src === null || key === null ? null : { ...base, type, input: src, key };
    }
    case 'window': {
      r.onlyKeys(obj, path, [...COMMON, ...WINDOW_FIELDS]);
      const src = input();
      const window = readWindowFields(r, obj, path, id);
      return src === null || window === null ? null : { ...base, type, input: src, window };
    }
    case 'windowAll': {
      r.onlyKeys(obj, path, [...COMMON, ...WINDOW_FIELDS]);
      // Flink refuses setParallelism on a non-parallel operator: a windowAll runs at 1.
      if (base.parallelism !== null && base.parallelism !== 1) {
        r.issue(child(path, 'parallelism'), `operator '${id}': a windowAll sees the whole stream in one subtask, so its parallelism is 1 (as Flink forces), found ${base.parallelism}`);
      }
      const src = input();
      const window = readWindowFields(r, obj, path, id, true);
      return src === null || window === null ? null : { ...base, parallelism: 1, type, input: src, window };
    }
    case 'process': {
      r.onlyKeys(obj, path, [...COMMON, ...PROCESS_FIELDS]);
      const src = input();
      const process = readProcessFields(r, obj, path, id);
      return src === null || process === null ? null : { ...base, type, input: src, process };
    }
    case 'dedup': {
      r.onlyKeys(obj, path, [...COMMON, ...DEDUP_FIELDS]);
      const src = input();
      const key = expression('key');
      const filter = readDedupFilter(r, obj, path, id);
      return src === null || key === null || filter === null ? null : { ...base, type, input: src, key, filter };
    }
    case 'connect':
      r.onlyKeys(obj, path, [...COMMON, ...CONNECT_FIELDS]);
      return readConnect(r, obj, path, base);
    case 'intervalJoin':
      r.onlyKeys(obj, path, [...COMMON, ...INTERVAL_JOIN_FIELDS]);
      return readIntervalJoin(r, obj, path, base);
    case 'windowJoin':
    case 'coGroup': {
      // A window's fields that a join has not get their own message (readWindowJoin), not "unknown field".
      const { aggregate: _aggregate, process: _process, lateOutput: _lateOutput, ...rest } = obj;
      r.onlyKeys(rest, path, [...COMMON, ...(type === 'windowJoin' ? WINDOW_JOIN_FIELDS : CO_GROUP_FIELDS)]);
      return readWindowJoin(r, obj, path, base, type);
    }
    case 'sink': {
      r.onlyKeys(obj, path, [...COMMON, 'sink']);
      const src = input();
      if (obj['sink'] === undefined) {
        r.issue(child(path, 'sink'), `missing required field 'sink' (a sink description such as {"type": "print"})`);
        return null;
      }
      const sink = readSink(r, obj['sink'], child(path, 'sink'), { operatorId: id, topics, checkpointing });
      return src === null || sink === null ? null : { ...base, type, input: src, sink };
    }
    default:
      if (OPERATOR_TYPES_LATER.includes(type)) {
        r.issue(child(path, 'type'), `operator type '${type}' is part of the scenario format but not supported by this version of Weir yet`);
      } else {
        r.issue(child(path, 'type'), `unknown operator type '${type}' (known: ${OPERATOR_TYPES.join(', ')})`);
      }
      return null;
  }
}

function readSequenceItems(r: Reader, value: unknown, path: string): SequenceItem[] | null {
  if (value === undefined) {
    r.issue(path, "missing required field 'items'");
    return null;
  }
  const list = r.list(value, path);
  if (list === null) return null;
  if (list.length > MAX_SEQUENCE_ITEMS) {
    r.issue(path, `at most ${MAX_SEQUENCE_ITEMS} items, found ${list.length}`);
    return null;
  }
  const items: SequenceItem[] = [];
  let ok = true;
  let advancedMs = 0;
  list.forEach((raw, i) => {
    const itemPath = child(path, i);
    const obj = r.object(raw, itemPath, 'an item: {"value": …, "timestamp": t}, {"watermark": t} or {"advanceProcessingTime": ms}');
    if (obj === null) return void (ok = false);
    if ('value' in obj) {
      r.onlyKeys(obj, itemPath, ['value', 'timestamp']);
      const timestamp = r.int(obj, 'timestamp', itemPath, TIME_RANGE, null);
      items.push({ kind: 'record', value: obj['value'] as JsonValue, timestamp });
    } else if ('watermark' in obj) {
      r.onlyKeys(obj, itemPath, ['watermark']);
      const t = r.int(obj, 'watermark', itemPath, TIME_RANGE);
      if (t === null) ok = false;
      else items.push({ kind: 'watermark', timestamp: t });
    } else if ('advanceProcessingTime' in obj) {
      r.onlyKeys(obj, itemPath, ['advanceProcessingTime']);
      const ms = r.int(obj, 'advanceProcessingTime', itemPath, { min: 0, max: MAX_TIME_MS - advancedMs });
      if (ms === null) ok = false;
      else {
        // Summed, so that processing time stays within the range of times.
        advancedMs += ms;
        items.push({ kind: 'advance', ms });
      }
    } else {
      r.issue(itemPath, 'an item needs "value", "watermark" or "advanceProcessingTime"');
      ok = false;
    }
  });
  return ok ? items : null;
}

/** Parses scenario text; a JSON syntax error is an issue at `$` with the position. */
export function parseScenarioText(text: string, file: string, options: ValidationOptions = {}): ScenarioResult {
  // A byte order mark is not JSON, but editors write one and JSON readers skip it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, issues: [{ file, path: '$', message: `not valid JSON: ${detail}` }] };
  }
  const textIssues = scanJsonText(text, file);
  const result = validateScenario(input, file, options);
  if (textIssues.length === 0) return result;
  // An issue at a path the text scan already explained (a seed that lost precision is also
  // out of range) would say the same thing twice, less clearly.
  const explained = new Set(textIssues.map((i) => i.path));
  return { ok: false, issues: [...textIssues, ...(result.ok ? [] : result.issues.filter((i) => !explained.has(i.path)))] };
}

export type { Obj };
