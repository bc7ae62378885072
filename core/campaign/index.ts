/**
 * Fault campaigns: the property runs of `weir check`. A fault-free reference run, random
 * fault plans drawn with fast-check from everything that can go wrong with the job, the
 * exactly-once oracle on each run, and a shrunk counterexample for the first violation.
 */
export {
  Campaign,
  CampaignInputError,
  CampaignRunError,
  CHECK_FORMAT,
  DEFAULT_CHECK_RUNS,
  DEFAULT_MAX_FAULTS,
  MAX_CHECK_RUNS,
  MAX_SHRINK_RUNS,
  runCampaign,
  runSeed,
  type CampaignCoverage,
  type CampaignOptions,
  type CampaignResult,
  type CoverageCount,
  type CoverageCounts,
  type FiredFault,
  type PlanRun,
  type RunOutcome,
  type ShrinkResult,
} from './campaign.ts';
export { faultArbitrary, faultSpaceOf, planArbitrary, type FaultJson, type FaultSpace, type ReferenceFacts } from './fault-space.ts';
