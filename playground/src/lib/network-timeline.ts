/**
 * The network of a run through time, for the job graph view: what `networkView` shows,
 * sampled as the run goes, at the end of every virtual millisecond in which something
 * happened. The trace does not hold this (it would be several events per buffer), so the
 * run that makes the trace also makes these samples; looking changes nothing in the run.
 *
 * A long run would make too many samples: past `limit`, every other sample is dropped and
 * the recorder keeps one per two ms, then four, and so on (`resolutionMs` says which).
 * That depends on the run only, so it is the same everywhere.
 */
import { networkView, type NetworkView, type Simulation } from '../../../core/index.ts';

export interface NetworkTimeline {
  /** Sample times, increasing. */
  readonly times: readonly number[];
  readonly views: readonly NetworkView[];
  /** At most one sample per this many virtual ms. */
  readonly resolutionMs: number;
}

export const EMPTY_TIMELINE: NetworkTimeline = { times: [], views: [], resolutionMs: 1 };

export class NetworkRecorder {
  #times: number[] = [];
  #views: NetworkView[] = [];
  #resolutionMs = 1;

  constructor(private readonly limit = 6000) {}

  /** Called after every kernel step. */
  observe(sim: Simulation): void {
    const now = sim.kernel.clock.nowMs;
    const next = sim.kernel.nextTimeMs;
    if (next !== null && next === now && !sim.ended) return; // this ms is not over yet
    const last = this.#times.length === 0 ? null : this.#times[this.#times.length - 1]!;
    if (last !== null && now - last < this.#resolutionMs) return;
    this.#times.push(now);
    this.#views.push(networkView(sim.jobManager));
    if (this.#times.length > this.limit) this.#thin();
  }

  finish(): NetworkTimeline {
    return { times: this.#times, views: this.#views, resolutionMs: this.#resolutionMs };
  }

  #thin(): void {
    this.#times = this.#times.filter((_, i) => i % 2 === 0);
    this.#views = this.#views.filter((_, i) => i % 2 === 0);
    this.#resolutionMs *= 2;
  }
}

/** The last sample at or before `timeMs`, or null before the first. */
export function networkAt(timeline: NetworkTimeline, timeMs: number): NetworkView | null {
  const { times } = timeline;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= timeMs) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : timeline.views[lo - 1]!;
}
