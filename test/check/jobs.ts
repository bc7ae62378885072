// Jobs for the tests of weir check.
import { checkJob } from '../../bench/check.ts';

export type Json = Record<string, unknown>;

/**
 * Restarts for as long as a TaskManager may be dead unnoticed. Until its heartbeat times
 * out (50 s by default) every restart is deployed onto it and fails, one more failure each,
 * as in Flink; the bench job's 5 attempts, 100 ms apart, are spent in half a second and the
 * job FAILS with no output, which the oracle rightly counts. A campaign is about what a job
 * that keeps restarting commits, so these jobs get attempts for the whole gap (500 restarts
 * of 100 ms), with the delay, and so every other run, unchanged.
 */
export const RESTARTS_OUTLASTING_AN_UNNOTICED_LOSS = { type: 'fixed-delay', attempts: 1000, delay: 100 };

/** 200 records, parallelism 2, checkpoints every 200 ms, a keyed window, one sink of `sink`: the job `weir bench check` measures, with a fault of its own and restarts that outlast an unnoticed TaskManager loss. */
export function smallJob(sink: Json): Json {
  const job = checkJob(sink) as Json & { config: Json };
  return {
    ...job,
    name: 'small check job',
    config: { ...job.config, restartStrategy: RESTARTS_OUTLASTING_AN_UNNOTICED_LOSS },
    // The input's own faults are dropped for the reference and replaced by drawn plans.
    faults: [{ type: 'kill-task', operator: 'counts', subtask: 0, at: 100 }],
  };
}
