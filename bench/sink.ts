/**
 * Where an implementation delivers its results. The sink only collects: W1's kept values
 * are folded as they arrive (a count and a sum, both order-free), W2/W3's window results
 * go into growable columns. The window checksum needs the results sorted, and that sort is
 * the harness's work, not the implementation's, so `result()` runs after the clock stops.
 */
import { w1Step, windowChecksum, type WindowResults } from './reference.ts';

/** What a run produced, as the reference table states it. */
export interface BenchResult {
  readonly outputs: number;
  readonly checksum: number;
  readonly late: number;
}

const INITIAL_CAPACITY = 1024;

/**
 * @example
 * const sink = new BenchSink();
 * sink.window(7, 0, 1000, 2, 50);  // key 7, window [0, 1000): 2 records summing to 50
 * sink.result();                   // { outputs: 1, checksum: ..., late: 0 }
 */
export class BenchSink {
  #kind: 'none' | 'values' | 'windows' = 'none';
  #outputs = 0;
  #valueSum = 0;
  #late = 0;
  #capacity = INITIAL_CAPACITY;
  #key = new Float64Array(INITIAL_CAPACITY);
  #start = new Float64Array(INITIAL_CAPACITY);
  #end = new Float64Array(INITIAL_CAPACITY);
  #count = new Float64Array(INITIAL_CAPACITY);
  #sum = new Float64Array(INITIAL_CAPACITY);

  /** W1: one kept value. */
  value(v: number): void {
    if (this.#kind !== 'values') this.#become('values');
    this.#outputs++;
    this.#valueSum = w1Step(this.#valueSum, v);
  }

  /** W2/W3: one fired window result for `key` and the window [windowStart, windowEnd). */
  window(key: number, windowStart: number, windowEnd: number, count: number, sum: number): void {
    if (this.#kind !== 'windows') this.#become('windows');
    const i = this.#outputs;
    if (i === this.#capacity) this.#grow();
    this.#key[i] = key;
    this.#start[i] = windowStart;
    this.#end[i] = windowEnd;
    this.#count[i] = count;
    this.#sum[i] = sum;
    this.#outputs = i + 1;
  }

  /** W2/W3: `count` records dropped as late. */
  late(count = 1): void {
    this.#late += count;
  }

  /** Outputs, checksum and late count; sorts the window results (call after timing). */
  result(): BenchResult {
    const checksum = this.#kind === 'windows' ? windowChecksum(this.#columns()) : this.#valueSum;
    return { outputs: this.#outputs, checksum, late: this.#late };
  }

  #columns(): WindowResults {
    const n = this.#outputs;
    return {
      length: n,
      key: this.#key.subarray(0, n),
      windowStart: this.#start.subarray(0, n),
      windowEnd: this.#end.subarray(0, n),
      count: this.#count.subarray(0, n),
      sum: this.#sum.subarray(0, n),
    };
  }

  #become(kind: 'values' | 'windows'): void {
    if (this.#kind !== 'none') {
      throw new Error(`a bench sink takes either kept values (W1) or window results (W2/W3), not both; got ${kind} after ${this.#kind}`);
    }
    this.#kind = kind;
  }

  #grow(): void {
    const capacity = this.#capacity * 2;
    const grow = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    this.#key = grow(this.#key);
    this.#start = grow(this.#start);
    this.#end = grow(this.#end);
    this.#count = grow(this.#count);
    this.#sum = grow(this.#sum);
    this.#capacity = capacity;
  }
}
