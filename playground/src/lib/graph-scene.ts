/**
 * What the job graph view draws at one instant, over the fixed layout: each subtask's
 * status (a colour and an icon, never colour alone), attempt, watermark, idleness and
 * backpressure, from the moment folded out of the trace (so a subtask is back-pressured
 * exactly during its `task.backpressure` episodes, not only at the network's samples), and
 * its TaskManager slot from the network sample; and along each channel, tokens for what it holds: records written and
 * not sent (at the producer's end), buffers on the wire (moving from one end to the other
 * between the time they left and the time they arrive), and buffers arrived and not read
 * (at the consumer's end); the producer's credits; and whether the consumer has blocked
 * the channel for an aligned checkpoint (drawn hatched) or the producer waits for credit.
 */
import type { BufferOnTheWire, ChannelView, ElementCounts, NetworkView, SubtaskNetworkView } from '../../../core/index.ts';
import { formatCount, formatWatermark } from './format.ts';
import { pathOf, pointAlong, type ChannelPath, type GraphLayout, type Point, type SubtaskBox } from './graph-layout.ts';
import type { Moment, SubtaskAt } from './moment.ts';

export type Tone = 'running' | 'finished' | 'failed' | 'waiting' | 'canceled';

export interface NodeScene {
  readonly box: SubtaskBox;
  readonly status: string;
  readonly tone: Tone;
  /** A second cue beside the colour. */
  readonly icon: string;
  readonly attempt: number;
  readonly watermark: string;
  readonly idle: boolean;
  readonly backPressured: boolean;
  readonly busy: boolean;
  readonly slot: string | null;
  /** Its TaskManager died: the subtask is gone, though the JobManager may not know yet. */
  readonly taskManagerLost: string | null;
  /** For a screen reader and a tooltip: everything the box shows, in words. */
  readonly label: string;
}

export type TokenKind = 'records' | 'watermark' | 'barrier' | 'priority-barrier' | 'end';

export interface Token {
  readonly key: string;
  readonly kind: TokenKind;
  readonly at: Point;
  /** Short text drawn on the token (a count, a checkpoint id). */
  readonly text: string;
  readonly title: string;
}

export interface ChannelScene {
  readonly path: ChannelPath;
  readonly d: string;
  /** False when the channel does not exist now (before deployment, after a failure). */
  readonly live: boolean;
  readonly blocked: boolean;
  readonly waitingForCredit: boolean;
  readonly credits: number;
  readonly buffers: number;
  /** Where the credit dots are drawn, near the producer. */
  readonly creditsAt: Point;
  /** The middle point of its path, where its notes (blocked, buffer timeout) are written. */
  readonly middle: Point;
  readonly tokens: readonly Token[];
  readonly label: string;
  /** With a buffer timeout, a short note drawn on the channel (`flushed every 100 ms`, `full buffers only`); null without one. */
  readonly bufferNote: string | null;
}

export interface GraphScene {
  readonly nodes: readonly NodeScene[];
  readonly channels: readonly ChannelScene[];
  /** The time of the network sample shown (it can be earlier than the view's time). */
  readonly sampledAtMs: number | null;
}

const TONES: Record<string, { tone: Tone; icon: string }> = {
  CREATED: { tone: 'waiting', icon: '○' },
  SCHEDULED: { tone: 'waiting', icon: '○' },
  DEPLOYING: { tone: 'waiting', icon: '◔' },
  INITIALIZING: { tone: 'waiting', icon: '◑' },
  RUNNING: { tone: 'running', icon: '▶' },
  FINISHED: { tone: 'finished', icon: '✓' },
  CANCELING: { tone: 'canceled', icon: '⊘' },
  CANCELED: { tone: 'canceled', icon: '⊘' },
  FAILED: { tone: 'failed', icon: '✕' },
};

const NO_ONE: ReadonlySet<string> = new Set();

function toneOf(status: string): { tone: Tone; icon: string } {
  return TONES[status] ?? { tone: 'waiting', icon: '○' };
}

function nodeScene(box: SubtaskBox, at: SubtaskAt | undefined, net: SubtaskNetworkView | undefined, timeMs: number, dead: ReadonlySet<string>): NodeScene {
  const status = at?.status ?? 'CREATED';
  const { tone, icon } = toneOf(status);
  const watermark = at?.watermark === null || at?.watermark === undefined ? '—' : formatWatermark(at.watermark);
  const idle = at?.idle ?? false;
  const running = status === 'RUNNING';
  const backPressured = running && (at?.backPressured ?? false);
  const busy = running && (net?.busyUntilMs ?? 0) > timeMs;
  const attempt = at?.attempt ?? 1;
  const slot = net?.slot ?? null;
  const tm = net?.taskManager ?? null;
  const taskManagerLost = running && tm !== null && dead.has(tm) ? tm : null;
  const words = [
    `${box.id}: ${status}`,
    attempt > 1 ? `attempt ${attempt}` : null,
    `watermark ${watermark}`,
    idle ? 'idle' : null,
    backPressured ? `backpressured: waiting for credit${at?.waitingFor == null ? '' : ` from ${at.waitingFor}`}` : null,
    busy ? 'busy processing' : null,
    slot === null ? null : `in ${slot}`,
    taskManagerLost === null ? null : `its TaskManager ${taskManagerLost} is lost: the subtask is gone, and the JobManager fails it when the heartbeat times out`,
  ].filter((w) => w !== null);
  return { box, status, tone, icon, attempt, watermark, idle, backPressured, busy, slot, taskManagerLost, label: words.join(', ') };
}

function describeCounts(c: ElementCounts): string {
  const parts: string[] = [];
  if (c.records > 0) parts.push(`${formatCount(c.records)} record${c.records === 1 ? '' : 's'}`);
  if (c.watermarks > 0) parts.push(`${c.watermarks} watermark${c.watermarks === 1 ? '' : 's'}`);
  for (const b of c.barriers) parts.push(`barrier of checkpoint ${b}`);
  if (c.end) parts.push('end of input');
  return parts.join(', ');
}

/** Tokens for the contents of one stretch, spread a little along the path around `fraction`. */
function tokensOf(path: ChannelPath, key: string, c: ElementCounts, fraction: number, where: string, priority = false): Token[] {
  const kinds: { kind: TokenKind; text: string; title: string }[] = [];
  for (const b of c.barriers) kinds.push({ kind: priority ? 'priority-barrier' : 'barrier', text: String(b), title: `${priority ? 'unaligned ' : ''}barrier of checkpoint ${b} ${where}` });
  if (c.watermarks > 0) kinds.push({ kind: 'watermark', text: c.watermarks > 1 ? String(c.watermarks) : 'W', title: `${c.watermarks} watermark${c.watermarks === 1 ? '' : 's'} ${where}` });
  if (c.records > 0) kinds.push({ kind: 'records', text: formatCount(c.records), title: `${formatCount(c.records)} record${c.records === 1 ? '' : 's'} ${where}` });
  if (c.end) kinds.push({ kind: 'end', text: '■', title: `end of input ${where}` });
  const spread = 0.045;
  return kinds.map((k, i) => ({
    key: `${key}:${i}`,
    kind: k.kind,
    text: k.text,
    title: k.title,
    at: pointAlong(path.points, fraction + (i - (kinds.length - 1) / 2) * spread),
  }));
}

/**
 * Where a buffer on the wire is drawn. With reduced motion (the reader's
 * prefers-reduced-motion) it stays at the middle of the wire while it travels, so that
 * playing moves tokens in steps (written, on the wire, arrived) and never glides them.
 */
function wireFraction(b: BufferOnTheWire, timeMs: number, reducedMotion: boolean): number {
  if (reducedMotion) return 0.5;
  const span = b.arrivesMs - b.sentMs;
  const progress = span <= 0 ? 1 : Math.min(Math.max((timeMs - b.sentMs) / span, 0), 1);
  return 0.22 + 0.56 * progress;
}

/** With a buffer timeout, why written elements have not left: the buffer is not full and nothing has ended it yet. */
function partialBufferNote(view: ChannelView): string {
  const open = view.pending.records + view.pending.watermarks + view.pending.barriers.length + (view.pending.end ? 1 : 0) - view.sealed;
  if (view.bufferTimeoutMs === null || view.bufferTimeoutMs === 0 || open <= 0) return '';
  const until = view.bufferTimeoutMs === -1 ? 'until it is full (buffer timeout -1)' : `until it is full or the output flusher sends it (every ${formatCount(view.bufferTimeoutMs)} ms)`;
  return ` (${view.sealed > 0 ? `${formatCount(open)} of them ` : ''}in a partial buffer, ${until})`;
}

function channelScene(path: ChannelPath, view: ChannelView | undefined, timeMs: number, reducedMotion: boolean): ChannelScene {
  const d = pathOf(path.points);
  const creditsAt = pointAlong(path.points, 0.06);
  const middle = path.points[Math.floor(path.points.length / 2)] ?? { x: 0, y: 0 };
  if (view === undefined) {
    return { path, d, live: false, blocked: false, waitingForCredit: false, credits: 0, buffers: 0, creditsAt, middle, tokens: [], label: `${path.from} → ${path.to} (${path.partitioner}): not connected`, bufferNote: null };
  }
  const tokens: Token[] = [
    ...tokensOf(path, `${path.key}:p`, view.pending, 0.2, 'written, waiting to be sent'),
    ...view.onTheWire.flatMap((b, i) => tokensOf(path, `${path.key}:w${i}`, b, wireFraction(b, timeMs, reducedMotion), `on the wire, arriving at t=${formatCount(b.arrivesMs)}`, b.priority)),
    ...tokensOf(path, `${path.key}:q`, view.queued, 0.86, `arrived in ${view.queuedBuffers} buffer${view.queuedBuffers === 1 ? '' : 's'}, not read yet`),
  ];
  const held = [
    describeCounts(view.pending) && `waiting to be sent: ${describeCounts(view.pending)}${partialBufferNote(view)}`,
    view.onTheWire.length > 0 && `on the wire: ${view.onTheWire.length} buffer${view.onTheWire.length === 1 ? '' : 's'}`,
    describeCounts(view.queued) && `arrived, not read: ${describeCounts(view.queued)}`,
  ].filter((s) => typeof s === 'string' && s !== '');
  const label = [
    `${path.from} → ${path.to} (${path.partitioner})`,
    `credits ${view.credits} of ${view.buffers}`,
    view.blocked ? 'blocked by the consumer: its barrier came first, waiting for the other channels (alignment)' : null,
    view.waitingForCredit ? 'producer waits for credit (backpressure)' : null,
    ...held,
  ]
    .filter((s) => s !== null)
    .join('; ');
  const t = view.bufferTimeoutMs;
  const bufferNote = t === null ? null : t === -1 ? 'full buffers only' : t === 0 ? 'flushed after each record' : `flushed every ${formatCount(t)} ms`;
  return { path, d, live: true, blocked: view.blocked, waitingForCredit: view.waitingForCredit, credits: view.credits, buffers: view.buffers, creditsAt, middle, tokens, label, bufferNote };
}

/** The scene at `timeMs`: `moment` folded from the trace, `network` the last sample at or before it; `reducedMotion`: tokens on the wire do not glide (wireFraction). */
export function graphScene(layout: GraphLayout, moment: Moment | null, network: NetworkView | null, timeMs: number, reducedMotion = false): GraphScene {
  const at = new Map((moment?.subtasks ?? []).map((s) => [s.id, s]));
  const net = new Map((network?.subtasks ?? []).map((s) => [s.id, s]));
  const byPair = new Map((network?.channels ?? []).map((c) => [`${c.from}->${c.to}`, c]));
  return {
    nodes: layout.subtasks.map((box) => nodeScene(box, at.get(box.id), net.get(box.id), timeMs, moment?.deadTaskManagers ?? NO_ONE)),
    channels: layout.channels.map((path) => channelScene(path, byPair.get(path.pair), timeMs, reducedMotion)),
    sampledAtMs: network?.timeMs ?? null,
  };
}
