// The small charts of a run, checked against real runs of shipped scenarios: what the
// series add up to is compared with what the report and the moment fold say on their own.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';
import { bucketSize, MAX_BUCKETS, runCharts, seriesMax } from '../../playground/src/lib/charts.ts';
import { eventsUpTo, MomentFold, momentAt } from '../../playground/src/lib/moment.ts';

function runOf(name: string) {
  const file = `scenarios/${name}.json`;
  const result = validateScenario(JSON.parse(readFileSync(file, 'utf8')) as JsonValue, file);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'full' });
  sim.run();
  const report = sim.report();
  const events = sim.trace.events;
  return { report, events, charts: runCharts(events, report.virtualTime) };
}

const trafficPeak = runOf('traffic-peak');
const recovery = runOf('checkpoint-recovery');

describe('bucketSize', () => {
  it('is a round number of ms that cuts the run into at most MAX_BUCKETS buckets, and the smallest such', () => {
    for (const end of [0, 1, 39, 40, 41, 153, 2997, 8004, 100_000, 1_234_567]) {
      const size = bucketSize(end);
      expect(String(size)).toMatch(/^[125]0*$/);
      expect(Math.ceil(Math.max(end, 1) / size)).toBeLessThanOrEqual(MAX_BUCKETS);
      const smaller = [1, 2, 5].flatMap((m) => [1, 10, 100, 1000, 10_000, 100_000].map((s) => m * s)).filter((s) => s < size);
      for (const s of smaller) expect(Math.ceil(Math.max(end, 1) / s)).toBeGreaterThan(MAX_BUCKETS);
    }
  });
});

describe('runCharts on traffic-peak', () => {
  const { charts, report, events } = trafficPeak;

  it('spans the run in 100 ms buckets', () => {
    expect(report.virtualTime).toBe(2997);
    expect(charts.bucketMs).toBe(100);
    expect(charts.buckets).toBe(30);
    expect(charts.endMs).toBe(3000);
  });

  it('counts each sink write once: the buckets add up to what the sink wrote, and by any bucket end to what the transport shows committed', () => {
    expect(charts.throughput.map((s) => s.label)).toEqual(Object.keys(report.sinks));
    const out = charts.throughput[0]!.values as number[];
    const written = report.sinks.out!.committed.length + report.sinks.out!.uncommitted.length;
    expect(out.reduce((a, b) => a + b, 0)).toBe(written);
    let sum = 0;
    for (let b = 0; b < charts.buckets; b++) {
      sum += out[b]!;
      const t = (b + 1) * charts.bucketMs - 1;
      // An at-least-once sink commits each record as it writes it.
      expect(momentAt(events, eventsUpTo(events, t), t).sinks).toEqual([['out', sum]]);
    }
    // The peak of the scenario's name: during it the sink writes as fast as enrich can take
    // records (2 subtasks at 1 record per ms, so 200 per bucket), far more than in the steady first second.
    expect(Math.max(...out)).toBe(2 * charts.bucketMs);
    expect(Math.max(...out)).toBeGreaterThan(out[0]! * 5);
  });

  it('counts the subtasks back-pressured at once: per bucket the most the moment fold has at any event in it', () => {
    const bp = charts.backpressure!;
    const stopped = report.tasks.filter((t) => t.backPressuredTimeMs > 0).length;
    expect(stopped).toBe(2);
    expect(charts.subtasks).toBe(report.tasks.length);
    expect(seriesMax([bp])).toBe(stopped);
    const fold = new MomentFold();
    const expected = new Array<number>(charts.buckets).fill(0);
    let now = 0;
    for (let b = 0, i = 0; b < charts.buckets; b++) {
      expected[b] = now;
      for (; i < events.length && (b === charts.buckets - 1 || events[i]!.timeMs < (b + 1) * charts.bucketMs); i++) {
        fold.apply(events[i]!);
        now = fold.moment(events[i]!.timeMs).subtasks.filter((s) => s.backPressured).length;
        expected[b] = Math.max(expected[b]!, now);
      }
    }
    expect(bp.values).toEqual(expected);
    // Every bucket a subtask spent back-pressured shows it: at least as many as its longest episode covers.
    const shown = bp.values.filter((v) => v !== null && v > 0).length;
    expect(shown * charts.bucketMs).toBeGreaterThanOrEqual(Math.max(...report.tasks.map((t) => t.backPressuredTimeMs)));
  });

  it('gives each operator with a watermark its lag behind the newest record timestamp, from the moment fold at every bucket end', () => {
    expect(charts.watermarkLag.map((s) => s.label)).toEqual(['enrich', 'orders']);
    for (const series of charts.watermarkLag) {
      for (let b = 0; b < charts.buckets; b++) {
        const t = b === charts.buckets - 1 ? report.virtualTime : (b + 1) * charts.bucketMs - 1;
        const count = eventsUpTo(events, t);
        // Here every operator runs in a vertex of its own name, so the subtasks' watermarks are the operator's.
        const marks = momentAt(events, count, t).subtasks.filter((s) => s.id.startsWith(`${series.label}#`) && s.watermark !== null).map((s) => s.watermark!);
        const stamps = events.slice(0, count).flatMap((e) => (e.tag === 'record.emitted' && e.timestamp !== null ? [e.timestamp] : []));
        const expected = marks.length === 0 ? null : Math.max(0, Math.max(...stamps) - Math.min(...marks));
        expect(series.values[b], `${series.label} at bucket ${b}`).toBe(expected);
      }
    }
    // Bounded input: at the end every watermark is past every record.
    for (const series of charts.watermarkLag) expect(series.values.at(-1)).toBe(0);
  });
});

describe('runCharts on checkpoint-recovery', () => {
  const { charts, report } = recovery;

  it('draws no backpressure when no subtask was backpressured', () => {
    expect(report.tasks.every((t) => t.backPressuredTimeMs === 0)).toBe(true);
    expect(charts.backpressure!.values.every((v) => v === 0)).toBe(true);
  });

  it('counts the replayed window results too: writes, not committed records', () => {
    const writes = recovery.events.filter((e) => e.tag === 'sink.wrote').length;
    expect((charts.throughput[0]!.values as number[]).reduce((a, b) => a + b, 0)).toBe(writes);
    expect(writes).toBeGreaterThanOrEqual(report.sinks.out!.committed.length);
  });

  it('shows the lag grow after the kill: the new attempts start their watermarks again from the checkpoint', () => {
    const kill = report.restarts[0]!.at;
    const lag = charts.watermarkLag.find((s) => s.label === 'counts')!.values;
    const before = Math.max(...lag.slice(0, Math.floor(kill / charts.bucketMs)).map((v) => v ?? 0));
    const after = Math.max(...lag.slice(Math.floor(kill / charts.bucketMs)).map((v) => v ?? 0));
    expect(after).toBeGreaterThan(before);
  });
});

describe('runCharts without samples', () => {
  it('has no backpressure series and one empty bucket for an empty run', () => {
    const charts = runCharts([], 0);
    expect(charts).toEqual({ bucketMs: 1, endMs: 1, buckets: 1, throughput: [], watermarkLag: [], backpressure: null, subtasks: 0 });
  });
});
