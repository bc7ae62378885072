/**
 * Which restart strategy a job gets (Flink's RestartBackoffTimeStrategyFactoryLoader). The
 * job's own setting wins; `fallback` (and no setting at all) defers to the cluster's, and
 * Weir's simulated cluster configures none, so it falls to Flink's built-in default: with
 * checkpointing enabled, exponential-delay with its default options (Flink 1.19+; older
 * releases used fixed-delay with unlimited attempts); with checkpointing off, no restart,
 * because a job with nothing to restore from should fail visibly rather than start over.
 */
import type { RestartStrategySpec } from '../graph/index.ts';
import type { RandomStream } from '../kernel/index.ts';
import { EXPONENTIAL_DELAY_DEFAULTS, ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay.ts';
import { FailureRateRestartBackoffTimeStrategy } from './failure-rate.ts';
import { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay.ts';
import { NoRestartBackoffTimeStrategy } from './no-restart.ts';
import type { RestartBackoffTimeStrategy } from './restart-strategy.ts';

/** A restart strategy setting with `fallback` and null resolved: the strategy the job runs with. */
export type ResolvedRestartStrategySpec = Exclude<RestartStrategySpec, { type: 'fallback' }>;

/**
 * The strategy a job's setting stands for, once the defaults are applied.
 * @example resolveRestartStrategySpec(null, true) // EXPONENTIAL_DELAY_DEFAULTS
 */
export function resolveRestartStrategySpec(spec: RestartStrategySpec | null, checkpointingEnabled: boolean): ResolvedRestartStrategySpec {
  if (spec !== null && spec.type !== 'fallback') return spec;
  return checkpointingEnabled ? EXPONENTIAL_DELAY_DEFAULTS : { type: 'none' };
}

/**
 * Builds the job's restart strategy. `random` is the stream the exponential-delay jitter is
 * drawn from (give the strategy a stream of its own, e.g. `random.stream('restart-strategy')`).
 * Throws RestartStrategyConfigError for options Flink would reject.
 * @example
 * const strategy = createRestartStrategy(config.restartStrategy, config.checkpointing !== null, streams.stream('restart-strategy'));
 */
export function createRestartStrategy(
  spec: RestartStrategySpec | null,
  checkpointingEnabled: boolean,
  random: RandomStream,
): RestartBackoffTimeStrategy {
  const resolved = resolveRestartStrategySpec(spec, checkpointingEnabled);
  switch (resolved.type) {
    case 'fixed-delay':
      return new FixedDelayRestartBackoffTimeStrategy(resolved);
    case 'failure-rate':
      return new FailureRateRestartBackoffTimeStrategy(resolved);
    case 'exponential-delay':
      return new ExponentialDelayRestartBackoffTimeStrategy(resolved, random);
    case 'none':
      return new NoRestartBackoffTimeStrategy();
  }
}
