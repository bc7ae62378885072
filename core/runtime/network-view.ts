/**
 * What the network holds at one instant, as plain data: for every live channel, the
 * elements its producer has written but not sent, the buffers on the wire (with when they
 * left and when they arrive), the buffers arrived at the consumer and not yet read, the
 * credits the producer holds, and whether the consumer has blocked the channel for an
 * aligned checkpoint. Nothing of this is in the trace (it would be several events per
 * buffer); a view of a run samples it as the run goes, which changes nothing in the run.
 */
import { CheckpointBarrier, NetworkEvent, type NetworkElement } from './elements.ts';
import type { JobManager } from './job-manager.ts';

/** Elements of a stretch of a channel, by kind. */
export interface ElementCounts {
  readonly records: number;
  readonly watermarks: number;
  /** Checkpoint ids of the barriers among them, in channel order. */
  readonly barriers: readonly number[];
  /** Whether the end of the input is among them. */
  readonly end: boolean;
}

export interface BufferOnTheWire extends ElementCounts {
  readonly sentMs: number;
  readonly arrivesMs: number;
  /** An unaligned barrier: it needs no credit and overtakes the data in front of it. */
  readonly priority: boolean;
}

export interface ChannelView {
  readonly id: number;
  /** Producer and consumer subtasks, e.g. `map#0` and `window#1`. */
  readonly from: string;
  readonly to: string;
  /** Which input of a two-input consumer it feeds. */
  readonly input: 1 | 2;
  /** Buffers the consumer holds for this channel, and the credits the producer has of them. */
  readonly buffers: number;
  readonly credits: number;
  /** Written by the producer, not sent yet. */
  readonly pending: ElementCounts;
  /** The channel's buffer timeout (config.bufferTimeout or the producer's own), or null: a partial buffer leaves at the end of the producer's step. */
  readonly bufferTimeoutMs: number | null;
  /** How many of the pending elements leave as soon as a credit comes (flushed, or in a buffer an event ended); the rest wait for the buffer to fill or for the next flush. */
  readonly sealed: number;
  /** True when a full buffer waits for a credit: the producer is stopped by this channel. */
  readonly waitingForCredit: boolean;
  readonly onTheWire: readonly BufferOnTheWire[];
  /** Arrived at the consumer and not read yet, and in how many buffers. */
  readonly queued: ElementCounts;
  readonly queuedBuffers: number;
  /** The consumer has blocked the channel: it delivered the barrier of an aligned checkpoint first. */
  readonly blocked: boolean;
}

export interface SubtaskNetworkView {
  readonly id: string;
  readonly attempt: number;
  readonly slot: string | null;
  readonly taskManager: string | null;
  /** Stopped for want of credit on an output channel (Flink: backpressured). */
  readonly backPressured: boolean;
  /** Still processing what it read (a throughput limit): it takes no new input before `busyUntilMs`. */
  readonly busyUntilMs: number;
}

export interface NetworkView {
  readonly timeMs: number;
  readonly channels: readonly ChannelView[];
  readonly subtasks: readonly SubtaskNetworkView[];
}

const NONE: ElementCounts = { records: 0, watermarks: 0, barriers: [], end: false };

/** Counts the elements of `lists`, each from its position `from` on (what is left to read). */
function countOf(lists: readonly { readonly elements: readonly NetworkElement[]; readonly pos: number }[]): ElementCounts {
  let records = 0;
  let watermarks = 0;
  let end = false;
  let barriers: number[] | null = null;
  for (const { elements, pos } of lists) {
    for (let i = pos; i < elements.length; i++) {
      const e = elements[i]!;
      if (!(e instanceof NetworkEvent)) records++;
      else if (e.kind === 'watermark') watermarks++;
      else if (e instanceof CheckpointBarrier) (barriers ??= []).push(e.id);
      else if (e.kind === 'end-of-data' || e.kind === 'end-of-partition') end = true;
    }
  }
  if (records === 0 && watermarks === 0 && barriers === null && !end) return NONE;
  return { records, watermarks, barriers: barriers ?? [], end };
}

/** The network of the job `jobManager` runs, at the kernel's current time. */
export function networkView(jobManager: JobManager): NetworkView {
  const channels: ChannelView[] = [];
  const subtasks: SubtaskNetworkView[] = [];
  for (const task of jobManager.tasks) {
    subtasks.push({
      id: task.id,
      attempt: task.attempt,
      slot: task.slot?.id ?? null,
      taskManager: task.slot?.taskManager ?? null,
      backPressured: task.backPressured,
      busyUntilMs: task.busyUntilMs,
    });
    for (const input of task.gate.channels) {
      const c = input.channel;
      if (!c.alive) continue;
      const onTheWire: BufferOnTheWire[] = c.inFlight.map((buffer, i) => ({
        ...countOf([{ elements: buffer, pos: 0 }]),
        sentMs: c.inFlightSentMs[i]!,
        arrivesMs: c.inFlightArrivesMs[i]!,
        priority: false,
      }));
      for (const p of c.priorityInFlight) onTheWire.push({ records: 0, watermarks: 0, barriers: [p.checkpoint], end: false, sentMs: p.sentMs, arrivesMs: p.arrivesMs, priority: true });
      const queued = countOf(input.queue);
      const priorityQueued = input.priority.flatMap((e) => (e instanceof CheckpointBarrier ? [e.id] : []));
      channels.push({
        id: c.id,
        from: c.from,
        to: c.to,
        input: c.logicalInput,
        buffers: c.buffers,
        credits: c.credits,
        pending: countOf([{ elements: c.pending, pos: 0 }]),
        bufferTimeoutMs: c.bufferTimeoutMs,
        sealed: c.flushRequested ? c.pending.length : c.sealed,
        waitingForCredit: c.blocked,
        onTheWire,
        queued: priorityQueued.length === 0 ? queued : { ...queued, barriers: [...priorityQueued, ...queued.barriers] },
        queuedBuffers: input.queue.length,
        blocked: input.blocked,
      });
    }
  }
  channels.sort((a, b) => a.id - b.id);
  return { timeMs: jobManager.kernel.clock.nowMs, channels, subtasks };
}
