/**
 * The aligned, exactly-once barrier handler: a two-state machine (waiting for the first
 * barrier, collecting barriers), one state per file, each a function from (state, event)
 * to the next state.
 */
import type { BarrierHandlerContext, CheckpointBarrierHandler } from './barrier-handler.ts';
import { collectingOnBarrier, collectingOnEndOfPartition } from './collecting-barriers.ts';
import { waitingOnBarrier } from './waiting-for-first-barrier.ts';
import type { AlignedState } from './aligned-state.ts';
import type { CheckpointBarrier } from '../elements.ts';

export class AlignedBarrierHandler implements CheckpointBarrierHandler {
  #state: AlignedState = { kind: 'waiting', latest: 0 };

  constructor(private readonly ctx: BarrierHandlerContext) {}

  get pending(): number | null {
    return this.#state.kind === 'collecting' ? this.#state.barrier.id : null;
  }

  onBarrier(input: number, barrier: CheckpointBarrier): void {
    const s = this.#state;
    this.#state = s.kind === 'waiting' ? waitingOnBarrier(this.ctx, s, input, barrier) : collectingOnBarrier(this.ctx, s, input, barrier);
  }

  onEndOfPartition(input: number): void {
    const s = this.#state;
    if (s.kind === 'collecting') this.#state = collectingOnEndOfPartition(this.ctx, s, input);
  }

  abort(checkpointId: number): void {
    const s = this.#state;
    if (s.kind === 'collecting' && s.barrier.id <= checkpointId) {
      this.ctx.resumeAll();
      this.#state = { kind: 'waiting', latest: checkpointId };
    } else if (s.kind === 'waiting' && checkpointId > s.latest) this.#state = { kind: 'waiting', latest: checkpointId };
  }
}
