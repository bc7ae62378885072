/**
 * The checkers: judges that read a run from outside (its report, its trace) and say whether
 * a property held. They know nothing of how the run went, as TigerBeetle's checkers watch
 * the cluster from outside.
 */
export {
  checkExactlyOnce,
  checkReference,
  createExactlyOnceOracle,
  type ExactlyOnceOracle,
  type ExactlyOnceVerdict,
  type OracleExample,
  type OracleOptions,
  type OracleRecord,
  type OracleRun,
  type SinkDifference,
} from './exactly-once.ts';
export { CommittedOutputFold, committedBy } from './committed-output.ts';
export { CHECKPOINT_TAGS, CheckpointsFold, foldCheckpoints, shortFailureReason, type ReportCheckpoint } from './checkpoints-fold.ts';
export { RESTART_TAGS, RestartsFold, foldRestarts, type ReportRestart } from './restarts-fold.ts';
