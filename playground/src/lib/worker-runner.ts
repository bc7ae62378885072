/**
 * Runs scenarios in a Web Worker (worker/engine.worker.ts), one at a time: the page stays
 * responsive however long the run. A run the session abandons ends the worker, and the next
 * run starts a new one. If the worker cannot be started or fails to load, the outcome says
 * so (kind `error`), and the page shows it as it shows any engine error.
 */
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import type { RunOutcome, Runner, RunRequest } from './engine.ts';

/** The part of a Worker this uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export function workerRunner(makeWorker: () => WorkerLike, wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Runner {
  let worker: WorkerLike | null = null;
  let nextId = 1;
  return async (request: RunRequest): Promise<RunOutcome | null> => {
    const id = nextId++;
    const failed = (message: string): RunOutcome => ({ kind: 'error', scenario: request.name, seed: request.seed, message, steps: 0, partial: null });
    try {
      worker ??= makeWorker();
    } catch (error) {
      return failed(`the engine's worker could not be started: ${error instanceof Error ? error.message : String(error)}`);
    }
    const current = worker;
    return new Promise<RunOutcome | null>((resolve) => {
      let done = false;
      let stopSent = false;
      const finish = (outcome: RunOutcome | null) => {
        if (done) return;
        done = true;
        current.onmessage = null;
        current.onerror = null;
        resolve(outcome);
      };
      current.onmessage = (event) => {
        const message = event.data;
        if (message.id !== id) return;
        if (message.type === 'progress') request.onProgress?.(message.progress);
        else finish(message.outcome);
      };
      current.onerror = (event) => {
        event.preventDefault?.();
        current.terminate();
        if (worker === current) worker = null;
        finish(failed(`the engine's worker failed: ${event.message || 'it could not be loaded'}`));
      };
      current.postMessage({ type: 'run', id, data: request.data, name: request.name, file: request.file, seed: request.seed });
      // The session's stop and abandon are questions it answers when asked; ask them often.
      void (async () => {
        while (!done) {
          await wait(25);
          if (done) return;
          if (request.isAbandoned?.()) {
            current.terminate();
            if (worker === current) worker = null;
            finish(null);
            return;
          }
          if (!stopSent && request.shouldStop?.()) {
            stopSent = true;
            current.postMessage({ type: 'stop', id });
          }
        }
      })();
    });
  };
}
