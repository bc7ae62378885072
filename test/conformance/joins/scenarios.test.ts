/**
 * Two-input operators in whole scenarios: Flink training's rides-and-fares solution
 * written in the scenario DSL, an interval join, the broadcast state pattern, and what a
 * running job must guarantee: a task killed mid-run with checkpoints (aligned and
 * unaligned) gives the same committed output, exactly once; a rescaled resume keeps keyed
 * and broadcast state; the same seed gives the same trace hash.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createSimulation, formatIssue, validateScenario, type JsonValue, type RunReport, type Scenario } from '../../../core/index.ts';

type Obj = Record<string, JsonValue>;

/** Rides 1..n and fares for all but every fifth ride, on two partitions each, some fares before their rides. */
function ridesAndFares(n: number): Obj {
  const rides: Obj[] = [];
  const fares: Obj[] = [];
  for (let i = 1; i <= n; i++) {
    const t = i * 100;
    rides.push({ key: i, value: { rideId: i, eventTime: t }, timestamp: t, at: t });
    if (i % 5 !== 0) fares.push({ key: i, value: { rideId: i, totalFare: i }, timestamp: t + (i % 3 === 0 ? -40 : 60), at: t + (i % 3 === 0 ? -40 : 60) });
  }
  return { rides: { partitions: 2, records: rides }, fares: { partitions: 2, records: fares } };
}

const ENRICH: Obj = {
  id: 'enrich',
  type: 'connect',
  input: ['rides', 'fares'],
  key: ['rideId', 'rideId'],
  state: { ride: { type: 'value' }, fare: { type: 'value' } },
  onElement1: [{ if: 'state.fare != null', then: [{ emit: '{ride: $, fare: state.fare}' }, { clear: 'fare' }], else: [{ set: 'ride', to: '$' }] }],
  onElement2: [{ if: 'state.ride != null', then: [{ emit: '{ride: state.ride, fare: $}' }, { clear: 'ride' }], else: [{ set: 'fare', to: '$' }] }],
};

const WM = { strategy: 'bounded-out-of-orderness', maxOutOfOrderness: 50 };

function scenario(extra: Obj = {}, config: Obj = {}, operators: Obj[] = [ENRICH], n = 60): Scenario {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'rides and fares',
      seed: 3,
      config: { parallelism: 2, autoWatermarkInterval: 50, ...config },
      topics: ridesAndFares(n) as JsonValue,
      job: {
        name: 'rides and fares',
        operators: [
          { id: 'rides', type: 'source', topic: 'rides', watermarks: WM },
          { id: 'fares', type: 'source', topic: 'fares', watermarks: WM },
          ...operators,
          { id: 'out', type: 'sink', input: operators[operators.length - 1]!['id']!, sink: { type: 'two-phase-commit', topic: 'out' } },
        ],
      } as JsonValue,
      ...extra,
    } as JsonValue,
    '<test>',
  );
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

function run(s: Scenario): RunReport {
  const sim = createSimulation({ scenario: s, traceLevel: 'summary' });
  sim.run();
  return sim.report();
}

const rideIds = (report: RunReport): number[] => report.sinks['out']!.committed.map((r) => ((r.value as Obj)['ride'] as Obj)['rideId'] as number).sort((a, b) => a - b);
const expected = Array.from({ length: 60 }, (_, i) => i + 1).filter((i) => i % 5 !== 0);

describe("rides and fares (Flink training's solution, in the DSL)", () => {
  const report = run(scenario());

  it('emits each ride with its fare once, whichever came first, and leaves unmatched rides in state', () => {
    expect(report.status).toBe('FINISHED');
    expect(rideIds(report)).toEqual(expected);
    for (const r of report.sinks['out']!.committed) {
      const { ride, fare } = r.value as { ride: Obj; fare: Obj };
      expect(fare['rideId']).toBe(ride['rideId']);
      // The pair is emitted when its second record arrives, with that record's timestamp.
      expect(r.timestamp).toBe(Math.max(ride['eventTime'] as number, (ride['eventTime'] as number) + ((ride['rideId'] as number) % 3 === 0 ? -40 : 60)));
    }
  });

  it('runs as one two-input task fed by both sources over hash edges', () => {
    const edges = report.jobGraph.edges.map((e) => `${e.source}->${e.target}:${e.partitioner}`).sort();
    expect(edges).toEqual(['fares->enrich:hash', 'rides->enrich:hash']);
  });

  it('the same seed gives the same trace hash; the trace hash depends on the data', () => {
    const again = run(scenario());
    expect(again.traceHash).toBe(report.traceHash);
    expect(run(scenario({}, {}, [ENRICH], 59)).traceHash).not.toBe(report.traceHash);
  });

  for (const unaligned of [false, true]) {
    it(`a task killed mid-run, restored from an ${unaligned ? 'unaligned' : 'aligned'} checkpoint, commits every pair exactly once`, () => {
      const faulty = run(
        scenario(
          { faults: [{ type: 'kill-task', operator: 'enrich', subtask: 1, at: 3150 }] },
          { checkpointing: { interval: 500, unaligned }, restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 100 } },
        ),
      );
      expect(faulty.status).toBe('FINISHED');
      expect(faulty.restarts.length).toBe(1);
      expect(faulty.checkpoints.filter((c) => c.status === 'COMPLETED').length).toBeGreaterThan(2);
      expect(rideIds(faulty)).toEqual(expected);
    });
  }

  it('stopped with a savepoint and resumed at parallelism 3, the waiting rides and fares are still matched', () => {
    const rescaled = run(
      scenario({
        actions: [
          { at: 2500, type: 'stop-with-savepoint' },
          { at: 3000, type: 'resume', parallelism: 3 },
        ],
      }),
    );
    expect(rescaled.status).toBe('FINISHED');
    expect(rideIds(rescaled)).toEqual(expected);
  });
});

describe('interval join in a scenario', () => {
  const JOIN: Obj = { id: 'join', type: 'intervalJoin', input: ['rides', 'fares'], key: ['rideId', 'rideId'], between: { lower: -40, upper: 0 }, select: '{ride: left.rideId, fare: right.totalFare, lag: rightTimestamp - leftTimestamp}' };

  it('joins a fare that comes at most 40 ms before its ride; the later fares are outside the interval', () => {
    const report = run(scenario({}, {}, [JOIN]));
    expect(report.status).toBe('FINISHED');
    const joined = report.sinks['out']!.committed.map((r) => r.value as { ride: number; lag: number });
    expect(joined.map((j) => j.ride).sort((a, b) => a - b)).toEqual(expected.filter((i) => i % 3 === 0));
    expect(joined.every((j) => j.lag === -40)).toBe(true);
  });

  it('exclusive bounds move the interval inwards: lower exclusive drops the pairs exactly 40 ms apart', () => {
    const report = run(scenario({}, {}, [{ ...JOIN, between: { lower: -40, upper: 0, lowerExclusive: true } }]));
    expect(report.sinks['out']!.committed).toEqual([]);
  });

  it('survives a killed task with checkpoints: the same pairs, once each', () => {
    const reference = run(scenario({}, {}, [JOIN]));
    const faulty = run(
      scenario(
        { faults: [{ type: 'kill-task', operator: 'join', subtask: 0, at: 2600 }] },
        { checkpointing: { interval: 400 }, restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 100 } },
        [JOIN],
      ),
    );
    expect(faulty.restarts.length).toBe(1);
    const key = (r: RunReport) => r.sinks['out']!.committed.map((x) => JSON.stringify(x)).sort();
    expect(key(faulty)).toEqual(key(reference));
  });
});

describe('the broadcast state pattern in a scenario', () => {
  const operators = (broadcastWrite = false): Obj[] => [
    {
      id: 'flag',
      type: 'connect',
      input: ['rides', 'fares'],
      key: 'rideId',
      broadcastState: { seen: { type: 'map' } },
      state: { count: { type: 'value', initial: 0 } },
      // Rides read the fares seen so far by every subtask; fares are broadcast, every subtask records them.
      onElement: [
        { set: 'count', to: 'state.count + 1' },
        ...(broadcastWrite ? [{ put: 'seen', key: 'str(rideId)', value: 'true' }] : []),
        { emit: '{ride: rideId, fareSeen: contains(state.seen, str(rideId)), count: state.count}' },
      ],
      onBroadcastElement: [{ put: 'seen', key: 'str(rideId)', value: 'totalFare' }],
    },
  ];

  it('every subtask sees every broadcast element; the ordinary side reads broadcast state', () => {
    const result = validateScenario({ ...JSON.parse(JSON.stringify(scenarioJson())), job: { name: 'b', operators: [...sources(), ...operators(), sink('flag')] } } as JsonValue, '<test>');
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const report = run(result.scenario);
    expect(report.failureCause ?? null).toBe(null);
    expect(report.status).toBe('FINISHED');
    const out = report.sinks['out']!.committed.map((r) => r.value as { ride: number; fareSeen: boolean; count: number });
    expect(out.map((o) => o.ride).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // A fare 40 ms before its ride (every third ride) has been broadcast to the ride's subtask in time.
    expect(out.filter((o) => o.ride % 3 === 0 && o.ride % 5 !== 0).every((o) => o.fareSeen)).toBe(true);
    expect(out.every((o) => o.count === 1)).toBe(true);
    expect(report.jobGraph.edges.map((e) => `${e.source}->${e.target}:${e.partitioner}`).sort()).toEqual(['fares->flag:broadcast', 'rides->flag:hash']);
  });

  it('a write to broadcast state on the non-broadcast side is refused by validation, with its path', () => {
    const result = validateScenario({ ...scenarioJson(), job: { name: 'b', operators: [...sources(), ...operators(true), sink('flag')] } } as JsonValue, 'b.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual([
      "b.json: $.job.operators[2].onElement[1].put: operator 'flag': broadcast state 'seen' is read-only on the non-broadcast side (Flink's ReadOnlyBroadcastState): only onBroadcastElement may put it, so that every subtask's copy stays the same",
    ]);
  });
});

describe('broadcast state through a failure and a rescale', () => {
  // Three rules, broadcast at the start; the rides (every 100 ms up to 6 s) read them long
  // after the rules' source has ended. A subtask whose broadcast state was not restored
  // would read null after the restart, since the rules are never read again.
  const RULES: Obj = { partitions: 1, records: [0, 1, 2].map((kind) => ({ key: kind, value: { kind, rate: 10 * (kind + 1) }, timestamp: 10 + kind, at: 10 + kind })) };
  const APPLY: Obj = {
    id: 'apply',
    type: 'connect',
    input: ['rides', 'rules'],
    key: 'rideId',
    broadcastState: { rules: { type: 'map' } },
    onElement: [{ emit: '{ride: rideId, rate: state.rules?.[str(rideId % 3)]}' }],
    onBroadcastElement: [{ put: 'rules', key: 'str(kind)', value: 'rate' }],
  };
  const withRules = (extra: Obj, config: Obj = {}): Scenario => {
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'rules',
        seed: 3,
        config: { parallelism: 2, autoWatermarkInterval: 50, ...config },
        topics: { rides: (ridesAndFares(60)['rides'] as Obj), rules: RULES } as JsonValue,
        job: {
          name: 'rules',
          operators: [
            { id: 'rides', type: 'source', topic: 'rides', watermarks: WM },
            { id: 'rules', type: 'source', topic: 'rules', parallelism: 1, watermarks: WM },
            APPLY,
            { id: 'out', type: 'sink', input: 'apply', sink: { type: 'two-phase-commit', topic: 'out' } },
          ],
        } as JsonValue,
        ...extra,
      } as JsonValue,
      '<test>',
    );
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    return result.scenario;
  };
  const rates = (report: RunReport): string[] => report.sinks['out']!.committed.map((r) => { const v = r.value as { ride: number; rate: number | null }; return `${v.ride}:${v.rate}`; }).sort();
  const every = Array.from({ length: 60 }, (_, i) => `${i + 1}:${10 * (((i + 1) % 3) + 1)}`).sort();

  it('without faults every ride reads its rule', () => {
    expect(rates(run(withRules({})))).toEqual(every);
  });

  it('a subtask killed long after the rules ended reads them again from its restored broadcast state, and each ride is committed once', () => {
    const faulty = run(withRules({ faults: [{ type: 'kill-task', operator: 'apply', subtask: 1, at: 3150 }] }, { checkpointing: { interval: 500 }, restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 100 } }));
    expect(faulty.status).toBe('FINISHED');
    expect(faulty.restarts.length).toBe(1);
    expect(rates(faulty)).toEqual(every);
  });

  it('resumed from a savepoint at parallelism 3, the new subtask gets a copy of the rules', () => {
    const rescaled = run(withRules({ actions: [{ at: 2500, type: 'stop-with-savepoint' }, { at: 3000, type: 'resume', parallelism: 3 }] }));
    expect(rescaled.status).toBe('FINISHED');
    expect(rescaled.jobGraph.vertices.find((v) => v.name.startsWith('apply'))?.parallelism).toBe(3);
    expect(rates(rescaled)).toEqual(every);
  });
});

function scenarioJson(): Obj {
  return { format: 'weir/scenario@1', name: 'b', seed: 3, config: { parallelism: 2, autoWatermarkInterval: 50 }, topics: ridesAndFares(60) as JsonValue };
}
function sources(): Obj[] {
  return [
    { id: 'rides', type: 'source', topic: 'rides', watermarks: WM },
    { id: 'fares', type: 'source', topic: 'fares', watermarks: WM },
  ];
}
function sink(input: string): Obj {
  return { id: 'out', type: 'sink', input, sink: { type: 'print' } };
}

describe('the shipped scenario', () => {
  it('scenarios/connect-and-join.json validates, runs and meets its expectations', () => {
    const result = validateScenario(JSON.parse(readFileSync('scenarios/connect-and-join.json', 'utf8')), 'scenarios/connect-and-join.json');
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const report = run(result.scenario);
    expect(report.status).toBe('FINISHED');
    expect(report.metrics.lateRecordsDropped).toBe(1);
    expect(report.sinks['out']!.committed.length).toBe(5);
    expect(report.sinks['joined']!.committed.length).toBe(5);
  });
});
