/**
 * The fault-tolerance settings of a scenario: `config.checkpointing`, `config.stateBackend`,
 * `config.restartStrategy`, `config.failoverStrategy` and `cluster.replacementDelay`. They
 * are what a Flink job sets on its CheckpointConfig and in its configuration
 * (`execution.checkpointing.*`, `restart-strategy.*`,
 * `jobmanager.execution.failover-strategy`), and the checks are the ones Flink makes when
 * the job is built or the strategy created (an unaligned checkpoint needs exactly-once, a
 * backoff multiplier must be above 1), so a teacher meets them before the run. Fields a
 * file leaves out get Flink's defaults (1.19 and later).
 */
import {
  CHECKPOINTING_DEFAULTS,
  DEFAULT_FAULT_TOLERANCE,
  type CheckpointingMode,
  type CheckpointingSpec,
  type CheckpointStorageSpec,
  type FaultToleranceConfig,
  type RestartStrategySpec,
} from '../../graph/index.ts';
import { MAX_TIME_MS } from '../../model/index.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';

/** The fields of `config` read here (the others are read by validate.ts). */
export const FAULT_TOLERANCE_FIELDS = ['checkpointing', 'stateBackend', 'restartStrategy', 'failoverStrategy'] as const;

/**
 * A time or duration in virtual ms: a whole number >= `min`, and at most MAX_TIME_MS so that
 * adding it to a time never loses precision; `fallback` when absent (undefined: required).
 */
export function readMs(r: Reader, obj: Obj, key: string, path: string, min: number, fallback?: number | null): number | null {
  const n = r.int(obj, key, path, { min }, fallback);
  if (n === null || n <= MAX_TIME_MS) return n;
  r.issue(child(path, key), `must be at most ${MAX_TIME_MS} ms (about 31,000 years), found ${n}`);
  return null;
}

/**
 * Flink's restart-strategy defaults (RestartStrategyOptions, 1.19+) for the fields a file
 * leaves out: `restart-strategy.fixed-delay.attempts` 1, `.delay` 1 s;
 * `restart-strategy.failure-rate.max-failures-per-interval` 1, `.failure-rate-interval`
 * 1 min, `.delay` 1 s; `restart-strategy.exponential-delay.initial-backoff` 1 s,
 * `.max-backoff` 1 min, `.backoff-multiplier` 1.5, `.reset-backoff-threshold` 1 h,
 * `.jitter-factor` 0.1, `.attempts-before-reset-backoff` unlimited.
 */
export const RESTART_STRATEGY_DEFAULTS = {
  'fixed-delay': { attempts: 1, delayMs: 1_000 },
  'failure-rate': { maxFailures: 1, intervalMs: 60_000, delayMs: 1_000 },
  'exponential-delay': { initialBackoffMs: 1_000, maxBackoffMs: 60_000, multiplier: 1.5, resetThresholdMs: 3_600_000, jitter: 0.1, attemptsBeforeReset: null },
} as const;

/** The default of `cluster.replacementDelay` (not a Flink option: see readReplacementDelay). */
export const DEFAULT_REPLACEMENT_DELAY_MS = 5_000;

/** Default write latency of filesystem checkpoint storage: none, unless the file says so. */
const DEFAULT_FILESYSTEM_WRITE_LATENCY_MS = 0;

const RESTART_TYPES = ['fixed-delay', 'failure-rate', 'exponential-delay', 'none', 'fallback'];
const STORAGE_TYPES = ['jobmanager', 'filesystem'];
const CHECKPOINTING_FIELDS = ['interval', 'mode', 'timeout', 'minPause', 'maxConcurrent', 'unaligned', 'alignedCheckpointTimeout', 'tolerableFailures', 'retained', 'storage'];

/**
 * Reads the fault-tolerance fields of the `config` object `obj` (at `path`, `$.config`).
 * Absent fields get Flink's defaults; a wrong one is reported through `r` and replaced by
 * its default, so that the rest of the file is still checked.
 * @example
 * readFaultTolerance(r, { checkpointing: { interval: 1000 }, stateBackend: 'rocksdb' }, '$.config')
 * // { checkpointing: { intervalMs: 1000, mode: 'exactly-once', ... }, stateBackend: 'rocksdb', restartStrategy: null, failoverStrategy: 'region' }
 */
export function readFaultTolerance(r: Reader, obj: Obj, path: string): FaultToleranceConfig {
  return {
    checkpointing: obj['checkpointing'] === undefined ? null : readCheckpointing(r, obj['checkpointing'], child(path, 'checkpointing')),
    stateBackend: readChoice(r, obj, 'stateBackend', path, ['hashmap', 'rocksdb'], DEFAULT_FAULT_TOLERANCE.stateBackend),
    restartStrategy: obj['restartStrategy'] === undefined ? null : readRestartStrategy(r, obj['restartStrategy'], child(path, 'restartStrategy')),
    failoverStrategy: readChoice(r, obj, 'failoverStrategy', path, ['region', 'full'], DEFAULT_FAULT_TOLERANCE.failoverStrategy),
  };
}

/**
 * `cluster.replacementDelay`: how long after a TaskManager's loss is noticed a replacement
 * registers (an active resource manager starting a new pod or container); null: none comes
 * (a standalone cluster). Not a Flink option: on Kubernetes or YARN it is however long the
 * new TaskManager takes to start, and 5 s is a typical pod start.
 */
export function readReplacementDelay(r: Reader, obj: Obj, path: string): number | null {
  if (obj['replacementDelay'] === null) return null;
  return readMs(r, obj, 'replacementDelay', path, 0, DEFAULT_REPLACEMENT_DELAY_MS) ?? DEFAULT_REPLACEMENT_DELAY_MS;
}

function readChoice<T extends string>(r: Reader, obj: Obj, key: string, path: string, choices: readonly T[], fallback: T): T {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  r.issue(child(path, key), `expected one of ${choices.map((c) => `"${c}"`).join(', ')}, found ${describe(value)}`);
  return fallback;
}

/**
 * A number (not necessarily whole) with `min <= n`, `n > above` and `n <= max` as given;
 * `fallback` when absent (undefined: required).
 */
export function readNumber(r: Reader, obj: Obj, key: string, path: string, range: { above?: number; min?: number; max?: number }, fallback?: number): number | null {
  const value = obj[key];
  const at = child(path, key);
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    r.issue(at, `missing required field '${key}'`);
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    r.issue(at, `expected a number, found ${describe(value)}`);
    return null;
  }
  const low = range.above !== undefined ? `greater than ${range.above}` : range.min !== undefined ? `at least ${range.min}` : null;
  const bounds = low !== null && range.max !== undefined ? `${low} and at most ${range.max}` : (low ?? `at most ${range.max}`);
  const tooLow = (range.above !== undefined && value <= range.above) || (range.min !== undefined && value < range.min);
  if (tooLow || (range.max !== undefined && value > range.max)) {
    r.issue(at, `must be ${bounds}, found ${value}`);
    return null;
  }
  return value;
}

function readBoolean(r: Reader, obj: Obj, key: string, path: string, fallback: boolean): boolean {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value === 'boolean') return value;
  r.issue(child(path, key), `expected true or false, found ${describe(value)}`);
  return fallback;
}

function readCheckpointing(r: Reader, value: unknown, path: string): CheckpointingSpec | null {
  const obj = r.object(value, path, 'checkpointing settings such as {"interval": 1000}');
  if (obj === null) return null;
  r.onlyKeys(obj, path, CHECKPOINTING_FIELDS);
  const d = CHECKPOINTING_DEFAULTS;
  if (obj['interval'] === undefined) {
    r.issue(child(path, 'interval'), "missing required field 'interval' (virtual ms between checkpoints, Flink's execution.checkpointing.interval)");
  }
  const intervalMs = obj['interval'] === undefined ? null : readMs(r, obj, 'interval', path, 1);
  const mode = readChoice<CheckpointingMode>(r, obj, 'mode', path, ['exactly-once', 'at-least-once'], d.mode);
  const spec: CheckpointingSpec = {
    intervalMs: intervalMs ?? 1,
    mode,
    timeoutMs: readMs(r, obj, 'timeout', path, 1, d.timeoutMs) ?? d.timeoutMs,
    minPauseMs: readMs(r, obj, 'minPause', path, 0, d.minPauseMs) ?? d.minPauseMs,
    maxConcurrent: r.int(obj, 'maxConcurrent', path, { min: 1, max: 1000 }, d.maxConcurrent) ?? d.maxConcurrent,
    unaligned: readBoolean(r, obj, 'unaligned', path, d.unaligned),
    alignedCheckpointTimeoutMs: readMs(r, obj, 'alignedCheckpointTimeout', path, 0, d.alignedCheckpointTimeoutMs) ?? d.alignedCheckpointTimeoutMs,
    tolerableFailures: r.int(obj, 'tolerableFailures', path, { min: 0 }, d.tolerableFailures) ?? d.tolerableFailures,
    retained: r.int(obj, 'retained', path, { min: 1, max: 1000 }, d.retained) ?? d.retained,
    storage: obj['storage'] === undefined ? d.storage : (readStorage(r, obj['storage'], child(path, 'storage')) ?? d.storage),
  };
  // Flink refuses these when the job is built (execution.checkpointing.unaligned: "can only be
  // enabled if the mode is EXACTLY_ONCE and max-concurrent-checkpoints is 1").
  if (spec.unaligned && spec.mode !== 'exactly-once') {
    r.issue(child(path, 'unaligned'), `unaligned checkpoints need mode "exactly-once" (as in Flink), but mode is "${spec.mode}"`);
  }
  if (spec.unaligned && spec.maxConcurrent > 1) {
    r.issue(child(path, 'unaligned'), `unaligned checkpoints need maxConcurrent 1 (as in Flink), found maxConcurrent ${spec.maxConcurrent}`);
  }
  if (!spec.unaligned && spec.alignedCheckpointTimeoutMs > 0) {
    r.issue(
      child(path, 'alignedCheckpointTimeout'),
      `alignedCheckpointTimeout switches an aligned checkpoint to unaligned after that long, so it needs "unaligned": true (Flink ignores it otherwise), found ${spec.alignedCheckpointTimeoutMs}`,
    );
  }
  return intervalMs === null ? null : spec;
}

function readStorage(r: Reader, value: unknown, path: string): CheckpointStorageSpec | null {
  const obj = r.object(value, path, 'checkpoint storage such as {"type": "jobmanager"} or {"type": "filesystem", "writeLatency": 20}');
  if (obj === null) return null;
  const type = r.string(obj, 'type', path);
  if (type === null) return null;
  switch (type) {
    case 'jobmanager': {
      r.onlyKeys(obj, path, ['type', 'maxStateSize']);
      const fallback = (CHECKPOINTING_DEFAULTS.storage as Extract<CheckpointStorageSpec, { type: 'jobmanager' }>).maxStateSizeBytes;
      const maxStateSizeBytes = r.int(obj, 'maxStateSize', path, { min: 1 }, fallback);
      return maxStateSizeBytes === null ? null : { type, maxStateSizeBytes };
    }
    case 'filesystem': {
      r.onlyKeys(obj, path, ['type', 'writeLatency']);
      const writeLatencyMs = readMs(r, obj, 'writeLatency', path, 0, DEFAULT_FILESYSTEM_WRITE_LATENCY_MS);
      return writeLatencyMs === null ? null : { type, writeLatencyMs };
    }
    default:
      r.issue(child(path, 'type'), `unknown checkpoint storage type '${type}' (known: ${STORAGE_TYPES.join(', ')})`);
      return null;
  }
}

function readRestartStrategy(r: Reader, value: unknown, path: string): RestartStrategySpec | null {
  const obj = r.object(value, path, 'a restart strategy such as {"type": "fixed-delay", "attempts": 3, "delay": 1000}');
  if (obj === null) return null;
  const type = r.string(obj, 'type', path);
  if (type === null) return null;
  switch (type) {
    case 'fixed-delay': {
      const d = RESTART_STRATEGY_DEFAULTS[type];
      r.onlyKeys(obj, path, ['type', 'attempts', 'delay']);
      const attempts = r.int(obj, 'attempts', path, { min: 0 }, d.attempts);
      const delayMs = readMs(r, obj, 'delay', path, 0, d.delayMs);
      return attempts === null || delayMs === null ? null : { type, attempts, delayMs };
    }
    case 'failure-rate': {
      const d = RESTART_STRATEGY_DEFAULTS[type];
      r.onlyKeys(obj, path, ['type', 'maxFailures', 'interval', 'delay']);
      const maxFailures = r.int(obj, 'maxFailures', path, { min: 1 }, d.maxFailures);
      const intervalMs = readMs(r, obj, 'interval', path, 1, d.intervalMs);
      const delayMs = readMs(r, obj, 'delay', path, 0, d.delayMs);
      return maxFailures === null || intervalMs === null || delayMs === null ? null : { type, maxFailures, intervalMs, delayMs };
    }
    case 'exponential-delay':
      return readExponentialDelay(r, obj, path);
    case 'none':
    case 'fallback':
      r.onlyKeys(obj, path, ['type']);
      return { type };
    default:
      r.issue(child(path, 'type'), `unknown restart strategy '${type}' (known: ${RESTART_TYPES.join(', ')})`);
      return null;
  }
}

/** The checks of Flink's ExponentialDelayRestartBackoffTimeStrategy constructor. */
function readExponentialDelay(r: Reader, obj: Obj, path: string): RestartStrategySpec | null {
  const d = RESTART_STRATEGY_DEFAULTS['exponential-delay'];
  r.onlyKeys(obj, path, ['type', 'initialBackoff', 'maxBackoff', 'multiplier', 'resetThreshold', 'jitter', 'attemptsBeforeReset']);
  const initialBackoffMs = readMs(r, obj, 'initialBackoff', path, 1, d.initialBackoffMs);
  let maxBackoffMs = readMs(r, obj, 'maxBackoff', path, 1, d.maxBackoffMs);
  if (initialBackoffMs !== null && maxBackoffMs !== null && maxBackoffMs < initialBackoffMs) {
    const where = obj['maxBackoff'] === undefined ? child(path, 'initialBackoff') : child(path, 'maxBackoff');
    r.issue(where, `the initial backoff (${initialBackoffMs} ms) cannot be higher than the maximum backoff (${maxBackoffMs} ms${obj['maxBackoff'] === undefined ? ", Flink's default" : ''})`);
    maxBackoffMs = null;
  }
  const multiplier = readNumber(r, obj, 'multiplier', path, { above: 1 }, d.multiplier);
  const resetThresholdMs = readMs(r, obj, 'resetThreshold', path, 1, d.resetThresholdMs);
  const jitter = readNumber(r, obj, 'jitter', path, { min: 0, max: 1 }, d.jitter);
  const attemptsBeforeReset = r.int(obj, 'attemptsBeforeReset', path, { min: 1 }, d.attemptsBeforeReset);
  if (initialBackoffMs === null || maxBackoffMs === null || multiplier === null || resetThresholdMs === null || jitter === null) return null;
  if (obj['attemptsBeforeReset'] !== undefined && attemptsBeforeReset === null) return null;
  return { type: 'exponential-delay', initialBackoffMs, maxBackoffMs, multiplier, resetThresholdMs, jitter, attemptsBeforeReset };
}
