// The DataStream API's fault-tolerance settings: each equals what the equivalent scenario
// file gives (the same FaultToleranceConfig in the StreamGraph), the defaults are Flink's,
// every setter refuses a bad value at once, the cross-setting rules are refused by
// getStreamGraph() as a scenario file refuses them, and a checkpointed keyed job survives
// a killed window subtask, the same way through both front ends.
import { describe, expect, it } from 'vitest';
import {
  createSimulation,
  EmbeddedRocksDBStateBackend,
  FileSystemCheckpointStorage,
  formatIssue,
  HashMapStateBackend,
  JobGraphError,
  JobManagerCheckpointStorage,
  RestartStrategies,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  validateScenario,
  type FaultSpec,
  type FaultToleranceConfig,
  type JsonValue,
  type Scenario,
  type SequenceItem,
} from '../../core/index.ts';
import { scenarioToStreamGraph } from '../../core/api/index.ts';
import { CHECKPOINTING_DEFAULTS, DEFAULT_FAULT_TOLERANCE } from '../../core/graph/index.ts';
import { MAX_TIME_MS } from '../../core/model/index.ts';

type Json = Record<string, JsonValue>;

/** A scenario with a minimal job and the given `config`. */
function scenarioWith(config: Json, operators?: JsonValue[], extra: Json = {}): Json {
  return {
    format: 'weir/scenario@1',
    name: 'ft',
    config,
    cluster: { taskManagers: 1 },
    job: {
      name: 'job',
      operators: operators ?? [
        { id: 'src', type: 'sequence', items: [{ value: 1, timestamp: 0 }] },
        { id: 'out', type: 'sink', input: 'src', sink: { type: 'print' } },
      ],
    },
    ...extra,
  };
}

function parsed(input: Json): Scenario {
  const result = validateScenario(input, 'f.json');
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

const fromFile = (config: Json): FaultToleranceConfig | undefined => scenarioToStreamGraph(parsed(scenarioWith(config))).config.faultTolerance;

/** An environment with a minimal job, configured by `configure`, and its FaultToleranceConfig. */
function fromApi(configure: (env: StreamExecutionEnvironment) => void): FaultToleranceConfig | undefined {
  const env = StreamExecutionEnvironment.getExecutionEnvironment();
  configure(env);
  env.fromElements(1).print();
  return env.getStreamGraph().config.faultTolerance;
}

describe('the API gives the FaultToleranceConfig of the equivalent scenario file', () => {
  const table: [string, (env: StreamExecutionEnvironment) => void, Json][] = [
    ['nothing set', () => {}, {}],
    ['an interval only', (env) => env.enableCheckpointing(500), { checkpointing: { interval: 500 } }],
    [
      'at-least-once, JobManager storage with a size, failure-rate, full failover',
      (env) => {
        env.enableCheckpointing(250, 'at-least-once');
        env.getCheckpointConfig().setCheckpointStorage(new JobManagerCheckpointStorage(1024));
        env.setRestartStrategy(RestartStrategies.failureRateRestart(2, 10_000, 300));
        env.setFailoverStrategy('full');
      },
      {
        checkpointing: { interval: 250, mode: 'at-least-once', storage: { type: 'jobmanager', maxStateSize: 1024 } },
        restartStrategy: { type: 'failure-rate', maxFailures: 2, interval: 10_000, delay: 300 },
        failoverStrategy: 'full',
      },
    ],
    [
      'every CheckpointConfig setter, filesystem storage, incremental RocksDB, fixed-delay',
      (env) => {
        env.enableCheckpointing(2000);
        const cc = env.getCheckpointConfig();
        cc.setCheckpointTimeout(30_000);
        cc.setMinPauseBetweenCheckpoints(100);
        cc.setMaxConcurrentCheckpoints(3);
        cc.setTolerableCheckpointFailureNumber(2);
        cc.setNumRetainedCheckpoints(4);
        cc.setCheckpointStorage(new FileSystemCheckpointStorage('s3://bucket/checkpoints', 20));
        env.setStateBackend(new EmbeddedRocksDBStateBackend());
        env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 1000));
      },
      {
        checkpointing: { interval: 2000, timeout: 30_000, minPause: 100, maxConcurrent: 3, tolerableFailures: 2, retained: 4, storage: { type: 'filesystem', writeLatency: 20 } },
        stateBackend: 'rocksdb',
        restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 1000 },
      },
    ],
    [
      'unaligned with an aligned-checkpoint timeout, exponential-delay with every argument',
      (env) => {
        env.enableCheckpointing(100);
        env.getCheckpointConfig().enableUnalignedCheckpoints();
        env.getCheckpointConfig().setAlignedCheckpointTimeout(30);
        env.setRestartStrategy(RestartStrategies.exponentialDelayRestart(200, 5000, 2, 60_000, 0.25, 4));
      },
      {
        checkpointing: { interval: 100, unaligned: true, alignedCheckpointTimeout: 30 },
        restartStrategy: { type: 'exponential-delay', initialBackoff: 200, maxBackoff: 5000, multiplier: 2, resetThreshold: 60_000, jitter: 0.25, attemptsBeforeReset: 4 },
      },
    ],
    [
      'a checkpoint path string, non-incremental RocksDB (runs as hashmap), noRestart',
      (env) => {
        env.enableCheckpointing(1000);
        env.getCheckpointConfig().setCheckpointStorage('file:///tmp/checkpoints');
        env.setStateBackend(new EmbeddedRocksDBStateBackend(false));
        env.setRestartStrategy(RestartStrategies.noRestart());
      },
      { checkpointing: { interval: 1000, storage: { type: 'filesystem' } }, stateBackend: 'hashmap', restartStrategy: { type: 'none' } },
    ],
    ['fallBackRestart without checkpointing', (env) => env.setRestartStrategy(RestartStrategies.fallBackRestart()), { restartStrategy: { type: 'fallback' } }],
    [
      'exponentialDelayRestart without attemptsBeforeReset, HashMapStateBackend, region failover',
      (env) => {
        env.setRestartStrategy(RestartStrategies.exponentialDelayRestart(1000, 60_000, 1.5, 3_600_000, 0.1));
        env.setStateBackend(new HashMapStateBackend());
        env.setFailoverStrategy('region');
      },
      { restartStrategy: { type: 'exponential-delay' }, stateBackend: 'hashmap', failoverStrategy: 'region' },
    ],
  ];
  for (const [what, configure, config] of table) {
    it(what, () => {
      const file = fromFile(config);
      expect(file).toBeDefined();
      expect(fromApi(configure)).toEqual(file);
    });
  }
});

describe("defaults are Flink's", () => {
  it('an environment that sets nothing gives DEFAULT_FAULT_TOLERANCE', () => {
    expect(fromApi(() => {})).toEqual(DEFAULT_FAULT_TOLERANCE);
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    expect(env.getStateBackend().kind).toBe('hashmap');
    expect(env.getRestartStrategy()).toBeNull();
    expect(env.getFailoverStrategy()).toBe('region');
  });

  it("the CheckpointConfig's getters before anything is set", () => {
    const cc = StreamExecutionEnvironment.getExecutionEnvironment().getCheckpointConfig();
    expect(cc.isCheckpointingEnabled()).toBe(false);
    expect(cc.getCheckpointInterval()).toBe(-1);
    expect(cc.getCheckpointingMode()).toBe('exactly-once');
    expect(cc.getCheckpointTimeout()).toBe(600_000);
    expect(cc.getMinPauseBetweenCheckpoints()).toBe(0);
    expect(cc.getMaxConcurrentCheckpoints()).toBe(1);
    expect(cc.isUnalignedCheckpointsEnabled()).toBe(false);
    expect(cc.getAlignedCheckpointTimeout()).toBe(0);
    expect(cc.getTolerableCheckpointFailureNumber()).toBe(0);
    expect(cc.getNumRetainedCheckpoints()).toBe(1);
    expect(cc.getCheckpointStorage().spec).toEqual({ type: 'jobmanager', maxStateSizeBytes: 5 * 1024 * 1024 });
  });

  it('enableCheckpointing(interval) fills the rest with CHECKPOINTING_DEFAULTS and returns the environment', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    expect(env.enableCheckpointing(1000)).toBe(env);
    expect(fromApi((e) => e.enableCheckpointing(1000))?.checkpointing).toEqual({ intervalMs: 1000, ...CHECKPOINTING_DEFAULTS });
  });

  it('enableCheckpointing without a mode keeps the mode already set; with one, sets it', () => {
    const kept = fromApi((env) => {
      env.getCheckpointConfig().setCheckpointingMode('at-least-once');
      env.enableCheckpointing(1000);
    });
    expect(kept?.checkpointing?.mode).toBe('at-least-once');
    expect(fromApi((env) => env.enableCheckpointing(1000, 'at-least-once').enableCheckpointing(1000, 'exactly-once'))?.checkpointing?.mode).toBe('exactly-once');
  });

  it('disableCheckpointing turns it off again: checkpointing null', () => {
    expect(fromApi((env) => env.enableCheckpointing(1000).getCheckpointConfig().disableCheckpointing())?.checkpointing).toBeNull();
  });

  it('storage and backend defaults: 5 MiB, no write latency, incremental RocksDB', () => {
    expect(new JobManagerCheckpointStorage().getMaxStateSize()).toBe(5 * 1024 * 1024);
    expect(new FileSystemCheckpointStorage('hdfs:///cp').spec).toEqual({ type: 'filesystem', writeLatencyMs: 0 });
    expect(new FileSystemCheckpointStorage('hdfs:///cp').getCheckpointPath()).toBe('hdfs:///cp');
    expect(new EmbeddedRocksDBStateBackend().isIncrementalCheckpointsEnabled()).toBe(true);
    expect(new EmbeddedRocksDBStateBackend().kind).toBe('rocksdb');
    expect(new EmbeddedRocksDBStateBackend(false).kind).toBe('hashmap');
  });

  it('settings made after the interval still count (they are read by getStreamGraph)', () => {
    const ft = fromApi((env) => {
      env.enableCheckpointing(1000);
      env.getCheckpointConfig().setCheckpointInterval(700);
      env.getCheckpointConfig().setCheckpointTimeout(50);
    });
    expect(ft?.checkpointing).toMatchObject({ intervalMs: 700, timeoutMs: 50 });
  });
});

describe('every setter refuses a bad value at once, with a clear message', () => {
  const cc = () => StreamExecutionEnvironment.getExecutionEnvironment().getCheckpointConfig();
  const env = () => StreamExecutionEnvironment.getExecutionEnvironment();
  const table: [string, () => unknown, string][] = [
    ['enableCheckpointing below 10 ms', () => env().enableCheckpointing(9), 'setCheckpointInterval: the checkpoint interval must be at least 10 ms'],
    ['enableCheckpointing 0', () => env().enableCheckpointing(0), 'at least 10 ms'],
    ['enableCheckpointing a fraction', () => env().enableCheckpointing(1000.5), 'must be a whole number of ms, found 1000.5'],
    ['enableCheckpointing beyond MAX_TIME_MS', () => env().enableCheckpointing(MAX_TIME_MS + 1), `at most ${MAX_TIME_MS} ms`],
    ['enableCheckpointing an unknown mode', () => env().enableCheckpointing(1000, 'twice' as never), `setCheckpointingMode: the mode must be one of 'exactly-once', 'at-least-once', found "twice"`],
    ['setCheckpointInterval below 10 ms', () => cc().setCheckpointInterval(5), "(Flink's MINIMAL_CHECKPOINT_TIME), found 5"],
    ['setCheckpointingMode an unknown mode', () => cc().setCheckpointingMode('EXACTLY_ONCE' as never), 'found "EXACTLY_ONCE"'],
    ['setCheckpointTimeout below 10 ms', () => cc().setCheckpointTimeout(9), 'setCheckpointTimeout: the checkpoint timeout must be at least 10 ms'],
    ['setMinPauseBetweenCheckpoints negative', () => cc().setMinPauseBetweenCheckpoints(-1), 'setMinPauseBetweenCheckpoints: the pause between checkpoints must be at least 0 ms, found -1'],
    ['setMinPauseBetweenCheckpoints a fraction', () => cc().setMinPauseBetweenCheckpoints(0.5), 'whole number of ms'],
    ['setMaxConcurrentCheckpoints 0', () => cc().setMaxConcurrentCheckpoints(0), 'setMaxConcurrentCheckpoints: the maximum number of concurrent checkpoints must be between 1 and 1000, found 0'],
    ['setMaxConcurrentCheckpoints above the limit', () => cc().setMaxConcurrentCheckpoints(1001), 'between 1 and 1000, found 1001'],
    ['enableUnalignedCheckpoints not a boolean', () => cc().enableUnalignedCheckpoints('yes' as never), 'enableUnalignedCheckpoints: expected true or false, found "yes"'],
    ['setAlignedCheckpointTimeout negative', () => cc().setAlignedCheckpointTimeout(-1), 'setAlignedCheckpointTimeout: the aligned checkpoint timeout must be at least 0 ms, found -1'],
    ['setTolerableCheckpointFailureNumber negative', () => cc().setTolerableCheckpointFailureNumber(-1), 'setTolerableCheckpointFailureNumber: the number of tolerable checkpoint failures must be at least 0, found -1'],
    ['setTolerableCheckpointFailureNumber a fraction', () => cc().setTolerableCheckpointFailureNumber(1.5), 'must be a whole number, found 1.5'],
    ['setNumRetainedCheckpoints 0', () => cc().setNumRetainedCheckpoints(0), 'setNumRetainedCheckpoints: the number of retained checkpoints must be between 1 and 1000, found 0'],
    ['setCheckpointStorage something else', () => cc().setCheckpointStorage({ spec: { type: 'jobmanager', maxStateSizeBytes: 1 } }), 'setCheckpointStorage: expected a JobManagerCheckpointStorage, a FileSystemCheckpointStorage or a path'],
    ['setCheckpointStorage an empty path', () => cc().setCheckpointStorage(''), 'FileSystemCheckpointStorage: the checkpoint path must be a non-empty string, found ""'],
    ['JobManagerCheckpointStorage of size 0', () => new JobManagerCheckpointStorage(0), 'JobManagerCheckpointStorage: the maximum state size must be at least 1, found 0'],
    ['FileSystemCheckpointStorage with a negative write latency', () => new FileSystemCheckpointStorage('p', -5), 'FileSystemCheckpointStorage: the write latency must be at least 0 ms, found -5'],
    ['fixedDelayRestart negative attempts', () => RestartStrategies.fixedDelayRestart(-1, 0), 'fixedDelayRestart: the number of restart attempts must be at least 0, found -1'],
    ['fixedDelayRestart a fraction of attempts', () => RestartStrategies.fixedDelayRestart(1.5, 0), 'must be a whole number, found 1.5'],
    ['fixedDelayRestart a negative delay', () => RestartStrategies.fixedDelayRestart(1, -1), 'fixedDelayRestart: the delay between attempts must be at least 0 ms, found -1'],
    ['failureRateRestart 0 failures', () => RestartStrategies.failureRateRestart(0, 1000, 0), 'failureRateRestart: the number of failures per interval must be at least 1, found 0'],
    ['failureRateRestart a 0 interval', () => RestartStrategies.failureRateRestart(1, 0, 0), 'failureRateRestart: the failure interval must be at least 1 ms, found 0'],
    ['failureRateRestart a negative delay', () => RestartStrategies.failureRateRestart(1, 1000, -1), 'failureRateRestart: the delay must be at least 0 ms, found -1'],
    ['exponentialDelayRestart initial backoff 0', () => RestartStrategies.exponentialDelayRestart(0, 1000, 2, 1000, 0), 'exponentialDelayRestart: the initial backoff must be at least 1 ms, found 0'],
    ['exponentialDelayRestart max backoff 0', () => RestartStrategies.exponentialDelayRestart(1, 0, 2, 1000, 0), 'the maximum backoff must be at least 1 ms, found 0'],
    ['exponentialDelayRestart initial above max', () => RestartStrategies.exponentialDelayRestart(2000, 1000, 2, 1000, 0), 'the initial backoff (2000 ms) cannot be higher than the maximum backoff (1000 ms)'],
    ['exponentialDelayRestart multiplier 1', () => RestartStrategies.exponentialDelayRestart(1, 10, 1, 1000, 0), 'the backoff multiplier must be greater than 1, found 1'],
    ['exponentialDelayRestart multiplier NaN', () => RestartStrategies.exponentialDelayRestart(1, 10, Number.NaN, 1000, 0), 'the backoff multiplier must be a finite number, found NaN'],
    ['exponentialDelayRestart reset threshold 0', () => RestartStrategies.exponentialDelayRestart(1, 10, 2, 0, 0), 'the reset backoff threshold must be at least 1 ms, found 0'],
    ['exponentialDelayRestart jitter below 0', () => RestartStrategies.exponentialDelayRestart(1, 10, 2, 1000, -0.1), 'the jitter factor must be at least 0 and at most 1, found -0.1'],
    ['exponentialDelayRestart jitter above 1', () => RestartStrategies.exponentialDelayRestart(1, 10, 2, 1000, 1.5), 'at least 0 and at most 1, found 1.5'],
    ['exponentialDelayRestart attemptsBeforeReset 0', () => RestartStrategies.exponentialDelayRestart(1, 10, 2, 1000, 0, 0), 'the attempts before reset must be at least 1, found 0'],
    ['setRestartStrategy an unknown strategy', () => env().setRestartStrategy({ type: 'sometimes' } as never), 'setRestartStrategy: expected a strategy made by RestartStrategies'],
    ['setStateBackend something else', () => env().setStateBackend({ kind: 'rocksdb', getName: () => 'mine' }), 'setStateBackend: expected a HashMapStateBackend or an EmbeddedRocksDBStateBackend'],
    ['EmbeddedRocksDBStateBackend incremental not a boolean', () => new EmbeddedRocksDBStateBackend('yes' as never), 'EmbeddedRocksDBStateBackend: incremental must be true or false, found "yes"'],
    ['setFailoverStrategy an unknown strategy', () => env().setFailoverStrategy('partial' as never), `setFailoverStrategy: expected 'region' or 'full', found "partial"`],
  ];
  for (const [what, call, fragment] of table) {
    it(what, () => {
      expect(call).toThrow(RangeError);
      expect(call).toThrow(fragment);
    });
  }

  it('a refused value leaves the setting as it was', () => {
    const e = env().enableCheckpointing(1000);
    const c = e.getCheckpointConfig();
    expect(() => e.enableCheckpointing(5)).toThrow(RangeError);
    expect(() => c.setCheckpointTimeout(1)).toThrow(RangeError);
    expect(() => c.setMaxConcurrentCheckpoints(0)).toThrow(RangeError);
    expect(() => e.setRestartStrategy(RestartStrategies.fixedDelayRestart(-1, 0))).toThrow(RangeError);
    expect([c.getCheckpointInterval(), c.getCheckpointTimeout(), c.getMaxConcurrentCheckpoints(), e.getRestartStrategy()]).toEqual([1000, 600_000, 1, null]);
  });
});

describe('getStreamGraph() refuses settings that do not go together, as a scenario file does', () => {
  const table: [string, (env: StreamExecutionEnvironment) => void, Json, string][] = [
    [
      'unaligned under at-least-once',
      (env) => env.enableCheckpointing(1000, 'at-least-once').getCheckpointConfig().enableUnalignedCheckpoints(),
      { interval: 1000, mode: 'at-least-once', unaligned: true },
      "unaligned checkpoints need the checkpointing mode 'exactly-once' (as in Flink), but the mode is 'at-least-once'",
    ],
    [
      'unaligned with 2 concurrent checkpoints',
      (env) => env.enableCheckpointing(1000).getCheckpointConfig().enableUnalignedCheckpoints().setMaxConcurrentCheckpoints(2),
      { interval: 1000, unaligned: true, maxConcurrent: 2 },
      'unaligned checkpoints need at most 1 concurrent checkpoint (as in Flink), found setMaxConcurrentCheckpoints(2)',
    ],
    [
      'an aligned-checkpoint timeout without unaligned checkpoints',
      (env) => env.enableCheckpointing(1000).getCheckpointConfig().setAlignedCheckpointTimeout(30),
      { interval: 1000, alignedCheckpointTimeout: 30 },
      'setAlignedCheckpointTimeout(30) switches an aligned checkpoint to unaligned after that long, so it needs enableUnalignedCheckpoints()',
    ],
  ];
  for (const [what, configure, checkpointing, fragment] of table) {
    it(what, () => {
      expect(() => fromApi(configure)).toThrow(JobGraphError);
      expect(() => fromApi(configure)).toThrow(fragment);
      expect(validateScenario(scenarioWith({ checkpointing }), 'f.json').ok, 'the scenario file is refused too').toBe(false);
    });
  }

  it('the setters themselves accept each half (the rule is checked when the job is built)', () => {
    const c = StreamExecutionEnvironment.getExecutionEnvironment().enableCheckpointing(1000, 'at-least-once').getCheckpointConfig();
    expect(() => c.enableUnalignedCheckpoints().setMaxConcurrentCheckpoints(2).setAlignedCheckpointTimeout(30)).not.toThrow();
  });

  it('with checkpointing off the CheckpointConfig is not read, so nothing is refused', () => {
    expect(fromApi((env) => env.getCheckpointConfig().setCheckpointingMode('at-least-once').enableUnalignedCheckpoints())?.checkpointing).toBeNull();
  });
});

describe('a checkpointed keyed job survives a killed window subtask', () => {
  // 40 records over 4 s of virtual time, keys a/b/c, a watermark every 500 ms; counted in
  // 1 s tumbling windows. Checkpoints every 1000 ms; window subtask 0 is killed at 2500 ms.
  const keys = ['a', 'b', 'c'];
  const records = Array.from({ length: 40 }, (_, i) => ({ key: keys[i % 3]!, n: i, timestamp: i * 100 }));
  const items: SequenceItem[] = records.flatMap((r) => [
    { kind: 'record' as const, value: { key: r.key, n: r.n }, timestamp: r.timestamp },
    ...(r.n % 5 === 4 ? [{ kind: 'watermark' as const, timestamp: r.timestamp }] : []),
    { kind: 'advance' as const, ms: 100 },
  ]);
  const kill = (operator: string): FaultSpec => ({ type: 'kill-task', operator, subtask: 0, atMs: 2500, afterRecords: null, path: '$.faults[0]' });

  function apiRun() {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
    env.enableCheckpointing(1000);
    env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1, 100));
    env
      .fromSequence(items)
      .keyBy((v) => (v as { key: string }).key)
      .window(TumblingEventTimeWindows.of(1000))
      .aggregate({ kind: 'count' })
      .print('out');
    const streamGraph = env.getStreamGraph('counts');
    const windowNode = streamGraph.nodes.find((n) => n.name === 'Window');
    expect(windowNode).toBeDefined();
    const sim = createSimulation({ streamGraph, faults: [kill(windowNode!.id)] });
    sim.run();
    return sim.report();
  }

  it('restarts once, from a completed checkpoint, and finishes', () => {
    const report = apiRun();
    expect(report.status, report.failureCause ?? '').toBe('FINISHED');
    expect(report.restarts).toHaveLength(1);
    expect(report.restarts[0]).toMatchObject({ at: 2500, attempt: 1, delay: 100 });
    expect(report.checkpoints.filter((c) => c.status === 'COMPLETED').length).toBeGreaterThanOrEqual(1);
    expect(report.restarts[0]!.restoredFrom).not.toBeNull();
  });

  it('gives the checkpoints, restarts and output of the equivalent scenario file', () => {
    const api = apiRun();
    const sequence = items.map((i): JsonValue => (i.kind === 'record' ? { value: i.value, timestamp: i.timestamp } : i.kind === 'watermark' ? { watermark: i.timestamp } : { advanceProcessingTime: i.ms }));
    const scenario = parsed(
      scenarioWith(
        { parallelism: 2, checkpointing: { interval: 1000 }, restartStrategy: { type: 'fixed-delay', attempts: 1, delay: 100 } },
        [
          // The ids the environment gives (kind-n), so that state and causes read the same.
          { id: 'source-1', type: 'sequence', items: sequence },
          { id: 'k', type: 'keyBy', input: 'source-1', key: 'key' },
          { id: 'window-1', type: 'window', input: 'k', assigner: { type: 'tumbling', size: 1000 }, aggregate: 'count' },
          { id: 'print-1', type: 'sink', input: 'window-1', sink: { type: 'print' } },
        ],
        { faults: [{ type: 'kill-task', operator: 'window-1', subtask: 0, at: 2500 }] },
      ),
    );
    const file = createSimulation({ scenario });
    file.run();
    const report = file.report();
    const strip = (r: typeof api) => ({
      status: r.status,
      checkpoints: r.checkpoints,
      restarts: r.restarts.map(({ tasks, ...rest }) => ({ ...rest, tasks: tasks.length })),
      out: Object.values(r.sinks)[0]!.committed,
    });
    expect(strip(api)).toEqual(strip(report));
  });
});
