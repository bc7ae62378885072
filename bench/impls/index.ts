/**
 * Every implementation the benchmark runs, by name. The runner and the tests iterate this
 * record, so registering an implementation here is all it takes for `npm run bench` to
 * time it and for `test/bench` to check its answers. Order matters only for display:
 * `plain` first, since every ratio is taken against it.
 *
 * To add one (Weir's own engine, say): write `bench/impls/weir.ts` exporting an
 * `Implementation`, then add its import and one entry below. An implementation that sets
 * `workloads` runs only those (the checkpointed variants of `weir` run W2 alone).
 */
import { plain } from './plain.ts';
import { rxjs } from './rxjs.ts';
import { weir, weirCheckpointHashmap, weirCheckpointRocksdb } from './weir.ts';
import type { Implementation } from './types.ts';

export type { Implementation, RunExtras } from './types.ts';
export { workloadsOf } from './types.ts';

export const IMPLEMENTATIONS: Readonly<Record<string, Implementation>> = {
  plain,
  rxjs,
  weir,
  [weirCheckpointHashmap.name]: weirCheckpointHashmap,
  [weirCheckpointRocksdb.name]: weirCheckpointRocksdb,
};
