// A checkpoint is a consistent cut: snapshot n holds the effect of exactly the records
// that the sources had read before they sent barrier n. Here every record adds 1 to a
// keyed count, so in every completed checkpoint the counts in the state (plus, for an
// unaligned checkpoint, the in-flight records it persisted) add up to the sources'
// offsets in the same checkpoint. Aligned checkpoints get there by blocking channels that
// delivered barrier n, so no record after barrier n is in snapshot n; at-least-once does
// not block, and its snapshots can count records from after the barrier.
import { test as fcTest, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type CompletedCheckpoint, type FaultSpec, type Scenario } from '../../core/index.ts';

function scenario(mode: 'exactly-once' | 'at-least-once', unaligned: boolean, seed: number): Scenario {
  const topic = (interval: number) => ({ partitions: 2, generator: { count: 120, interval, keys: 4, outOfOrderness: 0, value: '{k: key}' } });
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'consistent cut',
      seed,
      cluster: { bufferSize: 4 },
      config: { parallelism: 2, checkpointing: { interval: 30, mode, unaligned, retained: 1000 }, restartStrategy: { type: 'fixed-delay', attempts: 10, delay: 10 } },
      topics: { fast: topic(1), slow: topic(0) },
      job: {
        name: 'count per key',
        operators: [
          { id: 'a', type: 'source', topic: 'fast', watermarks: { strategy: 'none' } },
          // Not chained to slowB (another parallelism): b reads its backlog into the network, where barriers queue behind it.
          { id: 'b', type: 'source', topic: 'slow', parallelism: 1, watermarks: { strategy: 'none' } },
          { id: 'slowB', type: 'map', input: 'b', throughput: 1, expr: '$' },
          { id: 'both', type: 'union', input: ['a', 'slowB'] },
          { id: 'byKey', type: 'keyBy', input: 'both', key: 'k' },
          { id: 'count', type: 'process', input: 'byKey', state: { n: { type: 'value', initial: 0 } }, onElement: [{ set: 'n', to: 'state.n + 1' }] },
          { id: 'out', type: 'sink', input: 'count', sink: { type: 'print' } },
        ],
      },
    },
    'cut.json',
  );
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.scenario;
}

/** (records the sources had read, records the state and channel state account for) in one checkpoint. */
function cut(checkpoint: CompletedCheckpoint): { read: number; counted: number } {
  let read = 0;
  let counted = 0;
  for (const task of checkpoint.tasks.values()) {
    for (const op of task.operators) {
      const state = op.operatorState as { splits?: { offset: number }[] } | null;
      if (op.operator === 'a' || op.operator === 'b') read += (state?.splits ?? []).reduce((n, s) => n + s.offset, 0);
      if (op.operator === 'count') for (const g of op.keyGroups) for (const e of g.entries) if (e.state === 'n') counted += e.value as number;
    }
    // In-flight records an unaligned checkpoint persisted, into slowB or into count: each is on one channel.
    counted += task.channelState.reduce((n, c) => n + c.records.length, 0);
  }
  return { read, counted };
}

function checkpointsOf(s: Scenario, faults: FaultSpec[]): CompletedCheckpoint[] {
  const sim = createSimulation({ scenario: s, faults, traceLevel: 'summary' });
  sim.run();
  expect(sim.report().status).toBe('FINISHED');
  return [...sim.jobManager.coordinator!.retained];
}

const kills = fc.array(
  fc.record({ at: fc.integer({ min: 5, max: 250 }), operator: fc.constantFrom('count', 'a', 'slowB'), subtask: fc.integer({ min: 0, max: 1 }) }),
  { maxLength: 2 },
).map((ks) => ks.map((k, i): FaultSpec => ({ type: 'kill-task', operator: k.operator, subtask: k.subtask, atMs: k.at, afterRecords: null, path: `$.faults[${i}]` })));

describe('every completed checkpoint is a consistent cut', () => {
  for (const unaligned of [false, true]) {
    fcTest.prop([kills, fc.integer({ min: 0, max: 1000 })], { numRuns: 15, seed: unaligned ? 77 : 78 })(`exactly-once, ${unaligned ? 'unaligned' : 'aligned'} (seed printed on failure)`, (faults, seed) => {
      const checkpoints = checkpointsOf(scenario('exactly-once', unaligned, seed), faults);
      expect(checkpoints.length).toBeGreaterThan(2);
      for (const c of checkpoints) expect({ id: c.id, ...cut(c) }).toEqual({ id: c.id, read: cut(c).read, counted: cut(c).read });
    });
  }

  it('at-least-once: some snapshot counts records from after its barrier', () => {
    const checkpoints = checkpointsOf(scenario('at-least-once', false, 1), []);
    expect(checkpoints.some((c) => cut(c).counted > cut(c).read)).toBe(true);
    // ...and never fewer than were read: every record before the barrier is in it.
    for (const c of checkpoints) expect(cut(c).counted).toBeGreaterThanOrEqual(cut(c).read);
  });

  it('checkpoint ids only grow, across restarts too', () => {
    // A failure at each time of the run (it ends at about 125 ms). The telling case is a failure while a checkpoint is pending: the restart
    // restores an older one, and the ids after it must still pass the id the failure aborted, not start again from the restored one.
    let pastAnAborted = 0;
    for (let at = 20; at <= 120; at += 5) {
      const sim = createSimulation({ scenario: scenario('exactly-once', false, 2), faults: [{ type: 'kill-task', operator: 'count', subtask: 1, atMs: at, afterRecords: null, path: '$.faults[0]' }] });
      sim.run();
      const ids = sim.trace.events.filter((e) => e.tag === 'checkpoint.triggered').map((e) => (e as { checkpoint: number }).checkpoint);
      expect(ids, `kill at ${at}`).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size, `kill at ${at}`).toBe(ids.length);
      expect(sim.report().restarts, `kill at ${at}`).toHaveLength(1);
      const aborted = sim.trace.events.find((e) => e.tag === 'checkpoint.failed' && e.reason === 'TASK_FAILURE') as { checkpoint: number } | undefined;
      if (aborted !== undefined && ids.some((id) => id > aborted.checkpoint)) pastAnAborted++;
    }
    expect(pastAnAborted).toBeGreaterThan(0);
  });
});
