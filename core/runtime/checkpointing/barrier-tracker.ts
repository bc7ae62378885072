/**
 * The at-least-once barrier handler, Flink's CheckpointBarrierTracker: it never blocks a
 * channel. It counts, per checkpoint, the channels whose barrier has arrived; when every
 * open channel has delivered it, the task snapshots. Records that arrived on a fast
 * channel after its barrier are already in the state by then, so after a restore from this
 * checkpoint they are processed a second time: at least once, not exactly once. Several
 * checkpoints can be counted at once; completing one gives up the older ones.
 */
import { traceBarrier, type BarrierHandlerContext, type CheckpointBarrierHandler } from './barrier-handler.ts';
import type { CheckpointBarrier } from '../elements.ts';

interface Counting {
  readonly barrier: CheckpointBarrier;
  readonly received: Set<number>;
}

export class BarrierTracker implements CheckpointBarrierHandler {
  /** Checkpoints being counted, oldest first. */
  readonly #pending: Counting[] = [];
  #latestTriggered = 0;

  constructor(private readonly ctx: BarrierHandlerContext) {}

  get pending(): number | null {
    return this.#pending[0]?.barrier.id ?? null;
  }

  onBarrier(input: number, barrier: CheckpointBarrier): void {
    if (barrier.id <= this.#latestTriggered) return;
    traceBarrier(this.ctx, input, barrier);
    if (this.ctx.openInputs() <= 1) return this.#trigger(barrier);
    let counting = this.#pending.find((p) => p.barrier.id === barrier.id);
    if (counting === undefined) {
      counting = { barrier, received: new Set() };
      this.#pending.push(counting);
      this.#pending.sort((a, b) => a.barrier.id - b.barrier.id);
    }
    counting.received.add(input);
    this.#completeReady();
  }

  onEndOfPartition(input: number): void {
    for (const p of this.#pending) p.received.delete(input);
    this.#completeReady();
  }

  abort(checkpointId: number): void {
    for (let i = this.#pending.length - 1; i >= 0; i--) if (this.#pending[i]!.barrier.id <= checkpointId) this.#pending.splice(i, 1);
  }

  #completeReady(): void {
    const open = this.ctx.openInputs();
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const p = this.#pending[i]!;
      if (p.received.size < open) continue;
      // The newest complete checkpoint wins; older ones still counting can never complete first.
      for (const older of this.#pending.splice(0, i + 1).slice(0, -1)) this.ctx.decline(older.barrier.id, 'CHECKPOINT_DECLINED_SUBSUMED');
      this.#trigger(p.barrier);
      return;
    }
  }

  #trigger(barrier: CheckpointBarrier): void {
    this.#latestTriggered = barrier.id;
    // Nothing was blocked: at-least-once has no alignment time.
    this.ctx.checkpoint(barrier, 0);
  }
}
