// Validation of the fault-tolerance parts of a scenario: config.checkpointing, stateBackend,
// restartStrategy, failoverStrategy, cluster.replacementDelay, faults, actions and
// expect.restarts / expect.checkpoints. Every rule is pinned by the exact JSON path of its
// issue and a fragment of its message; valid files parse to exact typed objects.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue, parseScenarioText, validateScenario, type JsonValue, type Scenario, type ValidationIssue } from '../../core/index.ts';

type Json = Record<string, JsonValue>;

// src (sequence, p 1) -> m (map, p 2) -> k (keyBy) -> w (window, p 2) -> out (print sink, p 2)
// src -> m rebalances (1 vs 2), m -> w is hash partitioned, w -> out is chained.
const OPERATORS: JsonValue[] = [
  { id: 'src', type: 'sequence', items: [{ value: 1, timestamp: 0 }] },
  { id: 'm', type: 'map', input: 'src', expr: '$' },
  { id: 'k', type: 'keyBy', input: 'm', key: '$' },
  { id: 'w', type: 'window', input: 'k', assigner: { type: 'tumbling', size: 1000 }, aggregate: 'count' },
  { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
];

function scenario(extra: Json = {}, config: Json = { parallelism: 2, checkpointing: { interval: 1000 } }, operators: JsonValue[] = OPERATORS): Json {
  return { format: 'weir/scenario@1', name: 'ft', config, cluster: { taskManagers: 2 }, job: { name: 'job', operators }, ...extra };
}
const withFaults = (...faults: JsonValue[]): Json => scenario({ faults });
const withActions = (...actions: JsonValue[]): Json => scenario({ actions });
const withConfig = (config: Json): Json => scenario({}, { parallelism: 2, ...config });
const withCheckpointing = (checkpointing: JsonValue): Json => withConfig({ checkpointing });
const withRestart = (restartStrategy: JsonValue): Json => withConfig({ restartStrategy });

function issuesOf(input: Json): ValidationIssue[] {
  const result = validateScenario(input, 'f.json');
  return result.ok ? [] : result.issues;
}

function parsed(input: Json): Scenario {
  const result = validateScenario(input, 'f.json');
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

/** [what, scenario, exact JSON path, message fragment] */
type Rule = [string, Json, string, string];

function rules(title: string, table: Rule[]): void {
  describe(title, () => {
    for (const [what, input, path, fragment] of table) {
      it(`${what}: ${path}`, () => {
        const found = issuesOf(input);
        expect(found.length, 'the scenario should be refused').toBeGreaterThan(0);
        expect(found).toContainEqual({ file: 'f.json', path, message: expect.stringContaining(fragment) });
      });
    }
  });
}

describe('valid fault-tolerance settings parse to exact typed objects', () => {
  it('fills Flink defaults when the file sets no fault tolerance at all', () => {
    const s = parsed(scenario({}, { parallelism: 2 }));
    expect(s.config).toEqual({ parallelism: 2, maxParallelism: null, autoWatermarkIntervalMs: 200, bufferTimeoutMs: null, checkpointing: null, stateBackend: 'hashmap', restartStrategy: null, failoverStrategy: 'region' });
    expect(s.cluster.replacementDelayMs).toBe(5000);
    expect(s.faults).toEqual([]);
    expect(s.actions).toEqual([]);
  });

  it('fills the defaults of config.checkpointing (Flink CheckpointConfig)', () => {
    expect(parsed(withCheckpointing({ interval: 500 })).config.checkpointing).toEqual({
      intervalMs: 500,
      mode: 'exactly-once',
      timeoutMs: 600_000,
      minPauseMs: 0,
      maxConcurrent: 1,
      unaligned: false,
      alignedCheckpointTimeoutMs: 0,
      tolerableFailures: 0,
      retained: 1,
      storage: { type: 'jobmanager', maxStateSizeBytes: 5 * 1024 * 1024 },
    });
  });

  it('fills storage defaults: jobmanager 5 MiB, filesystem no write latency', () => {
    expect(parsed(withCheckpointing({ interval: 500, storage: { type: 'jobmanager' } })).config.checkpointing?.storage).toEqual({ type: 'jobmanager', maxStateSizeBytes: 5_242_880 });
    expect(parsed(withCheckpointing({ interval: 500, storage: { type: 'filesystem' } })).config.checkpointing?.storage).toEqual({ type: 'filesystem', writeLatencyMs: 0 });
  });

  it("fills each restart strategy's omitted fields with Flink 1.19+ defaults", () => {
    expect(parsed(withRestart({ type: 'fixed-delay' })).config.restartStrategy).toEqual({ type: 'fixed-delay', attempts: 1, delayMs: 1000 });
    expect(parsed(withRestart({ type: 'failure-rate' })).config.restartStrategy).toEqual({ type: 'failure-rate', maxFailures: 1, intervalMs: 60_000, delayMs: 1000 });
    expect(parsed(withRestart({ type: 'exponential-delay' })).config.restartStrategy).toEqual({
      type: 'exponential-delay',
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      multiplier: 1.5,
      resetThresholdMs: 3_600_000,
      jitter: 0.1,
      attemptsBeforeReset: null,
    });
    expect(parsed(withRestart({ type: 'none' })).config.restartStrategy).toEqual({ type: 'none' });
    expect(parsed(withRestart({ type: 'fallback' })).config.restartStrategy).toEqual({ type: 'fallback' });
  });

  it('accepts what Flink accepts: minPause with maxConcurrent > 1, an aligned-checkpoint timeout with unaligned, fixed-delay with 0 attempts', () => {
    expect(parsed(withCheckpointing({ interval: 100, minPause: 50, maxConcurrent: 3 })).config.checkpointing).toMatchObject({ minPauseMs: 50, maxConcurrent: 3 });
    expect(parsed(withCheckpointing({ interval: 100, unaligned: true, alignedCheckpointTimeout: 30 })).config.checkpointing).toMatchObject({ unaligned: true, alignedCheckpointTimeoutMs: 30 });
    expect(parsed(withRestart({ type: 'fixed-delay', attempts: 0, delay: 0 })).config.restartStrategy).toEqual({ type: 'fixed-delay', attempts: 0, delayMs: 0 });
  });

  it('accepts cluster.replacementDelay null (a standalone cluster: no replacement)', () => {
    const s = parsed({ ...scenario(), cluster: { taskManagers: 2, replacementDelay: null } });
    expect(s.cluster.replacementDelayMs).toBeNull();
  });

  it('parses a full example: every setting, every fault type that exists today, actions and expectations', () => {
    const s = parsed(
      scenario(
        {
          cluster: { taskManagers: 3, replacementDelay: 2000 },
          faults: [
            { type: 'kill-task', operator: 'w', subtask: 1, at: 1500 },
            { type: 'kill-task', operator: 'm', afterRecords: 10 },
            { type: 'kill-taskmanager', taskManager: 'tm-3', at: 4000 },
            { type: 'throw-in-operator', operator: 'm', afterRecords: 3 },
            { type: 'throw-in-operator', operator: 'm', subtask: null, at: 10 },
            { type: 'throw-in-operator', operator: 'w', subtask: 1, at: 20 },
            { type: 'fail-checkpoint', checkpoint: 2 },
            { type: 'fail-checkpoint', checkpoint: 3, operator: 'w', subtask: 1 },
            { type: 'slow-task', operator: 'out', subtask: 1, factor: 2.5, for: 3000, at: 100 },
            { type: 'network-delay', from: 'm', to: 'w', extra: 50, for: 1000, at: 200 },
            { type: 'network-delay', from: 'src', to: 'm', extra: 5, for: 10, afterRecords: 1 },
            { type: 'crash-at', operator: 'w', point: 'snapshot' },
            { type: 'crash-at', operator: 'out', subtask: 1, point: 'after-ack', checkpoint: 4 },
          ],
          actions: [
            { at: 2500, type: 'savepoint' },
            { at: 5000, type: 'stop-with-savepoint' },
            { at: 5000, type: 'resume', parallelism: 4 },
            { at: 9000, type: 'stop-with-savepoint' },
            { at: 9500, type: 'resume' },
          ],
          expect: { status: 'FINISHED', restarts: 2, checkpoints: { COMPLETED: 3, FAILED: 1, ABORTED: 0 } },
        },
        {
          parallelism: 2,
          maxParallelism: 64,
          checkpointing: {
            interval: 1000,
            mode: 'exactly-once',
            timeout: 20_000,
            minPause: 100,
            maxConcurrent: 1,
            unaligned: true,
            alignedCheckpointTimeout: 50,
            tolerableFailures: 2,
            retained: 3,
            storage: { type: 'filesystem', writeLatency: 20 },
          },
          stateBackend: 'rocksdb',
          restartStrategy: { type: 'exponential-delay', initialBackoff: 100, maxBackoff: 2000, multiplier: 2, resetThreshold: 60_000, jitter: 0, attemptsBeforeReset: 5 },
          failoverStrategy: 'full',
        },
      ),
    );
    expect(s.config).toEqual({
      parallelism: 2,
      maxParallelism: 64,
      autoWatermarkIntervalMs: 200,
      bufferTimeoutMs: null,
      checkpointing: {
        intervalMs: 1000,
        mode: 'exactly-once',
        timeoutMs: 20_000,
        minPauseMs: 100,
        maxConcurrent: 1,
        unaligned: true,
        alignedCheckpointTimeoutMs: 50,
        tolerableFailures: 2,
        retained: 3,
        storage: { type: 'filesystem', writeLatencyMs: 20 },
      },
      stateBackend: 'rocksdb',
      restartStrategy: { type: 'exponential-delay', initialBackoffMs: 100, maxBackoffMs: 2000, multiplier: 2, resetThresholdMs: 60_000, jitter: 0, attemptsBeforeReset: 5 },
      failoverStrategy: 'full',
    });
    expect(s.cluster).toEqual({ taskManagers: 3, slotsPerTaskManager: 0, heartbeatTimeoutMs: 50_000, replacementDelayMs: 2000, networkLatencyMs: 1, buffersPerChannel: 2, bufferSize: 64 });
    expect(s.faults).toEqual([
      { type: 'kill-task', operator: 'w', subtask: 1, atMs: 1500, afterRecords: null, path: '$.faults[0]' },
      { type: 'kill-task', operator: 'm', subtask: 0, atMs: null, afterRecords: 10, path: '$.faults[1]' },
      { type: 'kill-taskmanager', taskManager: 'tm-3', atMs: 4000, afterRecords: null, path: '$.faults[2]' },
      { type: 'throw-in-operator', operator: 'm', subtask: null, atMs: null, afterRecords: 3, path: '$.faults[3]' },
      { type: 'throw-in-operator', operator: 'm', subtask: null, atMs: 10, afterRecords: null, path: '$.faults[4]' },
      { type: 'throw-in-operator', operator: 'w', subtask: 1, atMs: 20, afterRecords: null, path: '$.faults[5]' },
      { type: 'fail-checkpoint', checkpoint: 2, operator: null, subtask: 0, atMs: 0, afterRecords: null, path: '$.faults[6]' },
      { type: 'fail-checkpoint', checkpoint: 3, operator: 'w', subtask: 1, atMs: 0, afterRecords: null, path: '$.faults[7]' },
      { type: 'slow-task', operator: 'out', subtask: 1, factor: 2.5, forMs: 3000, atMs: 100, afterRecords: null, path: '$.faults[8]' },
      { type: 'network-delay', from: 'm', to: 'w', extraMs: 50, forMs: 1000, atMs: 200, afterRecords: null, path: '$.faults[9]' },
      { type: 'network-delay', from: 'src', to: 'm', extraMs: 5, forMs: 10, atMs: null, afterRecords: 1, path: '$.faults[10]' },
      { type: 'crash-at', operator: 'w', subtask: 0, point: 'snapshot', checkpoint: null, atMs: 0, afterRecords: null, path: '$.faults[11]' },
      { type: 'crash-at', operator: 'out', subtask: 1, point: 'after-ack', checkpoint: 4, atMs: 0, afterRecords: null, path: '$.faults[12]' },
    ]);
    expect(s.actions).toEqual([
      { type: 'savepoint', atMs: 2500, path: '$.actions[0]' },
      { type: 'stop-with-savepoint', atMs: 5000, path: '$.actions[1]' },
      { type: 'resume', parallelism: 4, atMs: 5000, path: '$.actions[2]' },
      { type: 'stop-with-savepoint', atMs: 9000, path: '$.actions[3]' },
      { type: 'resume', parallelism: null, atMs: 9500, path: '$.actions[4]' },
    ]);
    expect(s.expect).toEqual({ status: 'FINISHED', sinks: {}, sideOutputs: {}, lateRecords: null, restarts: 2, checkpoints: { COMPLETED: 3, FAILED: 1, ABORTED: 0 } });
  });

  it('leaves a subtask beyond an unknown (client) parallelism to the runtime', () => {
    const s = parsed(scenario({ faults: [{ type: 'kill-task', operator: 'm', subtask: 7, at: 0 }] }, { checkpointing: { interval: 100 } }));
    expect(s.faults[0]).toMatchObject({ operator: 'm', subtask: 7 });
  });

  it('lets savepoints stand in for checkpointing: a fail-checkpoint or crash-at without config.checkpointing but with a savepoint action', () => {
    const s = parsed(
      scenario(
        { faults: [{ type: 'fail-checkpoint', checkpoint: 1 }, { type: 'crash-at', operator: 'w', point: 'snapshot' }], actions: [{ at: 100, type: 'savepoint' }] },
        { parallelism: 2 },
      ),
    );
    expect(s.faults.map((f) => f.type)).toEqual(['fail-checkpoint', 'crash-at']);
    expect(s.config.checkpointing).toBeNull();
  });

  it('does not repeat an issue for a fault on an operator that itself did not validate', () => {
    const operators = [...OPERATORS.slice(0, 1), { id: 'm', type: 'map', input: 'src', expr: '(' }, ...OPERATORS.slice(2)];
    const found = issuesOf(scenario({ faults: [{ type: 'kill-task', operator: 'm', at: 5 }] }, { parallelism: 2 }, operators));
    expect(found.map((i) => i.path)).toEqual(['$.job.operators[1].expr']);
  });

  it('validates every shipped scenario', () => {
    const root = join(import.meta.dirname, '..', '..', 'scenarios');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const file = `scenarios/${relative(root, join(root, f))}`;
      const result = parseScenarioText(readFileSync(join(root, f), 'utf8'), file);
      expect(result.ok ? [] : result.issues.map(formatIssue), file).toEqual([]);
    }
  });
});

const CP = '$.config.checkpointing';
rules('config.checkpointing', [
  ['not an object', withCheckpointing(1000), CP, 'expected checkpointing settings'],
  ['no interval', withCheckpointing({ timeout: 100 }), `${CP}.interval`, "missing required field 'interval'"],
  ['interval 0', withCheckpointing({ interval: 0 }), `${CP}.interval`, 'must be at least 1, found 0'],
  ['an unknown mode', withCheckpointing({ interval: 10, mode: 'EXACTLY_ONCE' }), `${CP}.mode`, 'expected one of "exactly-once", "at-least-once"'],
  ['timeout 0', withCheckpointing({ interval: 10, timeout: 0 }), `${CP}.timeout`, 'must be at least 1, found 0'],
  ['a negative minPause', withCheckpointing({ interval: 10, minPause: -1 }), `${CP}.minPause`, 'must be at least 0, found -'],
  ['maxConcurrent 0', withCheckpointing({ interval: 10, maxConcurrent: 0 }), `${CP}.maxConcurrent`, 'must be between 1 and'],
  ['unaligned not a boolean', withCheckpointing({ interval: 10, unaligned: 'yes' }), `${CP}.unaligned`, 'expected true or false'],
  ['unaligned at-least-once', withCheckpointing({ interval: 10, unaligned: true, mode: 'at-least-once' }), `${CP}.unaligned`, 'unaligned checkpoints need mode "exactly-once"'],
  ['unaligned with concurrent checkpoints', withCheckpointing({ interval: 10, unaligned: true, maxConcurrent: 2 }), `${CP}.unaligned`, 'unaligned checkpoints need maxConcurrent 1'],
  ['an aligned-checkpoint timeout without unaligned', withCheckpointing({ interval: 10, alignedCheckpointTimeout: 5 }), `${CP}.alignedCheckpointTimeout`, 'needs "unaligned": true'],
  ['a negative aligned-checkpoint timeout', withCheckpointing({ interval: 10, unaligned: true, alignedCheckpointTimeout: -1 }), `${CP}.alignedCheckpointTimeout`, 'must be at least 0, found -'],
  ['negative tolerableFailures', withCheckpointing({ interval: 10, tolerableFailures: -1 }), `${CP}.tolerableFailures`, 'must be at least 0'],
  ['retained 0', withCheckpointing({ interval: 10, retained: 0 }), `${CP}.retained`, 'must be between 1 and'],
  ['a misspelt field', withCheckpointing({ interval: 10, intervall: 5 }), `${CP}.intervall`, "unknown field 'intervall'"],
  ['an unknown storage type', withCheckpointing({ interval: 10, storage: { type: 's3' } }), `${CP}.storage.type`, "unknown checkpoint storage type 's3'"],
  ['a storage without type', withCheckpointing({ interval: 10, storage: {} }), `${CP}.storage.type`, "missing required field 'type'"],
  ['maxStateSize 0', withCheckpointing({ interval: 10, storage: { type: 'jobmanager', maxStateSize: 0 } }), `${CP}.storage.maxStateSize`, 'must be at least 1'],
  ['a negative writeLatency', withCheckpointing({ interval: 10, storage: { type: 'filesystem', writeLatency: -1 } }), `${CP}.storage.writeLatency`, 'must be at least 0, found -'],
  ['a field of the other storage', withCheckpointing({ interval: 10, storage: { type: 'filesystem', maxStateSize: 10 } }), `${CP}.storage.maxStateSize`, "unknown field 'maxStateSize'"],
]);

rules('config.stateBackend and config.failoverStrategy', [
  ['an unknown state backend', withConfig({ stateBackend: 'memory' }), '$.config.stateBackend', 'expected one of "hashmap", "rocksdb", found the string "memory"'],
  ['an unknown failover strategy', withConfig({ failoverStrategy: 'restart-all' }), '$.config.failoverStrategy', 'expected one of "region", "full"'],
  ['a misspelt config field', withConfig({ restartStrategies: { type: 'none' } }), '$.config.restartStrategies', "unknown field 'restartStrategies'"],
]);

const RS = '$.config.restartStrategy';
rules('config.restartStrategy', [
  ['not an object', withRestart('none'), RS, 'expected a restart strategy'],
  ['an unknown type', withRestart({ type: 'fixeddelay' }), `${RS}.type`, "unknown restart strategy 'fixeddelay'"],
  ['no type', withRestart({ attempts: 3 }), `${RS}.type`, "missing required field 'type'"],
  ['negative fixed-delay attempts', withRestart({ type: 'fixed-delay', attempts: -1 }), `${RS}.attempts`, 'must be at least 0'],
  ['a negative fixed-delay delay', withRestart({ type: 'fixed-delay', delay: -5 }), `${RS}.delay`, 'must be at least 0, found -'],
  ['a delay beyond the time range', withRestart({ type: 'fixed-delay', delay: 2e15 }), `${RS}.delay`, 'must be at most 1000000000000000 ms (about 31,000 years), found 2000000000000000'],
  ['a field of another strategy', withRestart({ type: 'fixed-delay', maxFailures: 3 }), `${RS}.maxFailures`, "unknown field 'maxFailures'"],
  ['failure-rate maxFailures 0', withRestart({ type: 'failure-rate', maxFailures: 0 }), `${RS}.maxFailures`, 'must be at least 1'],
  ['failure-rate interval 0', withRestart({ type: 'failure-rate', interval: 0 }), `${RS}.interval`, 'must be at least 1, found 0'],
  ['exponential initialBackoff 0', withRestart({ type: 'exponential-delay', initialBackoff: 0 }), `${RS}.initialBackoff`, 'must be at least 1, found 0'],
  ['exponential maxBackoff below initialBackoff', withRestart({ type: 'exponential-delay', initialBackoff: 500, maxBackoff: 100 }), `${RS}.maxBackoff`, 'cannot be higher than the maximum backoff (100 ms)'],
  ['exponential initialBackoff above the default maxBackoff', withRestart({ type: 'exponential-delay', initialBackoff: 120_000 }), `${RS}.initialBackoff`, "(60000 ms, Flink's default)"],
  ['exponential multiplier 1', withRestart({ type: 'exponential-delay', multiplier: 1 }), `${RS}.multiplier`, 'must be greater than 1, found 1'],
  ['exponential multiplier not a number', withRestart({ type: 'exponential-delay', multiplier: '2' }), `${RS}.multiplier`, 'expected a number'],
  ['exponential jitter above 1', withRestart({ type: 'exponential-delay', jitter: 1.5 }), `${RS}.jitter`, 'must be at least 0 and at most 1, found 1.5'],
  ['exponential resetThreshold 0', withRestart({ type: 'exponential-delay', resetThreshold: 0 }), `${RS}.resetThreshold`, 'must be at least 1, found 0'],
  ['exponential attemptsBeforeReset 0', withRestart({ type: 'exponential-delay', attemptsBeforeReset: 0 }), `${RS}.attemptsBeforeReset`, 'must be at least 1'],
  ['a field on none', withRestart({ type: 'none', attempts: 1 }), `${RS}.attempts`, "unknown field 'attempts'"],
]);

rules('cluster.replacementDelay and expect', [
  ['a negative replacement delay', { ...scenario(), cluster: { replacementDelay: -1 } }, '$.cluster.replacementDelay', 'must be at least 0, found -'],
  ['a replacement delay that is not a number', { ...scenario(), cluster: { replacementDelay: '5s' } }, '$.cluster.replacementDelay', 'expected a whole number'],
  ['negative restarts', scenario({ expect: { restarts: -1 } }), '$.expect.restarts', 'must be at least 0'],
  ['fractional restarts', scenario({ expect: { restarts: 1.5 } }), '$.expect.restarts', 'expected a whole number'],
  ['checkpoints not an object', scenario({ expect: { checkpoints: 3 } }), '$.expect.checkpoints', 'expected checkpoint counts by status'],
  ['an unknown checkpoint status', scenario({ expect: { checkpoints: { DECLINED: 1 } } }), '$.expect.checkpoints.DECLINED', "unknown field 'DECLINED' (expected one of: COMPLETED, FAILED, ABORTED)"],
  ['a negative checkpoint count', scenario({ expect: { checkpoints: { FAILED: -1 } } }), '$.expect.checkpoints.FAILED', 'must be at least 0'],
  ['a sink expectation that does not parse', scenario({ expect: { sinks: { out: { every: 'n >' } } } }), '$.expect.sinks.out.every', 'expression does not parse'],
  ['a sink expectation that is not a string', scenario({ expect: { sinks: { out: { every: true } } } }), '$.expect.sinks.out.every', 'expected a non-empty string, found boolean true'],
]);

const F = '$.faults[0]';
rules('faults: the list and its triggers', [
  ['not a list', scenario({ faults: { type: 'kill-task' } }), '$.faults', 'expected a list'],
  ['a misspelt top-level field', scenario({ fualts: [] }), '$.fualts', "unknown field 'fualts'"],
  ['more than the limit', scenario({ faults: Array.from({ length: 1001 }, () => ({ type: 'kill-task', operator: 'm', at: 1 })) }), '$.faults', 'at most 1000 faults, found 1001'],
  ['not an object', withFaults('kill-task'), F, 'expected a fault such as'],
  ['an unknown type', withFaults({ type: 'kill-job', at: 1 }), `${F}.type`, "unknown fault type 'kill-job'"],
  ['neither at nor afterRecords', withFaults({ type: 'kill-task', operator: 'm' }), F, "a kill-task fault needs 'at' (the virtual ms when it fires) or 'afterRecords'"],
  ['both at and afterRecords', withFaults({ type: 'kill-task', operator: 'm', at: 1, afterRecords: 2 }), F, 'not both'],
  ['a negative at', withFaults({ type: 'kill-task', operator: 'm', at: -1 }), `${F}.at`, 'must be at least 0, found -'],
  ['afterRecords 0', withFaults({ type: 'kill-task', operator: 'm', afterRecords: 0 }), `${F}.afterRecords`, 'must be at least 1'],
  ['crash-at with at', withFaults({ type: 'crash-at', operator: 'w', point: 'snapshot', at: 5 }), `${F}.at`, "a crash-at fault takes no 'at'"],
  ['fail-checkpoint with afterRecords', withFaults({ type: 'fail-checkpoint', checkpoint: 1, afterRecords: 5 }), `${F}.afterRecords`, "a fail-checkpoint fault takes no 'afterRecords'"],
  ['a misspelt field', withFaults({ type: 'kill-task', operator: 'm', subtsk: 1, at: 1 }), `${F}.subtsk`, "unknown field 'subtsk'"],
  ['a field of another type', withFaults({ type: 'kill-taskmanager', taskManager: 'tm-1', operator: 'm', at: 1 }), `${F}.operator`, "unknown field 'operator'"],
]);

rules('faults: what they name', [
  ['an unknown operator', withFaults({ type: 'kill-task', operator: 'mapp', at: 1 }), `${F}.operator`, "the fault names operator 'mapp', which is not an operator of this job (known: src, m, k, w, out)"],
  ['a keyBy', withFaults({ type: 'kill-task', operator: 'k', at: 1 }), `${F}.operator`, "'k' is a keyBy, which is not an operator at runtime but a connection between operators: name the operator that reads it ('w')"],
  [
    'a union',
    scenario({ faults: [{ type: 'slow-task', operator: 'u', factor: 2, for: 10, at: 0 }] }, { parallelism: 2 }, [
      { id: 'a', type: 'sequence', items: [] },
      { id: 'b', type: 'sequence', items: [] },
      { id: 'u', type: 'union', input: ['a', 'b'] },
      { id: 'out', type: 'sink', input: 'u', sink: { type: 'print' } },
    ]),
    `${F}.operator`,
    "'u' is a union, which is not an operator at runtime",
  ],
  ['no operator', withFaults({ type: 'kill-task', at: 1 }), `${F}.operator`, "missing required field 'operator'"],
  ['a subtask beyond config.parallelism', withFaults({ type: 'kill-task', operator: 'm', subtask: 2, at: 1 }), `${F}.subtask`, "operator 'm' has parallelism 2 (config.parallelism), so its subtasks are 0 to 1; found subtask 2"],
  ['a subtask of a sequence', withFaults({ type: 'kill-task', operator: 'src', subtask: 1, at: 1 }), `${F}.subtask`, "operator 'src' has parallelism 1 (a sequence runs at parallelism 1), so its only subtask is 0"],
  [
    'a subtask beyond the operator level parallelism',
    scenario({ faults: [{ type: 'kill-task', operator: 'm', subtask: 3, at: 1 }] }, { parallelism: 8, checkpointing: { interval: 100 } }, [OPERATORS[0]!, { id: 'm', type: 'map', input: 'src', expr: '$', parallelism: 3 }, ...OPERATORS.slice(2)]),
    `${F}.subtask`,
    'has parallelism 3 (its own parallelism)',
  ],
  ['a negative subtask', withFaults({ type: 'kill-task', operator: 'm', subtask: -1, at: 1 }), `${F}.subtask`, 'must be at least 0'],
  ['a TaskManager beyond the cluster', withFaults({ type: 'kill-taskmanager', taskManager: 'tm-3', at: 1 }), `${F}.taskManager`, "there is no TaskManager 'tm-3': the cluster has 2 (tm-1 to tm-2"],
  ['a TaskManager that is not named tm-N', withFaults({ type: 'kill-taskmanager', taskManager: 'tm-0', at: 1 }), `${F}.taskManager`, 'TaskManagers are named tm-1 to tm-2 (cluster.taskManagers is 2), found the string "tm-0"'],
  ['no TaskManager', withFaults({ type: 'kill-taskmanager', at: 1 }), `${F}.taskManager`, "missing required field 'taskManager'"],
]);

rules('faults: per type', [
  ['throw-in-operator on a subtask beyond the parallelism', withFaults({ type: 'throw-in-operator', operator: 'w', subtask: 5, at: 1 }), `${F}.subtask`, "operator 'w' has parallelism 2"],
  ['fail-checkpoint without a checkpoint id', withFaults({ type: 'fail-checkpoint' }), `${F}.checkpoint`, "missing required field 'checkpoint'"],
  ['fail-checkpoint of checkpoint 0', withFaults({ type: 'fail-checkpoint', checkpoint: 0 }), `${F}.checkpoint`, 'must be at least 1'],
  ['fail-checkpoint when no checkpoint is taken', scenario({ faults: [{ type: 'fail-checkpoint', checkpoint: 1 }] }, { parallelism: 2 }), F, 'a fail-checkpoint fault needs checkpoints, but this run takes none'],
  ['fail-checkpoint beyond the first source\'s subtasks', withFaults({ type: 'fail-checkpoint', checkpoint: 1, subtask: 1 }), `${F}.subtask`, "operator 'src' has parallelism 1"],
  ['fail-checkpoint on an unknown operator', withFaults({ type: 'fail-checkpoint', checkpoint: 1, operator: 'x' }), `${F}.operator`, "the fault names operator 'x'"],
  ['fail-commit on a map', withFaults({ type: 'fail-commit', operator: 'm', at: 1 }), `${F}.operator`, "operator 'm' is a map; a fail-commit needs a sink that commits (two-phase-commit or write-ahead-log)"],
  ['fail-commit on a print sink', withFaults({ type: 'fail-commit', operator: 'out', at: 1 }), `${F}.operator`, "operator 'out' is a print sink; a fail-commit needs a sink that commits"],
  ['slow-task with factor 1', withFaults({ type: 'slow-task', operator: 'm', factor: 1, for: 10, at: 1 }), `${F}.factor`, 'must be greater than 1'],
  ['slow-task without factor', withFaults({ type: 'slow-task', operator: 'm', for: 10, at: 1 }), `${F}.factor`, "missing required field 'factor'"],
  ['slow-task without for', withFaults({ type: 'slow-task', operator: 'm', factor: 3, at: 1 }), `${F}.for`, "missing required field 'for'"],
  ['slow-task for 0 ms', withFaults({ type: 'slow-task', operator: 'm', factor: 3, for: 0, at: 1 }), `${F}.for`, 'must be at least 1, found 0'],
  ['network-delay between operators that are not connected', withFaults({ type: 'network-delay', from: 'src', to: 'w', extra: 5, for: 10, at: 1 }), `${F}.to`, "operator 'w' does not read from 'src', so there is no connection between them to delay ('w' reads from 'm')"],
  ['network-delay against the flow', withFaults({ type: 'network-delay', from: 'w', to: 'm', extra: 5, for: 10, at: 1 }), `${F}.to`, "operator 'm' does not read from 'w'"],
  ['network-delay inside a chain', withFaults({ type: 'network-delay', from: 'w', to: 'out', extra: 5, for: 10, at: 1 }), F, "'w' and 'out' are chained into one task"],
  ['network-delay from a keyBy', withFaults({ type: 'network-delay', from: 'k', to: 'w', extra: 5, for: 10, at: 1 }), `${F}.from`, "'k' is a keyBy, which is not an operator at runtime"],
  ['network-delay of 0 ms', withFaults({ type: 'network-delay', from: 'm', to: 'w', extra: 0, for: 10, at: 1 }), `${F}.extra`, 'must be at least 1, found 0'],
  ['network-delay without to', withFaults({ type: 'network-delay', from: 'm', extra: 1, for: 10, at: 1 }), `${F}.to`, "missing required field 'to'"],
  ['crash-at without a point', withFaults({ type: 'crash-at', operator: 'w' }), `${F}.point`, "missing required field 'point'"],
  ['crash-at an unknown point', withFaults({ type: 'crash-at', operator: 'w', point: 'restore' }), `${F}.point`, "unknown crash point 'restore' (known: snapshot, after-ack, pre-commit, commit, after-commit, wal-send, after-wal-send)"],
  ['crash-at pre-commit of a map', withFaults({ type: 'crash-at', operator: 'm', point: 'pre-commit' }), `${F}.point`, "operator 'm' is a map; 'pre-commit' is a point of two-phase-commit sinks"],
  ['crash-at after-commit of a print sink', withFaults({ type: 'crash-at', operator: 'out', point: 'after-commit' }), `${F}.point`, "operator 'out' is a print sink; 'after-commit' is a point of two-phase-commit sinks"],
  ['crash-at wal-send of a print sink', withFaults({ type: 'crash-at', operator: 'out', point: 'wal-send' }), `${F}.point`, "operator 'out' is a print sink; 'wal-send' is a point of write-ahead-log sinks"],
  ['crash-at of checkpoint 0', withFaults({ type: 'crash-at', operator: 'w', point: 'snapshot', checkpoint: 0 }), `${F}.checkpoint`, 'must be at least 1'],
  ['crash-at when no checkpoint is taken', scenario({ faults: [{ type: 'crash-at', operator: 'w', point: 'after-ack' }] }, { parallelism: 2 }), F, 'a crash-at fault needs checkpoints'],
  ['crash-at beyond the parallelism', withFaults({ type: 'crash-at', operator: 'out', subtask: 2, point: 'snapshot' }), `${F}.subtask`, "operator 'out' has parallelism 2"],
]);

const A = '$.actions';
rules('actions', [
  ['not a list', scenario({ actions: { at: 1, type: 'savepoint' } }), A, 'expected a list'],
  ['not an object', withActions('savepoint'), `${A}[0]`, 'expected an action such as'],
  ['an unknown type', withActions({ at: 1, type: 'cancel' }), `${A}[0].type`, "unknown action type 'cancel' (known: savepoint, stop-with-savepoint, resume)"],
  ['no at', withActions({ type: 'savepoint' }), `${A}[0].at`, "missing required field 'at'"],
  ['a negative at', withActions({ at: -1, type: 'savepoint' }), `${A}[0].at`, 'must be at least 0, found -'],
  ['times that go back', withActions({ at: 2000, type: 'savepoint' }, { at: 1000, type: 'savepoint' }), `${A}[1].at`, 'this one at 1000 comes after one at 2000 ($.actions[0])'],
  ['a resume of a running job', withActions({ at: 1, type: 'resume' }), `${A}[0].type`, 'the job is not stopped here: put a stop-with-savepoint before it'],
  ['two resumes of one stop', withActions({ at: 1, type: 'stop-with-savepoint' }, { at: 2, type: 'resume' }, { at: 3, type: 'resume' }), `${A}[2].type`, 'the job is not stopped here'],
  ['a savepoint of a stopped job', withActions({ at: 1, type: 'stop-with-savepoint' }, { at: 2, type: 'savepoint' }), `${A}[1].type`, 'stopped by the stop-with-savepoint at $.actions[0]; only a resume may follow it, found a savepoint'],
  ['a second stop', withActions({ at: 1, type: 'stop-with-savepoint' }, { at: 2, type: 'stop-with-savepoint' }), `${A}[1].type`, 'only a resume may follow it, found a stop-with-savepoint'],
  ['a parallelism on a savepoint', withActions({ at: 1, type: 'savepoint', parallelism: 2 }), `${A}[0].parallelism`, 'only a resume takes a parallelism'],
  ['a resume at parallelism 0', withActions({ at: 1, type: 'stop-with-savepoint' }, { at: 2, type: 'resume', parallelism: 0 }), `${A}[1].parallelism`, 'must be between 1 and 32768'],
  [
    'a resume above config.maxParallelism',
    scenario({ actions: [{ at: 1, type: 'stop-with-savepoint' }, { at: 2, type: 'resume', parallelism: 9 }] }, { parallelism: 2, maxParallelism: 8 }),
    `${A}[1].parallelism`,
    'a job rescales at most to its maxParallelism, 8 (config.maxParallelism), found 9',
  ],
  [
    "a resume above the max parallelism Flink derived from the first run's",
    withActions({ at: 1, type: 'stop-with-savepoint' }, { at: 2, type: 'resume', parallelism: 200 }),
    `${A}[1].parallelism`,
    "its maxParallelism, 128 (Flink's default for parallelism 2, fixed by the first run; set config.maxParallelism to rescale further)",
  ],
  ['a misspelt field', withActions({ at: 1, type: 'savepoint', path: '/tmp' }), `${A}[0].path`, "unknown field 'path' (expected one of: at, type, parallelism)"],
]);
