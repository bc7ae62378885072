/**
 * `RestartStrategies`, Flink's factory of restart strategy settings (deprecated in Flink
 * 1.19 in favour of the `restart-strategy.*` options, but the names every Flink job knows).
 * Each factory checks its arguments at once, with the rules of the Flink strategy it
 * stands for (FixedDelayRestartBackoffTimeStrategy and the others), and returns the
 * RestartStrategySpec a scenario file's `config.restartStrategy` gives. A job that sets
 * none gets Flink's default: exponential-delay with checkpointing on, no restart without.
 *
 * @example
 * env.setRestartStrategy(RestartStrategies.fixedDelayRestart(3, 1000));
 * env.setRestartStrategy(RestartStrategies.exponentialDelayRestart(1000, 60_000, 2, 3_600_000, 0.1));
 */
import type { RestartStrategySpec } from '../../graph/index.ts';
import { requireInt, requireMs, requireNumber } from './config-checks.ts';

/** Flink's RestartStrategies.RestartStrategyConfiguration: here, the spec the runtime reads. */
export type RestartStrategyConfiguration = RestartStrategySpec;

export const RestartStrategies = {
  /** restart-strategy.type: none. The first failure fails the job. */
  noRestart(): RestartStrategyConfiguration {
    return { type: 'none' };
  },

  /** Uses the cluster's strategy; Weir's cluster sets none, so Flink's default applies. */
  fallBackRestart(): RestartStrategyConfiguration {
    return { type: 'fallback' };
  },

  /**
   * restart-strategy.type: fixed-delay. Restarts at most `restartAttempts` times (>= 0),
   * waiting `delayBetweenAttemptsMs` (>= 0) before each.
   * @example RestartStrategies.fixedDelayRestart(3, 1000)
   */
  fixedDelayRestart(restartAttempts: number, delayBetweenAttemptsMs: number): RestartStrategyConfiguration {
    const where = 'fixedDelayRestart';
    return {
      type: 'fixed-delay',
      attempts: requireInt(where, 'the number of restart attempts', restartAttempts, 0),
      delayMs: requireMs(where, 'the delay between attempts', delayBetweenAttemptsMs, 0),
    };
  },

  /**
   * restart-strategy.type: failure-rate. Restarts after each failure, waiting `delayMs`
   * (>= 0), unless more than `failureRate` (>= 1) failures fall within `failureIntervalMs`
   * (>= 1): then the job fails.
   * @example RestartStrategies.failureRateRestart(3, 60_000, 1000)
   */
  failureRateRestart(failureRate: number, failureIntervalMs: number, delayMs: number): RestartStrategyConfiguration {
    const where = 'failureRateRestart';
    return {
      type: 'failure-rate',
      maxFailures: requireInt(where, 'the number of failures per interval', failureRate, 1),
      intervalMs: requireMs(where, 'the failure interval', failureIntervalMs, 1),
      delayMs: requireMs(where, 'the delay', delayMs, 0),
    };
  },

  /**
   * restart-strategy.type: exponential-delay. The first restart waits `initialBackoffMs`,
   * each next one `backoffMultiplier` (> 1) times longer, up to `maxBackoffMs`; after
   * `resetBackoffThresholdMs` without a failure the backoff starts over. Each backoff moves
   * by up to `jitterFactor` (in [0, 1]) of itself, drawn from the run's seeded random.
   * `attemptsBeforeReset` is a Weir extension mirroring
   * restart-strategy.exponential-delay.attempts-before-reset-backoff (default unlimited),
   * which Flink's RestartStrategies does not take.
   * @example RestartStrategies.exponentialDelayRestart(1000, 60_000, 1.5, 3_600_000, 0.1)
   */
  exponentialDelayRestart(
    initialBackoffMs: number,
    maxBackoffMs: number,
    backoffMultiplier: number,
    resetBackoffThresholdMs: number,
    jitterFactor: number,
    attemptsBeforeReset: number | null = null,
  ): RestartStrategyConfiguration {
    const where = 'exponentialDelayRestart';
    requireMs(where, 'the initial backoff', initialBackoffMs, 1);
    requireMs(where, 'the maximum backoff', maxBackoffMs, 1);
    if (initialBackoffMs > maxBackoffMs) {
      throw new RangeError(`${where}: the initial backoff (${initialBackoffMs} ms) cannot be higher than the maximum backoff (${maxBackoffMs} ms)`);
    }
    return {
      type: 'exponential-delay',
      initialBackoffMs,
      maxBackoffMs,
      multiplier: requireNumber(where, 'the backoff multiplier', backoffMultiplier, { above: 1 }),
      resetThresholdMs: requireMs(where, 'the reset backoff threshold', resetBackoffThresholdMs, 1),
      jitter: requireNumber(where, 'the jitter factor', jitterFactor, { min: 0, max: 1 }),
      attemptsBeforeReset: attemptsBeforeReset === null ? null : requireInt(where, 'the attempts before reset', attemptsBeforeReset, 1),
    };
  },
} as const;
