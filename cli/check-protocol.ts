// The messages between `weir check` and its worker threads (cli/check-worker.ts): plain
// data, as worker_threads' structured clone carries it.
import type { RunOutcome } from '../core/index.ts';

export type ToWorker =
  | { type: 'init'; input: unknown; file: string; options: { runs: number; seed: number; maxFaults: number } }
  /** Run the campaign's indices from..to-1, stopping at the first violation. */
  | { type: 'chunk'; from: number; to: number };

export type FromWorker = { type: 'ready' } | { type: 'chunk-done'; outcomes: RunOutcome[] } | { type: 'error'; message: string };
