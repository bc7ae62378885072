/**
 * What the engine's Web Worker does, apart from being a worker: runs one scenario at a
 * time for the page, so that a long run never freezes it. The run is the one `driveRun`
 * makes in the page (same steps, same order, same trace hash); slices end with a macrotask
 * so that a `stop` message gets in. Tests hand it a fake scope.
 */
import { CORE_ENGINE, checkScenario, driveRun } from '../lib/engine.ts';
import { findCounterexample } from '../lib/find.ts';
import { Replayer } from '../lib/inspect.ts';
import type { FindRequest } from '../lib/find.ts';
import type { FromWorker, ToWorker } from './protocol.ts';
import { sliceOutcome } from './slices.ts';
import { runCharts } from '../lib/charts.ts';
import { layoutJobGraph } from '../lib/graph-layout.ts';

export interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
}

export function serve(scope: WorkerScope, now: () => number, pause: () => Promise<void>): void {
  const stopped = new Set<number>();
  const replayer = new Replayer(CORE_ENGINE);
  scope.onmessage = (event) => {
    const message = event.data;
    if (message.type === 'stop') stopped.add(message.id);
    else if (message.type === 'inspect') scope.postMessage({ type: 'inspected', id: message.id, inspection: replayer.inspect(message.request) });
    else if (message.type === 'find') void find(message.id, message.request);
    else void run(message);
  };

  async function find(id: number, request: FindRequest): Promise<void> {
    const answer = await findCounterexample(request, {
      now,
      pause,
      onProgress: (progress) => scope.postMessage({ type: 'find-progress', id, progress }),
      shouldStop: () => stopped.has(id),
    });
    stopped.delete(id);
    scope.postMessage({ type: 'found', id, answer });
  }

  async function run(request: Extract<ToWorker, { type: 'run' }>): Promise<void> {
    const { id, data, name, file, seed } = request;
    const checked = checkScenario(CORE_ENGINE, data, file);
    if (!checked.ok) {
      scope.postMessage({ type: 'outcome', id, outcome: { kind: 'invalid', scenario: name, seed, issues: checked.issues } });
      return;
    }
    const outcome = await driveRun({
      engine: CORE_ENGINE,
      scenario: checked.scenario,
      name,
      file,
      seed,
      sliceMs: 40,
      now,
      pause,
      onProgress: (progress) => scope.postMessage({ type: 'progress', id, progress }),
      shouldStop: () => stopped.has(id),
    });
    stopped.delete(id);
    if (outcome === null) return;
    if (outcome.kind === 'done') {
      const run = outcome.run;
      run.precomputed = { charts: runCharts(run.events, run.report.virtualTime), layout: layoutJobGraph(run.report.jobGraph) };
    }
    const { slices, rest } = sliceOutcome(outcome);
    for (const slice of slices) scope.postMessage({ type: 'slice', id, slice });
    scope.postMessage({ type: 'outcome', id, outcome: rest });
  }
}
