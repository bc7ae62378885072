// The transport over a finished run, in Node with a fake animation clock: seek, step and
// play move one cursor, and the moment there is the fold of the events before it, the same
// however the cursor got there (forward in steps, backward, or straight from the start).
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenarioText } from '../../core/index.ts';
import { eventsUpTo, momentAt } from '../../playground/src/lib/moment.ts';
import { Transport } from '../../playground/src/transport.svelte.ts';
import { readFileSync } from 'node:fs';
import { SCENARIO_DIR } from '../scenarios/shipped.ts';

function finishedRun(name: string) {
  const parsed = parseScenarioText(readFileSync(`${SCENARIO_DIR}/${name}.json`, 'utf8'), `${name}.json`);
  if (!parsed.ok) throw new Error('invalid');
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return { events: sim.trace.events, endMs: sim.kernel.clock.nowMs };
}

describe('Transport', () => {
  const { events, endMs } = finishedRun('checkpoint-recovery');

  it('stands at the end of a run it loads, or at the time asked for (clamped to the run)', () => {
    const t = new Transport({});
    t.load(events, endMs, null);
    expect(t.timeMs).toBe(endMs);
    expect(t.moment!.events).toBe(events.length);
    t.load(events, endMs, 10 ** 9);
    expect(t.timeMs).toBe(endMs);
    t.load(events, endMs, 2500);
    expect(t.moment).toEqual(momentAt(events, eventsUpTo(events, 2500), 2500));
  });

  it('gives the same moment going forward by steps, backward by seeks, or folded from the start', () => {
    const t = new Transport({});
    t.load(events, endMs, 0);
    for (let i = 0; i < 150; i++) t.step();
    const stepped = t.moment!;
    expect(stepped.events).toBe(eventsUpTo(events, 0) + 150);
    t.seek(endMs);
    t.seek(stepped.timeMs);
    // A seek lands after every event of that ms; a step may stand between two of the same ms.
    expect(t.moment).toEqual(momentAt(events, eventsUpTo(events, stepped.timeMs), stepped.timeMs));
    expect(momentAt(events, stepped.events, stepped.timeMs)).toEqual(stepped);
  });

  it('plays at its speed, one frame at a time, and stops at the end or when paused', () => {
    const frames: ((now: number) => void)[] = [];
    const t = new Transport({ requestFrame: (cb) => frames.push(cb) });
    t.load(events, endMs, 0);
    t.setSpeed(2000);
    t.play();
    let now = 0;
    const tick = () => frames.shift()!((now += 100));
    tick(); // the first frame only sets the clock
    tick();
    expect(t.timeMs).toBe(200); // 100 wall ms at 2000 virtual ms per second
    t.pause();
    expect(t.playing).toBe(false);
    tick();
    expect(t.timeMs).toBe(200);
    t.play();
    while (frames.length > 0) tick();
    expect(t.timeMs).toBe(endMs);
    expect(t.playing).toBe(false);
  });
});
