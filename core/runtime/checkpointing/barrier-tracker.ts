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

/** Checkpoints counted at once, as Flink's CheckpointBarrierTracker.MAX_CHECKPOINTS_TO_TRACK. */
const MAX_COUNTED = 50;

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
      // A first barrier older than the newest counted one is late: its checkpoint cannot complete first (as Flink).
      const newest = this.#pending.at(-1);
      if (newest !== undefined && barrier.id < newest.barrier.id) return;
      counting = { barrier, received: new Set() };
      this.#pending.push(counting);
      // A limit on everything, as Flink's tracker keeps at most 50: the oldest is given up.
      if (this.#pending.length > MAX_COUNTED) this.ctx.decline(this.#pending.shift()!.barrier.id, 'CHECKPOINT_DECLINED_SUBSUMED');
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
    // Taken: it and every older one still counted are done (the older ones can never complete now).
    while (this.#pending.length > 0 && this.#pending[0]!.barrier.id <= barrier.id) {
      const done = this.#pending.shift()!;
      if (done.barrier.id < barrier.id) this.ctx.decline(done.barrier.id, 'CHECKPOINT_DECLINED_SUBSUMED');
    }
    // Nothing was blocked: at-least-once has no alignment time.
    this.ctx.checkpoint(barrier, 0);
  }
}
