/**
 * The queue that holds END events until their time comes, ordered by event time. The
 * course keeps them in a `java.util.PriorityQueue`, a binary heap; two END events with the
 * same time leave it in the order the heap's sifting gives, not in insertion order. This
 * heap sifts exactly as Java's does (sift up while strictly smaller than the parent; sift
 * down to the smaller child, the left one on a tie), so equal times leave in the course's
 * order too.
 */

export class EndEventQueue<T> {
  readonly #heap: T[] = [];

  constructor(private readonly timeOf: (item: T) => number) {}

  get size(): number {
    return this.#heap.length;
  }

  /** The earliest time in the queue, or null when it is empty. */
  peekTime(): number | null {
    const first = this.#heap[0];
    return first === undefined ? null : this.timeOf(first);
  }

  add(item: T): void {
    const heap = this.#heap;
    let k = heap.length;
    heap.push(item);
    const t = this.timeOf(item);
    while (k > 0) {
      const parent = (k - 1) >>> 1;
      if (t >= this.timeOf(heap[parent]!)) break;
      heap[k] = heap[parent]!;
      k = parent;
    }
    heap[k] = item;
  }

  poll(): T | undefined {
    const heap = this.#heap;
    const result = heap[0];
    const last = heap.pop();
    const n = heap.length;
    if (n === 0 || last === undefined) return result;
    const t = this.timeOf(last);
    let k = 0;
    const half = n >>> 1;
    while (k < half) {
      let child = 2 * k + 1;
      const right = child + 1;
      if (right < n && this.timeOf(heap[child]!) > this.timeOf(heap[right]!)) child = right;
      if (t <= this.timeOf(heap[child]!)) break;
      heap[k] = heap[child]!;
      k = child;
    }
    heap[k] = last;
    return result;
  }
}
