// Jobs for the tests of weir check.
import { checkJob } from '../../bench/check.ts';

export type Json = Record<string, unknown>;

/** 200 records, parallelism 2, checkpoints every 200 ms, a keyed window, one sink of `sink`: the job `weir bench check` measures, with a fault of its own. */
export function smallJob(sink: Json): Json {
  return {
    ...checkJob(sink),
    name: 'small check job',
    // The input's own faults are dropped for the reference and replaced by drawn plans.
    faults: [{ type: 'kill-task', operator: 'counts', subtask: 0, at: 100 }],
  };
}
