/**
 * A limit reached in a campaign, said for `weir check`. The kernel's message tells a
 * `weir run` user which flag raises the limit, but `weir check` has no limit flags: every
 * run of a check, the fault-free reference and each plan, takes its limits from the
 * scenario's `run.limits` (docs/cli.md#limits). So the check says that instead.
 */
import { isFixedBound, LimitExceededError } from '../kernel/index.ts';

/** Where the kernel's advice starts in its message: what comes before says which limit, where and when. */
const ADVICE = '; if the run is meant to be that large';

/**
 * @example limitMessageForCheck(new LimitExceededError('maxSteps', 50, 'at step 50 (t=3 ms, seed 0)'))
 * // "limit maxSteps = 50 reached at step 50 (t=3 ms, seed 0); if the run is meant to be that large, raise the scenario's run.limits.maxSteps (weir check has no flag for it: every run of the check takes the scenario's limits)"
 */
export function limitMessageForCheck(error: LimitExceededError): string {
  // A fixed bound's message names no flag: it says what in the scenario to change, for run and check alike.
  if (isFixedBound(error.limit)) return error.message;
  const cut = error.message.indexOf(ADVICE);
  const what = cut < 0 ? `limit ${error.limit} = ${error.value} reached` : error.message.slice(0, cut);
  return `${what}${ADVICE}, raise the scenario's run.limits.${error.limit} (weir check has no flag for it: every run of the check takes the scenario's limits)`;
}

/** The same limit error, its message said for `weir check`, so that the command still exits 4 with it. */
export function limitErrorForCheck(error: LimitExceededError): LimitExceededError {
  if (isFixedBound(error.limit)) return error;
  const said = new LimitExceededError(error.limit, error.value, '');
  said.message = limitMessageForCheck(error);
  return said;
}
