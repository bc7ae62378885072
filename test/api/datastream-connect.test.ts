/**
 * Two-input streams in the DataStream API: connect with CoMap, CoFlatMap, CoProcess and
 * KeyedCoProcess functions, keyBy(key1, key2), the broadcast state pattern, the interval
 * join, the window join and coGroup, and the errors Flink raises when building such a job.
 */
import { describe, expect, it } from 'vitest';
import {
  createSimulation,
  CountTrigger,
  EventTimeSessionWindows,
  GlobalWindows,
  TumblingEventTimeWindows,
  mapStateDescriptor,
  StreamExecutionEnvironment,
  valueState,
  type DataStream,
  type JsonValue,
  type RunReport,
} from '../../core/index.ts';

type Ride = { rideId: number; kind: string };

function env(): StreamExecutionEnvironment {
  return StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
}

function seq(e: StreamExecutionEnvironment, items: [JsonValue, number][], watermark = 1000): DataStream {
  return e.fromSequence([...items.map(([value, timestamp]) => ({ kind: 'record' as const, value, timestamp })), { kind: 'watermark' as const, timestamp: watermark }]);
}

function run(e: StreamExecutionEnvironment): RunReport {
  const sim = createSimulation({ streamGraph: e.getStreamGraph('connect'), seed: 2 });
  sim.run();
  const report = sim.report();
  expect(report.failureCause ?? null).toBe(null);
  return report;
}

const values = (report: RunReport, sink: string): JsonValue[] => report.sinks[sink]!.committed.map((r) => r.value);
const sorted = (xs: JsonValue[]): string[] => xs.map((x) => JSON.stringify(x)).sort();

describe('connect', () => {
  it('CoMap and CoFlatMap see each side with its own function', () => {
    const e = env();
    const a = seq(e, [[1, 1], [2, 2]]);
    const b = seq(e, [['x', 3]]);
    a.connect(b).map({ map1: (v) => (v as number) * 10, map2: (v) => `${String(v)}!` }).print('mapped');
    a.connect(b).flatMap({ flatMap1: (v, out) => { out.collect(v); out.collect(v); }, flatMap2: () => {} }).print('flat');
    const report = run(e);
    expect(sorted(values(report, 'print-1'))).toEqual(sorted([10, 20, 'x!']));
    expect(sorted(values(report, 'print-2'))).toEqual(sorted([1, 1, 2, 2]));
  });

  it('two keyed streams connected share each key\'s state (rides and fares)', () => {
    const e = env();
    const rides = seq(e, [[{ rideId: 1, kind: 'ride' }, 10], [{ rideId: 2, kind: 'ride' }, 20]]).keyBy((v) => (v as Ride).rideId);
    const fares = seq(e, [[{ rideId: 2, kind: 'fare' }, 5], [{ rideId: 1, kind: 'fare' }, 30]]).keyBy((v) => (v as Ride).rideId);
    const connected = rides.connect(fares);
    expect(connected.isKeyed).toBe(true);
    connected
      .process({
        state: { waiting: valueState() },
        processElement1(v, ctx, out) {
          const w = ctx.getState('waiting');
          if (w.value() === null) w.update(v);
          else {
            out.collect({ ride: v, fare: w.value() });
            w.clear();
          }
        },
        processElement2(v, ctx, out) {
          const w = ctx.getState('waiting');
          if (w.value() === null) w.update(v);
          else {
            out.collect({ ride: w.value(), fare: v });
            w.clear();
          }
        },
      })
      .print();
    const report = run(e);
    const pairs = report.sinks['print-1']!.committed.map((r) => ({ ...(r.value as { ride: Ride; fare: Ride }), timestamp: r.timestamp }));
    expect(pairs.map((p) => [p.ride.kind, p.ride.rideId, p.fare.kind, p.fare.rideId]).sort()).toEqual([
      ['ride', 1, 'fare', 1],
      ['ride', 2, 'fare', 2],
    ]);
    // The pair carries the timestamp of whichever record completed it (the sources run side by side).
    const times: Record<number, number[]> = { 1: [10, 30], 2: [20, 5] };
    for (const p of pairs) expect(times[p.ride.rideId]).toContain(p.timestamp);
    expect(report.jobGraph.edges.map((edge) => edge.partitioner).sort()).toEqual(['hash', 'hash']);
  });

  it('keyBy(key1, key2) keys unkeyed connected streams; without keys, keyed state is refused', () => {
    const e = env();
    const a = seq(e, [[{ id: 'k', n: 1 }, 1]]);
    const b = seq(e, [[{ ref: 'k' }, 2]]);
    expect(() => a.connect(b).process({ state: { s: valueState() }, processElement1() {}, processElement2() {} })).toThrow('keyed state needs keyed connected streams');
    a.connect(b)
      .keyBy((v) => (v as { id: string }).id, (v) => (v as { ref: string }).ref)
      .process({
        state: { s: valueState() },
        processElement1: (v, ctx) => ctx.getState('s').update(v),
        processElement2: (_v, ctx, out) => out.collect({ key: ctx.getCurrentKey(), first: ctx.getState('s').value() }),
      })
      .print();
    expect(values(run(e), 'print-1')).toEqual([{ key: 'k', first: { id: 'k', n: 1 } }]);
  });

  it('a keyed connect fires timers of both sides and writes side outputs', () => {
    const e = env();
    const a = seq(e, [[{ k: 'a' }, 10]]).keyBy((v) => (v as { k: string }).k);
    const b = seq(e, [[{ k: 'a' }, 20]]).keyBy((v) => (v as { k: string }).k);
    a.connect(b)
      .process({
        processElement1: (_v, ctx) => ctx.timerService().registerEventTimeTimer(100),
        processElement2: (v, ctx) => ctx.output('side', v),
        onTimer: (t, ctx, out) => out.collect(`${String(ctx.getCurrentKey())}@${t}`),
      })
      .print();
    const report = run(e);
    expect(report.sinks['print-1']!.committed).toEqual([{ value: 'a@100', timestamp: 100 }]);
    expect(report.sideOutputs['side']).toEqual([{ value: { k: 'a' }, timestamp: 20 }]);
  });
});

describe('the broadcast state pattern', () => {
  it('broadcast(descriptor) reaches every subtask; the keyed side reads, never writes', () => {
    const rules = mapStateDescriptor('rules');
    const e = env();
    const limits = seq(e, [[{ max: 5 }, 0]]).broadcast(rules);
    const events = seq(e, Array.from({ length: 8 }, (_, i) => [{ user: `u${i}`, n: i }, 100 + i] as [JsonValue, number])).keyBy((v) => (v as { user: string }).user);
    events
      .connect(limits)
      .process({
        processElement(v, ctx, out) {
          const max = ctx.getBroadcastState(rules).get('max');
          out.collect({ n: (v as { n: number }).n, over: max !== null && (v as { n: number }).n > (max as number) });
        },
        processBroadcastElement(v, ctx) {
          ctx.getBroadcastState(rules).put('max', (v as { max: number }).max);
        },
      })
      .print();
    const report = run(e);
    // The sources run side by side: what matters is that every subtask applies the rule it got.
    const out = values(report, 'print-1') as { n: number; over: boolean }[];
    expect(out.length).toBe(8);
    expect(out.filter((o) => o.over).every((o) => o.n > 5)).toBe(true);
    expect(report.jobGraph.edges.map((edge) => edge.partitioner).sort()).toEqual(['broadcast', 'hash']);
  });

  it('a write on the non-broadcast side fails the task with a clear cause', () => {
    const rules = mapStateDescriptor('rules');
    const e = env();
    seq(e, [[1, 1]])
      .connect(seq(e, [[2, 2]]).broadcast(rules))
      .process({
        processElement: (_v, ctx) => (ctx.getBroadcastState(rules) as unknown as { put(k: string, v: JsonValue): void }).put('x', 1),
        processBroadcastElement: () => {},
      })
      .print();
    const sim = createSimulation({ streamGraph: e.getStreamGraph('bad'), seed: 1 });
    sim.run();
    expect(sim.report().status).toBe('FAILED');
    expect(sim.report().failureCause).toContain("broadcast state 'rules' is read-only here");
  });
});

describe('interval join', () => {
  it('between(lower, upper) with exclusive bounds, the pair at the larger timestamp', () => {
    const e = env();
    const left = seq(e, [[{ k: 'a', t: 10 }, 10], [{ k: 'a', t: 20 }, 20]]).keyBy((v) => (v as { k: string }).k);
    const right = seq(e, [[{ k: 'a', t: 12 }, 12], [{ k: 'a', t: 15 }, 15], [{ k: 'a', t: 25 }, 25]]).keyBy((v) => (v as { k: string }).k);
    left
      .intervalJoin(right)
      .between(0, 5)
      .upperBoundExclusive()
      .process({ processElement: (l, r, ctx, out) => out.collect(`${(l as { t: number }).t}-${(r as { t: number }).t}@${ctx.getTimestamp()}`) })
      .print();
    // 10 joins [10, 15): 12; 20 joins [20, 25): nothing (25 is excluded).
    expect(run(e).sinks['print-1']!.committed).toEqual([{ value: '10-12@12', timestamp: 12 }]);
  });

  it('between refuses lower > upper, as Flink', () => {
    const e = env();
    const a = seq(e, [[1, 1]]).keyBy((v) => v);
    expect(() => a.intervalJoin(a).between(3, 1)).toThrow('lowerBound <= upperBound must be fulfilled');
  });
});

describe('window join and coGroup', () => {
  type E = { k: string; v: number };
  const k = (v: JsonValue) => (v as E).k;
  const orders = (e: StreamExecutionEnvironment) => seq(e, [[{ k: 'a', v: 1 }, 100], [{ k: 'a', v: 2 }, 900], [{ k: 'b', v: 3 }, 1200]], 5000);
  const payments = (e: StreamExecutionEnvironment) => seq(e, [[{ k: 'a', v: 10 }, 500], [{ k: 'a', v: 20 }, 1100], [{ k: 'b', v: 30 }, 1300]], 5000);

  it('join(..).where(..).equalTo(..).window(..).apply(fn): every pair of a key in one window, at the window end - 1', () => {
    const e = env();
    orders(e)
      .join(payments(e))
      .where(k)
      .equalTo(k)
      .window(TumblingEventTimeWindows.of(1000))
      .apply((o, p) => `${(o as E).v}+${(p as E).v}`)
      .print();
    const out = run(e).sinks['print-1']!.committed;
    expect(sorted(out.map((r) => `${String(r.value)}@${r.timestamp}`))).toEqual(sorted(['1+10@999', '2+10@999', '3+30@1999']));
  });

  it('coGroup(..).apply(fn) gets both lists, also when one is empty, with the key and the window', () => {
    const e = env();
    orders(e)
      .coGroup(payments(e))
      .where(k)
      .equalTo(k)
      .window(TumblingEventTimeWindows.of(1000))
      .apply((os, ps, key, w) => [`${String(key)}[${w.start}] ${os.length}/${ps.length}`])
      .print();
    expect(sorted(values(run(e), 'print-1'))).toEqual(sorted(['a[0] 2/1', 'a[1000] 0/1', 'b[1000] 1/1']));
  });

  it('a trigger and sessions apply as on a window', () => {
    const e = env();
    orders(e)
      .join(payments(e))
      .where(k)
      .equalTo(k)
      .window(EventTimeSessionWindows.withGap(300))
      .apply((o, p) => `${(o as E).v}+${(p as E).v}`)
      .print();
    // a: order 1 at 100 and payment 10 at 500 are 400 apart, more than the gap: two sessions, no pair.
    // Order 2 at 900 and payment 20 at 1100 share a session, as do b's 1200 and 1300.
    expect(sorted(values(run(e), 'print-1'))).toEqual(sorted(['2+20', '3+30']));
    const counted = env();
    orders(counted)
      .join(payments(counted))
      .where(k)
      .equalTo(k)
      .window(GlobalWindows.create())
      .trigger(CountTrigger.of(2))
      .apply((o, p) => `${(o as E).v}+${(p as E).v}`)
      .print();
    // Fires at every second element of a key, without purging. a's orders arrive before its
    // payments: the first firing holds two orders and joins nothing, the second all four elements.
    expect(sorted(values(run(counted), 'print-1'))).toEqual(sorted(['1+10', '1+20', '2+10', '2+20', '3+30']));
  });

  it('a session trigger that cannot merge is refused when the job is built, as in Flink', () => {
    const e = env();
    const w = orders(e).join(payments(e)).where(k).equalTo(k).window(EventTimeSessionWindows.withGap(300));
    expect(() => w.trigger(CountTrigger.of(2))).not.toThrow();
    expect(() => w.trigger({ type: 'delta', threshold: 1, delta: () => 0 })).toThrow(/cannot be used with session windows/);
    expect(() => w.allowedLateness(-1)).toThrow(/a whole number of ms >= 0/);
    expect(() => orders(e).keyBy(k).window(TumblingEventTimeWindows.of(10)).allowedLateness(0.5)).toThrow(/a whole number of ms >= 0/);
  });
});
