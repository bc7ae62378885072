// The transport bar rendered on the server side of Svelte, and the narration over whole
// shipped runs: the bar carries step back, the jump buttons and menu, the ? button and a
// polite live line; every event of runs that touch each part of the engine (checkpoints,
// failures and restarts, two-phase commit, late data, idleness, savepoints, a lost
// TaskManager, an expired checkpoint) gets a sentence of its own, not the generic reading.
import { readFileSync } from 'node:fs';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenarioText, type TraceEvent } from '../../core/index.ts';
import TransportBar from '../../playground/src/components/TransportBar.svelte';
import { narrate } from '../../playground/src/lib/narration.ts';
import { Transport } from '../../playground/src/transport.svelte.ts';
import { SCENARIO_DIR } from '../scenarios/shipped.ts';

function run(name: string): { events: readonly TraceEvent[]; endMs: number } {
  const parsed = parseScenarioText(readFileSync(`${SCENARIO_DIR}/${name}.json`, 'utf8'), `${name}.json`);
  if (!parsed.ok) throw new Error(`${name} is invalid`);
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return { events: sim.trace.events, endMs: sim.kernel.clock.nowMs };
}

describe('TransportBar', () => {
  it('renders the step, jump and shortcut controls and a polite narration line', () => {
    const { events, endMs } = run('checkpoint-recovery');
    const transport = new Transport({});
    transport.load(events, endMs, 2500);
    transport.setJumpKind('failure');
    const { body } = render(TransportBar, { props: { transport } });
    for (const id of ['play', 'step-back', 'step', 'jump-previous', 'jump-kind', 'jump-next', 'shortcuts-help', 'virtual-time', 'sink-count', 'narration']) {
      expect(body).toContain(`data-testid="${id}"`);
    }
    expect(body).toMatch(/aria-live="polite"[^>]*data-testid="narration"/);
    expect(body).toContain('t=2,500 ms: the job restarts in 500 ms');
    expect(body).toContain('aria-label="Jump to the next failure"');
    // At 2,500 the cursor stands on the restart, after the kill and the FAILED subtask; nothing fails later.
    expect(body).toMatch(/data-testid="jump-next"[^>]*disabled/);
    expect(body).not.toMatch(/data-testid="jump-previous"[^>]*disabled/);
  });
});

describe('narration over shipped runs', () => {
  const names = [
    'checkpoint-recovery',
    'two-phase-commit-lifecycle',
    'late-data',
    'idle-partition',
    'savepoint-and-rescale',
    'lost-taskmanager',
    'checkpoint-expires',
    'checkpoints-unaligned-under-backpressure',
    'transaction-timeout-loses-data',
    'write-ahead-log-corner',
  ];
  it.each(names)('%s: each event reads as a sentence of its own', (name) => {
    const { events } = run(name);
    const tags = new Set<string>();
    for (const e of events) {
      const line = narrate(e);
      expect(line.startsWith(`t=${e.timeMs.toLocaleString('en-US')} ms: `)).toBe(true);
      // The generic reading starts with the tag; a sentence never names it.
      expect(line).not.toContain(e.tag);
      tags.add(e.tag);
    }
    expect(tags.size).toBeGreaterThan(5);
  });
});
