// The network view a playground draws: credits, buffers on the wire and at the consumer,
// channels blocked by alignment. Sampling it must change nothing in the run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, networkView, validateScenario, type JsonValue, type NetworkView, type Simulation } from '../../core/index.ts';

function simOf(file: string, seed = 0): Simulation {
  const result = validateScenario(JSON.parse(readFileSync(file, 'utf8')) as JsonValue, file);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return createSimulation({ scenario: result.scenario, seed, traceLevel: 'full' });
}

function sampled(file: string): { views: NetworkView[]; hash: string } {
  const sim = simOf(file);
  const views: NetworkView[] = [];
  while (sim.step()) views.push(networkView(sim.jobManager));
  return { views, hash: sim.trace.hash() };
}

describe('networkView', () => {
  it('changes nothing in the run: the trace hash is the one of a run nobody looked at', () => {
    for (const file of ['scenarios/backpressure.json', 'scenarios/checkpoints-unaligned-under-backpressure.json']) {
      const plain = simOf(file);
      plain.run();
      expect(sampled(file).hash).toBe(plain.trace.hash());
    }
  });

  it('never shows more buffers in use than the consumer has: credits + on the wire + queued <= buffers', () => {
    const { views } = sampled('scenarios/backpressure.json');
    let checked = 0;
    for (const view of views) {
      for (const c of view.channels) {
        const dataOnTheWire = c.onTheWire.filter((b) => !b.priority).length;
        expect(c.credits).toBeGreaterThanOrEqual(0);
        expect(c.credits + dataOnTheWire + c.queuedBuffers).toBeLessThanOrEqual(c.buffers);
        for (const b of c.onTheWire) expect(b.arrivesMs).toBeGreaterThanOrEqual(b.sentMs);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('shows backpressure: a producer with a full buffer and no credit, and its subtask backpressured', () => {
    const { views } = sampled('scenarios/backpressure.json');
    const stuck = views.find((v) => v.channels.some((c) => c.waitingForCredit && c.credits === 0));
    expect(stuck).toBeDefined();
    const channel = stuck!.channels.find((c) => c.waitingForCredit)!;
    expect(stuck!.subtasks.find((s) => s.id === channel.from)!.backPressured).toBe(true);
    // Where the producer waits, the consumer has its buffers full of unread data.
    expect(views.some((v) => v.channels.some((c) => c.queuedBuffers === c.buffers && c.queued.records > 0))).toBe(true);
  });

  it('shows a channel blocked by an aligned checkpoint, and barriers on the wire and queued', () => {
    // Its window subtasks read two channels, whose barriers arrive at different times.
    const { views } = sampled('scenarios/checkpoint-recovery.json');
    const blocked = views.filter((v) => v.channels.some((c) => c.blocked));
    expect(blocked.length).toBeGreaterThan(0);
    // Only some of a subtask's channels are blocked: the one(s) whose barrier came first.
    for (const v of blocked) {
      const to = v.channels.find((c) => c.blocked)!.to;
      expect(v.channels.filter((c) => c.to === to).some((c) => !c.blocked)).toBe(true);
    }
    expect(views.some((v) => v.channels.some((c) => c.onTheWire.some((b) => b.barriers.length > 0) || c.queued.barriers.length > 0))).toBe(true);
  });

  it('shows an unaligned barrier overtaking the data as a priority buffer on the wire', () => {
    const { views } = sampled('scenarios/checkpoints-unaligned-under-backpressure.json');
    const overtaking = views.flatMap((v) => v.channels.flatMap((c) => c.onTheWire.filter((b) => b.priority)));
    expect(overtaking.length).toBeGreaterThan(0);
    for (const b of overtaking) expect(b.barriers).toHaveLength(1);
    expect(views.some((v) => v.channels.some((c) => c.blocked))).toBe(false);
  });

  it('names the slot and TaskManager of every deployed subtask', () => {
    const { views } = sampled('scenarios/lost-taskmanager.json');
    const deployed = views.flatMap((v) => v.subtasks).filter((s) => s.slot !== null);
    expect(deployed.length).toBeGreaterThan(0);
    for (const s of deployed) expect(s.slot!.startsWith(`${s.taskManager}/slot-`)).toBe(true);
    // The TaskManager lost and replaced: later attempts run on another one.
    expect(new Set(deployed.map((s) => s.taskManager)).size).toBeGreaterThan(1);
  });
});
