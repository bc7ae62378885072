/**
 * The kernel's agenda: what happens next, and in which order. Entries are ordered by
 * (time, priority, sequence): earlier time first; at equal time the lower priority number
 * first; at equal priority, the order in which they were scheduled. The sequence number
 * makes the order total, so a tie never depends on how a heap happens to shuffle equal
 * keys. A binary heap keeps push and pop at O(log n); the capacity bounds it.
 */
import { assert } from './assert.ts';

/** One scheduled event. `event` is plain, immutable data so that a snapshot can share it. */
export interface QueueEntry<E> {
  readonly timeMs: number;
  readonly priority: number;
  readonly seq: number;
  readonly event: E;
}

/** Thrown by `push` when the queue is full; the kernel turns it into a limit error. */
export class QueueFullError extends Error {
  constructor(readonly capacity: number) {
    super(`event queue is full (${capacity} entries)`);
    this.name = 'QueueFullError';
  }
}

function before<E>(a: QueueEntry<E>, b: QueueEntry<E>): boolean {
  if (a.timeMs !== b.timeMs) return a.timeMs < b.timeMs;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

/**
 * A bounded priority queue ordered by (time, priority, sequence).
 * @example
 * const q = new EventQueue<string>(100);
 * q.push(5, 0, 'b'); q.push(5, 0, 'c'); q.push(1, 9, 'a');
 * q.pop()?.event; // 'a', then 'b', then 'c'
 */
export class EventQueue<E> {
  #heap: QueueEntry<E>[] = [];
  #nextSeq = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    assert(capacity > 0, `queue capacity must be positive, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#heap.length;
  }

  push(timeMs: number, priority: number, event: E): QueueEntry<E> {
    if (this.#heap.length >= this.capacity) throw new QueueFullError(this.capacity);
    const entry: QueueEntry<E> = { timeMs, priority, seq: this.#nextSeq++, event };
    const heap = this.#heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
    return entry;
  }

  peek(): QueueEntry<E> | undefined {
    return this.#heap[0];
  }

  pop(): QueueEntry<E> | undefined {
    const heap = this.#heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }

  /** The entries in pop order, without changing the queue (for inspection and tests). */
  sorted(): QueueEntry<E>[] {
    return [...this.#heap].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /** A copy of the queue's state; entries are immutable, so they are shared, not copied. */
  snapshot(): EventQueueSnapshot<E> {
    return { entries: this.#heap.slice(), nextSeq: this.#nextSeq };
  }

  restore(snapshot: EventQueueSnapshot<E>): void {
    this.#heap = snapshot.entries.slice();
    this.#nextSeq = snapshot.nextSeq;
  }
}

export interface EventQueueSnapshot<E> {
  readonly entries: readonly QueueEntry<E>[];
  readonly nextSeq: number;
}
