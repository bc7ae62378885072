// The countdown to a restart: a pure function of the trace up to the cursor (the moment's
// pending restart), in the job's status and in the narration, on checkpoint-recovery's real trace.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenarioText, type TraceEvent } from '../../core/index.ts';
import { eventsUpTo, momentAt } from '../../playground/src/lib/moment.ts';
import { narrateCursor } from '../../playground/src/lib/narration.ts';
import { restartCountdown } from '../../playground/src/lib/pending-restarts.ts';
import { strategyName } from '../../playground/src/lib/restarts.ts';

function trace(name: string, seed: number): TraceEvent[] {
  const file = `scenarios/${name}.json`;
  const parsed = parseScenarioText(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error('invalid');
  const sim = createSimulation({ scenario: parsed.scenario, seed });
  sim.run();
  return [...sim.trace.events];
}

const events = trace('checkpoint-recovery', 1);
const at = (t: number) => momentAt(events, eventsUpTo(events, t), t);

describe('the restart countdown', () => {
  const decided = events.find((e) => e.tag === 'job.restarting')!;
  const restored = events.find((e) => e.tag === 'job.restored')!;

  it('counts down from the restart decision to the redeploy, and is gone once the job is restored', () => {
    if (decided.tag !== 'job.restarting') throw new Error('no restart');
    expect(at(decided.timeMs - 1).pendingRestarts).toEqual([]);
    const due = decided.timeMs + decided.delayMs;
    expect(at(decided.timeMs).pendingRestarts).toMatchObject([{ restart: 1, dueMs: due }]);
    const mid = decided.timeMs + 298;
    const m = at(mid);
    // A restart of every subtask needs no names.
    expect(m.pendingRestarts.map((p) => restartCountdown(p, mid, 'fixed-delay', m.subtasks.length))).toEqual([
      `restarting in ${(due - mid).toLocaleString('en-US')} ms (restart 1, fixed-delay)`,
    ]);
    expect(restored.timeMs).toBeGreaterThanOrEqual(due);
    expect(at(restored.timeMs).pendingRestarts).toEqual([]);
  });

  it('the narration says what is left at the cursor, not only what was decided', () => {
    const mid = decided.timeMs + 298;
    const m = at(mid);
    const line = narrateCursor(m.last, null, m);
    expect(line).toContain(`Now t=${mid.toLocaleString('en-US')} ms, restarting in ${(decided.timeMs + 500 - mid).toLocaleString('en-US')} ms`);
    const onDecision = at(decided.timeMs);
    expect(narrateCursor(onDecision.last, null, onDecision)).not.toContain('Now t=');
  });

  it('names the strategy, and Flink\'s default by what it falls back to', () => {
    expect(strategyName({ type: 'fixed-delay', attempts: 3, delayMs: 500 }, true)).toBe('fixed-delay');
    expect(strategyName(null, true)).toBe('exponential-delay, the default');
    expect(strategyName(null, false)).toBe('none, the default');
  });
});
