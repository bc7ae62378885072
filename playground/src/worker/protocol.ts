/**
 * The messages between the page and the engine's Web Worker. A run is asked for with the
 * scenario's JSON (the worker validates it again: a validated scenario is the engine's own
 * object) and answered with progress while it goes and its outcome at the end; `stop` ends
 * it early and keeps what it did. A run the page no longer wants is not answered: the page
 * ends the worker.
 */
import type { RunOutcome, RunProgress } from '../lib/engine.ts';

export type ToWorker =
  | { readonly type: 'run'; readonly id: number; readonly data: unknown; readonly name: string; readonly file: string; readonly seed: number }
  | { readonly type: 'stop'; readonly id: number };

export type FromWorker =
  | { readonly type: 'progress'; readonly id: number; readonly progress: RunProgress }
  | { readonly type: 'outcome'; readonly id: number; readonly outcome: RunOutcome };
