/**
 * The recovery layer: restart strategies (whether and when a failed job restarts, one per
 * file, after Flink's RestartBackoffTimeStrategy implementations) and pipelined regions
 * (what region failover restarts).
 */
export {
  RestartStrategyConfigError,
  type ExponentialDelaySpec,
  type FailureRateSpec,
  type FixedDelaySpec,
  type RestartBackoffTimeStrategy,
} from './restart-strategy.ts';
export { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay.ts';
export { FailureRateRestartBackoffTimeStrategy } from './failure-rate.ts';
export { EXPONENTIAL_DELAY_DEFAULTS, ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay.ts';
export { NoRestartBackoffTimeStrategy } from './no-restart.ts';
export { createRestartStrategy, resolveRestartStrategySpec, type ResolvedRestartStrategySpec } from './restart-strategy-factory.ts';
export { computePipelinedRegions, regionOf, type RegionChannel } from './pipelined-regions.ts';
