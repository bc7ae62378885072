/**
 * A model timer queue for the timer-service tests: registrations in order, each (time, key,
 * namespace) live once; firing and listing by (time, registration), deletions lazy, as a
 * heap with lazy deletion behaves. Written from the contract, not from the service's code.
 */
import type { Timer } from '../../core/state/index.ts';

export const id = (t: { timestamp: number; keyId: string | number; namespace: string }): string => `${t.timestamp}|${t.keyId}|${t.namespace}`;

export class TimerModel {
  entries: { timer: Timer; seq: number }[] = [];
  readonly live = new Set<string>();
  seq = 0;
  has(timer: Timer): boolean {
    return this.live.has(id(timer));
  }
  register(timer: Timer): void {
    if (this.live.has(id(timer))) return;
    this.live.add(id(timer));
    this.entries.push({ timer, seq: this.seq++ });
  }
  delete(timer: Timer): void {
    this.live.delete(id(timer));
  }
  #sorted() {
    return this.entries.sort((a, b) => a.timer.timestamp - b.timer.timestamp || a.seq - b.seq);
  }
  advance(to: number, fire: (t: Timer) => void): void {
    for (;;) {
      const top = this.#sorted()[0];
      if (top === undefined || top.timer.timestamp > to) return;
      this.entries.shift();
      if (!this.live.delete(id(top.timer))) continue;
      fire(top.timer);
    }
  }
  list(): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const { timer } of this.#sorted()) {
      const k = id(timer);
      if (!this.live.has(k) || seen.has(k)) continue;
      seen.add(k);
      out.push(k);
    }
    return out;
  }
}
