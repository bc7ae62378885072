// Jumps to the next / previous event of a kind (playground/src/lib/jumps.ts): which events
// belong to each kind, the neighbours of a cursor on a shipped run, and properties over
// random traces (fast-check; a failure prints its seed and path): a jump lands on an event of
// the kind, never skips one, forward then back returns where it was, and the position lists
// answer as a plain scan of the events does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation, parseScenarioText, type TraceEvent } from '../../core/index.ts';
import {
  isJumpKind,
  isOfKind,
  JUMP_KINDS,
  nextOfKind,
  nextPosition,
  positionsOf,
  previousOfKind,
  previousPosition,
  type JumpKind,
} from '../../playground/src/lib/jumps.ts';
import { readFileSync } from 'node:fs';
import { SCENARIO_DIR } from '../scenarios/shipped.ts';

/** A trace event without its time, tag by tag. */
type Untimed<E = TraceEvent> = E extends TraceEvent ? Omit<E, 'timeMs'> : never;
const KINDS: readonly JumpKind[] = JUMP_KINDS.map((k) => k.kind);

/** One event of each shape that matters to some kind, and some that matter to none. */
const SAMPLES: readonly Untimed[] = [
  { tag: 'checkpoint.triggered', checkpoint: 1, savepoint: false, tasks: 2 },
  { tag: 'barrier.received', task: 'w#0', attempt: 1, checkpoint: 1, input: 0 },
  { tag: 'barrier.aligned', task: 'w#0', attempt: 1, checkpoint: 1, alignmentMs: 0, unaligned: false },
  { tag: 'window.fired', task: 'w#0', attempt: 1, operator: 'w', key: 'a', start: 0, end: 10 },
  { tag: 'fault.injected', fault: 'kill-task', target: 'w#0', description: 'killed' },
  { tag: 'task.status', task: 'w#0', attempt: 1, status: 'FAILED', cause: 'boom' },
  { tag: 'task.status', task: 'w#0', attempt: 1, status: 'RUNNING', cause: null },
  { tag: 'job.restarting', attempt: 1, delayMs: 10, cause: 'boom', tasks: ['w#0'] },
  { tag: 'job.status', job: 'j', status: 'FAILED', cause: 'out of restarts' },
  { tag: 'job.status', job: 'j', status: 'RUNNING', cause: null },
  { tag: 'checkpoint.completed', checkpoint: 1, savepoint: false, stateSize: 1, checkpointedSize: 1, durationMs: 1 },
  { tag: 'checkpoint.failed', checkpoint: 2, status: 'FAILED', reason: 'EXPIRED', cause: null, counted: true },
  { tag: 'sink.wrote', task: 's#0', attempt: 1, sink: 's', value: 1, timestamp: null },
  { tag: 'sink.commit', task: 's#0', attempt: 1, sink: 's', step: 'commit', checkpoint: 1, records: 1 },
  { tag: 'watermark.advanced', task: 'w#0', attempt: 1, operator: 'w', watermark: 5 },
  { tag: 'record.emitted', task: 'w#0', attempt: 1, operator: 'w', value: 1, timestamp: 1 },
];

/** A trace of sample events at non-decreasing times (several share a ms). */
const traceArb: fc.Arbitrary<TraceEvent[]> = fc
  .array(fc.tuple(fc.integer({ min: 0, max: SAMPLES.length - 1 }), fc.integer({ min: 0, max: 3 })), { maxLength: 60 })
  .map((picks) => {
    let t = 0;
    return picks.map(([i, dt]) => ({ ...SAMPLES[i]!, timeMs: (t += dt) }) as TraceEvent);
  });
const kindArb = fc.constantFrom(...KINDS);
/** A trace with a cursor over it (a count of events, 0 to all of them). */
const cursorArb = traceArb.chain((events) => fc.tuple(fc.constant(events), fc.integer({ min: 0, max: events.length }), kindArb));

function sample(tag: string, extra: Record<string, unknown> = {}): TraceEvent {
  const found = SAMPLES.find((s) => s.tag === tag && Object.entries(extra).every(([k, v]) => (s as unknown as Record<string, unknown>)[k] === v));
  return { ...found!, timeMs: 0 } as TraceEvent;
}

describe('the kinds of event a jump goes to', () => {
  it('barrier: a checkpoint triggered at the sources or a barrier reaching a subtask', () => {
    expect(isOfKind(sample('checkpoint.triggered'), 'barrier')).toBe(true);
    expect(isOfKind(sample('barrier.received'), 'barrier')).toBe(true);
    expect(isOfKind(sample('barrier.aligned'), 'barrier')).toBe(false);
  });

  it('failure: a fault, a FAILED subtask, a restart, a FAILED job; not a subtask that runs', () => {
    expect(isOfKind(sample('fault.injected'), 'failure')).toBe(true);
    expect(isOfKind(sample('task.status', { status: 'FAILED' }), 'failure')).toBe(true);
    expect(isOfKind(sample('task.status', { status: 'RUNNING' }), 'failure')).toBe(false);
    expect(isOfKind(sample('job.restarting'), 'failure')).toBe(true);
    expect(isOfKind(sample('job.status', { status: 'FAILED' }), 'failure')).toBe(true);
    expect(isOfKind(sample('job.status', { status: 'RUNNING' }), 'failure')).toBe(false);
    expect(isOfKind(sample('checkpoint.failed'), 'failure')).toBe(false);
  });

  it('window firing, completed checkpoint (not a failed one), sink write (written or committed)', () => {
    expect(isOfKind(sample('window.fired'), 'window')).toBe(true);
    expect(isOfKind(sample('checkpoint.completed'), 'checkpoint')).toBe(true);
    expect(isOfKind(sample('checkpoint.failed'), 'checkpoint')).toBe(false);
    expect(isOfKind(sample('sink.wrote'), 'sink')).toBe(true);
    expect(isOfKind(sample('sink.commit'), 'sink')).toBe(true);
    expect(isOfKind(sample('record.emitted'), 'sink')).toBe(false);
  });

  it('names each kind once, and knows its names', () => {
    expect(new Set(KINDS).size).toBe(KINDS.length);
    for (const k of KINDS) expect(isJumpKind(k)).toBe(true);
    expect(isJumpKind('watermark')).toBe(false);
  });
});

describe('jumps on checkpoint-recovery (seed 1)', () => {
  const parsed = parseScenarioText(readFileSync(`${SCENARIO_DIR}/checkpoint-recovery.json`, 'utf8'), 'checkpoint-recovery.json');
  if (!parsed.ok) throw new Error('invalid');
  const sim = createSimulation({ scenario: parsed.scenario, seed: 1 });
  sim.run();
  const events = sim.trace.events;
  const timeOf = (i: number | null) => (i === null ? null : events[i]!.timeMs);

  it('from the start: the first window fires at 2,201, the kill at 2,500, checkpoint 1 completes at 1,004', () => {
    expect(timeOf(nextOfKind(events, 0, 'window'))).toBe(2201);
    expect(timeOf(nextOfKind(events, 0, 'failure'))).toBe(2500);
    expect(events[nextOfKind(events, 0, 'failure')!]!.tag).toBe('fault.injected');
    expect(timeOf(nextOfKind(events, 0, 'checkpoint'))).toBe(1004);
    expect(timeOf(nextOfKind(events, 0, 'barrier'))).toBe(1000);
    expect(previousOfKind(events, 0, 'window')).toBeNull();
  });

  it('the replay fires the window [0, 2000) again at 3,201, after the restart', () => {
    const failures = positionsOf(events, 'failure');
    const afterRestart = nextPosition(positionsOf(events, 'window'), failures[failures.length - 1]! + 1)!;
    expect(events[afterRestart]).toMatchObject({ tag: 'window.fired', timeMs: 3201, start: 0, end: 2000, attempt: 2 });
  });

  it('from the end: the last completed checkpoint is 7, and nothing of any kind is later', () => {
    const n = events.length;
    expect(events[previousPosition(positionsOf(events, 'checkpoint'), n)!]).toMatchObject({ checkpoint: 7 });
    for (const kind of KINDS) expect(nextOfKind(events, n, kind)).toBeNull();
  });
});

describe('jump properties over random traces', () => {
  it('a jump lands on an event of the kind, forward after the cursor, back before the event it stands on', () => {
    fc.assert(
      fc.property(cursorArb, ([events, count, kind]) => {
        const next = nextOfKind(events, count, kind);
        if (next !== null) {
          expect(isOfKind(events[next]!, kind)).toBe(true);
          expect(next).toBeGreaterThanOrEqual(count);
        }
        const previous = previousOfKind(events, count, kind);
        if (previous !== null) {
          expect(isOfKind(events[previous]!, kind)).toBe(true);
          expect(previous).toBeLessThan(count - 1);
        }
      }),
    );
  });

  it('never skips an event of the kind (nothing of it between the cursor and where it lands)', () => {
    fc.assert(
      fc.property(cursorArb, ([events, count, kind]) => {
        const next = nextOfKind(events, count, kind) ?? events.length;
        for (let i = count; i < next; i++) expect(isOfKind(events[i]!, kind)).toBe(false);
        const previous = previousOfKind(events, count, kind) ?? -1;
        for (let i = previous + 1; i < count - 1; i++) expect(isOfKind(events[i]!, kind)).toBe(false);
      }),
    );
  });

  it('forward then back, and back then forward, return to the event of the kind the cursor stood on', () => {
    fc.assert(
      fc.property(cursorArb, ([events, count, kind]) => {
        // The cursor after a jump stands after the event it landed on: count = index + 1.
        const next = nextOfKind(events, count, kind);
        if (next !== null) {
          const back = previousOfKind(events, next + 1, kind);
          const standsOnKind = count > 0 && isOfKind(events[count - 1]!, kind);
          expect(back).toBe(standsOnKind ? count - 1 : previousOfKind(events, count, kind));
        }
        const previous = previousOfKind(events, count, kind);
        if (previous !== null) {
          const forward = nextOfKind(events, previous + 1, kind);
          // The first event of the kind after `previous` is the one the cursor stood on, or a later one.
          if (isOfKind(events[count - 1]!, kind)) expect(forward).toBe(count - 1);
          else expect(forward).toBe(nextOfKind(events, count, kind));
        }
      }),
    );
  });

  it('repeated jumps forward visit every event of the kind, in order, and back again', () => {
    fc.assert(
      fc.property(traceArb, kindArb, (events, kind) => {
        const expected = events.flatMap((e, i) => (isOfKind(e, kind) ? [i] : []));
        const forward: number[] = [];
        for (let count = 0, i = nextOfKind(events, 0, kind); i !== null; count = i + 1, i = nextOfKind(events, count, kind)) forward.push(i);
        expect(forward).toEqual(expected);
        const backward: number[] = [];
        const last = expected[expected.length - 1];
        if (last !== undefined) {
          for (let i = previousOfKind(events, last + 1, kind); i !== null; i = previousOfKind(events, i + 1, kind)) backward.push(i);
        }
        expect(backward.reverse()).toEqual(expected.slice(0, -1));
      }),
    );
  });

  it('the position lists answer as the scan of the events does', () => {
    fc.assert(
      fc.property(cursorArb, ([events, count, kind]) => {
        const positions = positionsOf(events, kind);
        expect(nextPosition(positions, count)).toBe(nextOfKind(events, count, kind));
        expect(previousPosition(positions, count)).toBe(previousOfKind(events, count, kind));
      }),
    );
  });
});
