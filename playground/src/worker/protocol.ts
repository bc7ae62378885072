/**
 * The messages between the page and the engine's Web Worker. A run is asked for with the
 * scenario's JSON (the worker validates it again: a validated scenario is the engine's own
 * object) and answered with progress while it goes and its outcome at the end; `stop` ends
 * it early and keeps what it did. `inspect` asks for one subtask's state at a time; `find`
 * runs `weir check`'s campaign (and `stop` with its id ends it). A run the page no longer wants is not answered: the page
 * ends the worker.
 */
import type { RunOutcome, RunProgress } from '../lib/engine.ts';
import type { FindAnswer, FindProgress, FindRequest } from '../lib/find.ts';
import type { Inspection, InspectRequest } from '../lib/inspect.ts';
import type { Slice } from './slices.ts';

export type ToWorker =
  | { readonly type: 'run'; readonly id: number; readonly data: unknown; readonly name: string; readonly file: string; readonly seed: number }
  | { readonly type: 'stop'; readonly id: number }
  | { readonly type: 'inspect'; readonly id: number; readonly request: InspectRequest }
  | { readonly type: 'find'; readonly id: number; readonly request: FindRequest };

export type FromWorker =
  | { readonly type: 'progress'; readonly id: number; readonly progress: RunProgress }
  /** A long list of a finished run, a slice at a time, before its outcome (see slices.ts). */
  | { readonly type: 'slice'; readonly id: number; readonly slice: Slice }
  | { readonly type: 'outcome'; readonly id: number; readonly outcome: RunOutcome }
  | { readonly type: 'inspected'; readonly id: number; readonly inspection: Inspection }
  | { readonly type: 'find-progress'; readonly id: number; readonly progress: FindProgress }
  | { readonly type: 'found'; readonly id: number; readonly answer: FindAnswer };
