/**
 * Runs scenarios, and inspects subtasks, in a Web Worker (worker/engine.worker.ts): the
 * page stays responsive however long the run. One worker answers every request, told apart
 * by id. A run the session abandons ends the worker (and whatever it was doing), and the
 * next request starts a new one. If the worker cannot be started or fails to load, the
 * answer says so (an `error` outcome, a failed inspection), and the page shows it.
 */
import { SliceCollector } from '../worker/slices.ts';
import type { FromWorker, ToWorker } from '../worker/protocol.ts';
import type { RunOutcome, Runner, RunRequest } from './engine.ts';
import type { FindAnswer, Finder } from './find.ts';
import type { Inspection, Inspector } from './inspect.ts';

/** The part of a Worker this uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

export interface EngineClient {
  run: Runner;
  inspect: Inspector;
  find: Finder;
}

export function workerClient(makeWorker: () => WorkerLike, wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): EngineClient {
  let worker: WorkerLike | null = null;
  let nextId = 1;
  /** What to do with the answers to each open request, and with a worker that died. */
  const open = new Map<number, { onMessage: (message: FromWorker) => void; onLost: (why: string) => void }>();

  const lose = (current: WorkerLike, why: string) => {
    current.terminate();
    if (worker !== current) return;
    worker = null;
    const lost = [...open.values()];
    open.clear();
    for (const o of lost) o.onLost(why);
  };

  const start = (): WorkerLike => {
    if (worker !== null) return worker;
    const current = makeWorker();
    current.onmessage = (event) => open.get(event.data.id)?.onMessage(event.data);
    current.onerror = (event) => {
      event.preventDefault?.();
      lose(current, `the engine's worker failed: ${event.message || 'it could not be loaded'}`);
    };
    worker = current;
    return current;
  };

  /** The worker, started if need be, or why it could not be. */
  const ready = (): WorkerLike | string => {
    try {
      return start();
    } catch (error) {
      return `the engine's worker could not be started: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  const run: Runner = (request: RunRequest) => {
    const id = nextId++;
    const failed = (message: string): RunOutcome => ({ kind: 'error', scenario: request.name, seed: request.seed, message, steps: 0, partial: null });
    const current = ready();
    if (typeof current === 'string') return Promise.resolve(failed(current));
    return new Promise<RunOutcome | null>((resolve) => {
      let done = false;
      const finish = (outcome: RunOutcome | null) => {
        if (done) return;
        done = true;
        open.delete(id);
        resolve(outcome);
      };
      // The long lists of a finished run come in slices before its outcome (worker/slices.ts).
      const slices = new SliceCollector();
      open.set(id, {
        onMessage: (message) => {
          if (message.type === 'progress') request.onProgress?.(message.progress);
          else if (message.type === 'slice') slices.add(message.slice);
          else if (message.type === 'outcome') finish(slices.assemble(message.outcome));
        },
        onLost: (why) => finish(failed(why)),
      });
      current.postMessage({ type: 'run', id, data: request.data, name: request.name, file: request.file, seed: request.seed });
      // The session's stop and abandon are questions it answers when asked; ask them often.
      void (async () => {
        let stopSent = false;
        while (!done) {
          await wait(25);
          if (done) return;
          if (request.isAbandoned?.()) {
            finish(null);
            lose(current, 'the run was abandoned');
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

  const inspect: Inspector = (request) => {
    const id = nextId++;
    const current = ready();
    if (typeof current === 'string') return Promise.resolve({ ok: false, message: current });
    return new Promise<Inspection>((resolve) => {
      open.set(id, {
        onMessage: (message) => {
          if (message.type !== 'inspected') return;
          open.delete(id);
          resolve(message.inspection);
        },
        onLost: (why) => resolve({ ok: false, message: why }),
      });
      current.postMessage({ type: 'inspect', id, request });
    });
  };

  const find: Finder = (request, onProgress, shouldStop) => {
    const id = nextId++;
    const current = ready();
    if (typeof current === 'string') return Promise.resolve({ ok: false, message: current });
    return new Promise<FindAnswer>((resolve) => {
      let done = false;
      let stopSent = false;
      open.set(id, {
        onMessage: (message) => {
          if (message.type === 'find-progress') {
            onProgress?.(message.progress);
            if (!stopSent && shouldStop?.()) {
              stopSent = true;
              current.postMessage({ type: 'stop', id });
            }
          } else if (message.type === 'found') {
            done = true;
            open.delete(id);
            resolve(message.answer);
          }
        },
        onLost: (why) => {
          if (!done) resolve({ ok: false, message: why });
        },
      });
      current.postMessage({ type: 'find', id, request });
    });
  };

  return { run, inspect, find };
}
