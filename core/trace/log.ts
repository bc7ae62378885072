/**
 * The trace log: an append-only list of trace events and a running 64-bit hash over their
 * content (`TraceHash`: the words of each event's canonical JSON, no text built). The
 * hash is the run's fingerprint: same scenario and seed, same hash,
 * in Node and in the browser. It covers exactly the events of the log's level, so compare
 * hashes taken at the same level (`weir run` and the playground both use `full`).
 */
import { canonicalJson, type JsonValue } from '../model/index.ts';
import { assert, LimitExceededError } from '../kernel/index.ts';
import { TAG_LEVEL, TRACE_LEVELS, levelRank, type TraceEvent, type TraceLevel, type TraceTag } from './events.ts';
import { TraceHash, type TraceHashState } from './hash.ts';

export interface TraceLogOptions {
  level: TraceLevel;
  /** Events kept in memory before the run is stopped (a limit, not a ring). */
  maxEvents?: number;
  /**
   * Bytes of event content hashed (four per 32-bit word) before the run is stopped, kept or
   * not: hashing a huge value costs time even when nothing holds it.
   */
  maxBytes?: number;
  /** Keep events in memory (default) or only hash and count them. */
  retain?: boolean;
}

export type TraceListener = (event: TraceEvent) => void;

/** Each tag's field names in canonical (sorted) order, with their JSON-quoted forms. */
const fieldOrder = new Map<string, { names: string[]; quoted: string[] }>();

/**
 * The canonical encoding of one event: canonical JSON, one line. Events of one tag share
 * their fields, so the sorted field order is worked out once per tag, not per event; the
 * result is exactly `canonicalJson(event)`.
 */
export function encodeEvent(event: TraceEvent): string {
  const fields = event as unknown as Record<string, JsonValue | undefined>;
  let order = fieldOrder.get(event.tag);
  if (order === undefined) {
    const names = Object.keys(fields).sort();
    order = { names, quoted: names.map((n) => JSON.stringify(n)) };
    fieldOrder.set(event.tag, order);
  }
  const { names, quoted } = order;
  if (Object.keys(fields).length !== names.length) return canonicalJson(fields as JsonValue);
  let out = '{';
  for (let i = 0; i < names.length; i++) {
    const value = fields[names[i]!];
    if (value === undefined) return canonicalJson(fields as JsonValue);
    out += (i === 0 ? '' : ',') + quoted[i] + ':' + canonicalJson(value);
  }
  return out + '}';
}

/**
 * @example
 * const trace = new TraceLog({ level: 'full' });
 * trace.emit({ tag: 'run.ended', timeMs: 5, status: 'FINISHED', reason: 'job finished' });
 * trace.hash(); // 16 hex digits
 */
export class TraceLog {
  readonly level: TraceLevel;
  /** True when per-record events are recorded: check it before building one. */
  readonly full: boolean;
  readonly #rank: number;
  readonly #maxEvents: number;
  readonly #maxBytes: number;
  readonly #maxWords: number;
  readonly #retain: boolean;
  readonly #hash = new TraceHash();
  readonly #events: TraceEvent[] = [];
  readonly #listeners = new Set<TraceListener>();
  /** Per tag, the taps (see `tap`); empty in most logs. */
  readonly #taps = new Map<TraceTag, TraceListener[]>();
  #count = 0;

  constructor(options: TraceLogOptions) {
    this.level = options.level;
    this.#rank = levelRank(options.level);
    this.full = this.#rank >= 2;
    this.#maxEvents = options.maxEvents ?? 2_000_000;
    this.#maxBytes = options.maxBytes ?? 1_000_000_000;
    this.#maxWords = Math.floor(this.#maxBytes / 4);
    this.#retain = options.retain ?? true;
  }

  /** Whether events with this tag are recorded at this log's level. */
  records(tag: TraceTag): boolean {
    return levelRank(TAG_LEVEL[tag]) <= this.#rank;
  }

  emit(event: TraceEvent): void {
    // At level full every tag is recorded: the tag's level is looked up only below it.
    if (!this.full && levelRank(TAG_LEVEL[event.tag]) > this.#rank) {
      if (this.#rank === 0 && this.#taps.size > 0) this.#tapped(event);
      return;
    }
    const wordsBefore = this.#hash.words;
    this.#hash.object(event as unknown as Readonly<Record<string, JsonValue>>);
    this.#count++;
    if (this.#hash.words > this.#maxWords) this.#tooManyBytes(event, this.#hash.words - wordsBefore);
    if (this.#retain) {
      if (this.#events.length >= this.#maxEvents) {
        throw new LimitExceededError('maxTraceEvents', this.#maxEvents, `after ${this.#count - 1} trace events`, this.#lowerLevels());
      }
      this.#events.push(event);
    }
    // Most logs have no listener: an iterator per event would be an allocation for nothing.
    if (this.#listeners.size > 0) for (const listener of this.#listeners) listener(event);
    if (this.#taps.size > 0) this.#tapped(event);
  }

  #tapped(event: TraceEvent): void {
    const taps = this.#taps.get(event.tag);
    if (taps !== undefined) for (const tap of taps) tap(event);
  }

  /** Bytes of event content hashed so far: four per 32-bit word (see maxBytes). */
  get bytes(): number {
    return this.#hash.words * 4;
  }

  #tooManyBytes(event: TraceEvent, words: number): never {
    const what = `after ${this.#count - 1} trace events of ${this.bytes - words * 4} bytes, at a ${event.tag} event of ${words * 4} bytes (t=${event.timeMs} ms)`;
    throw new LimitExceededError('maxTraceBytes', this.#maxBytes, what, this.#lowerLevels());
  }

  /** The trace levels that record less than this log's: what a trace limit's message can suggest. */
  #lowerLevels(): TraceLevel[] {
    return TRACE_LEVELS.filter((level) => levelRank(level) < this.#rank).reverse();
  }

  /** The hash over every recorded event so far: 16 hex digits. */
  hash(): string {
    return this.#hash.hex();
  }

  /** Recorded events (empty when the log does not retain them). */
  get events(): readonly TraceEvent[] {
    return this.#events;
  }

  /** Events recorded so far, retained or not. */
  get count(): number {
    return this.#count;
  }

  /** Calls `listener` for each event recorded from now on; returns the unsubscribe. */
  subscribe(listener: TraceListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Calls `listener` for each event of `tags` from now on, recorded or not: at level `off`
   * too, though the log keeps and hashes nothing. The tags must be of level summary, so that
   * what a tap folds (the run report's checkpoints and restarts) is the same at every level,
   * and the same as folding the events a summary or full trace records.
   */
  tap(tags: readonly TraceTag[], listener: TraceListener): void {
    for (const tag of tags) {
      assert(TAG_LEVEL[tag] === 'summary', () => `a tap reads summary events only, and ${tag} is of level ${TAG_LEVEL[tag]}`);
      let taps = this.#taps.get(tag);
      if (taps === undefined) this.#taps.set(tag, (taps = []));
      taps.push(listener);
    }
  }

  snapshot(): TraceLogSnapshot {
    return { count: this.#count, retained: this.#events.length, hash: this.#hash.snapshot() };
  }

  /** Truncates the log back to a snapshot (events after it are forgotten). */
  restore(snapshot: TraceLogSnapshot): void {
    this.#count = snapshot.count;
    this.#events.length = snapshot.retained;
    this.#hash.restore(snapshot.hash);
  }
}

export interface TraceLogSnapshot {
  readonly count: number;
  readonly retained: number;
  readonly hash: TraceHashState;
}
