/**
 * The state of one subtask at the transport's time: its keyed state and timers are not in
 * the trace, so they are read from the simulation itself, replayed to that time. The run is
 * deterministic, so the replay is the run: the same events happen in the same order. The
 * replayer keeps its simulation, so that moving forward in time only steps further; moving
 * back, or another run, starts a new one.
 */
import { subtaskStateView, type SubtaskStateView, type Simulation } from '../../../core/index.ts';
import { checkScenario, type Engine } from './engine.ts';

export interface InspectRequest {
  /** The JSON of the run (the scenario with its faults), its file and seed. */
  data: unknown;
  file: string;
  seed: number;
  timeMs: number;
  task: string;
}

export type Inspection = { ok: true; view: SubtaskStateView | null } | { ok: false; message: string };

export type Inspector = (request: InspectRequest) => Promise<Inspection>;

export class Replayer {
  #key = '';
  #sim: Simulation | null = null;

  constructor(private readonly engine: Engine) {}

  inspect(request: InspectRequest): Inspection {
    try {
      const key = `${request.file}\u0000${request.seed}\u0000${JSON.stringify(request.data)}`;
      if (this.#sim === null || key !== this.#key || this.#sim.kernel.clock.nowMs > request.timeMs) {
        const checked = checkScenario(this.engine, request.data, request.file);
        if (!checked.ok) return { ok: false, message: checked.issues.join('\n') };
        // The trace level changes what is written down, never what happens.
        this.#sim = this.engine.createSimulation({ scenario: checked.scenario, seed: request.seed, traceLevel: 'summary' });
        this.#key = key;
      }
      const sim = this.#sim;
      for (;;) {
        const next = sim.kernel.nextTimeMs;
        if (next === null || next > request.timeMs || !sim.step()) break;
      }
      return { ok: true, view: subtaskStateView(sim.jobManager, request.task) };
    } catch (error) {
      this.#sim = null;
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }
}

/** Inspects in this thread (Node tests). */
export function inPageInspector(engine: Engine): Inspector {
  const replayer = new Replayer(engine);
  return (request) => Promise.resolve(replayer.inspect(request));
}
