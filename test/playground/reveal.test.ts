// A finished run's panels appear one group a task: revealStages calls back 2 ... LAST_STAGE,
// each from its own callback (a task in the page), and a newer outcome stops the old one.
import { describe, expect, it } from 'vitest';
import { LAST_STAGE, OUTPUT_ROWS, STAGE, revealStages } from '../../playground/src/lib/reveal.ts';

describe('revealStages', () => {
  it('shows one more stage per task, up to the last, and stops when cancelled', () => {
    const queue: (() => void)[] = [];
    const shown: number[] = [];
    revealStages({}, (n) => shown.push(n), (cb) => queue.push(cb), () => undefined);
    let tasks = 0;
    while (queue.length > 0) {
      const before = shown.length;
      queue.shift()!();
      tasks++;
      expect(shown.length).toBe(before + 1);
    }
    expect(shown).toEqual(Array.from({ length: LAST_STAGE - 1 }, (_, i) => i + 2));
    expect(tasks).toBe(LAST_STAGE - 1);

    const cancelled: unknown[] = [];
    const stop = revealStages({}, () => undefined, () => 'handle', (h) => cancelled.push(h));
    stop();
    expect(cancelled).toEqual(['handle']);
    const none: number[] = [];
    revealStages(null, (n) => none.push(n), (cb) => queue.push(cb), () => undefined);
    expect(queue).toHaveLength(0);
  });

  it('grows the output tables to their own limit before the tables after them', () => {
    expect(OUTPUT_ROWS.at(-1)).toBe(1_000);
    expect(STAGE.outputs + OUTPUT_ROWS.length).toBeLessThanOrEqual(STAGE.tables);
  });
});
