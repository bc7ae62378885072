// Watermarks as Flink's WatermarksWithIdlenessTest and WatermarkOutputMultiplexerTest
// specify them, restated for Weir: the idleness countdown starts at the first quiet
// periodic check, a source subtask whose partitions all go idle first emits the highest of
// their watermarks, and an idle job with run.until ends at until.
import { describe, expect, it } from 'vitest';
import { createSimulation, formatIssue, validateScenario, type TraceEvent } from '../../../core/index.ts';
import { IdlenessTimer } from '../../../core/testing.ts';

describe('the idleness countdown (WatermarksWithIdleness.IdlenessTimer)', () => {
  it('is active at first: the first check only starts the countdown', () => {
    const timer = new IdlenessTimer(10);
    expect(timer.checkIfIdle(0)).toBe(false);
  });

  it('is idle once more than the timeout has passed since the first quiet check, not at exactly the timeout', () => {
    const timer = new IdlenessTimer(10);
    timer.checkIfIdle(1000);
    expect(timer.checkIfIdle(1010)).toBe(false);
    expect(timer.checkIfIdle(1011)).toBe(true);
  });

  it('counts from the first quiet check, not from the last record', () => {
    const timer = new IdlenessTimer(500);
    timer.activity(); // a record at t=50
    expect(timer.checkIfIdle(200)).toBe(false); // saw the record: still active
    expect(timer.checkIfIdle(400)).toBe(false); // first quiet check: countdown from 400
    expect(timer.checkIfIdle(800)).toBe(false); // 400 ms after 400, though 750 ms after the record
    expect(timer.checkIfIdle(900)).toBe(false); // exactly 500 after 400
    expect(timer.checkIfIdle(1000)).toBe(true);
  });

  it('stays idle on repeated checks, is active after activity, and goes idle again after a new countdown', () => {
    const timer = new IdlenessTimer(122);
    timer.checkIfIdle(0);
    expect(timer.checkIfIdle(123)).toBe(true);
    expect(timer.checkIfIdle(223)).toBe(true);
    timer.activity();
    expect(timer.checkIfIdle(224)).toBe(false);
    expect(timer.checkIfIdle(300)).toBe(false); // restarts the countdown
    expect(timer.checkIfIdle(422)).toBe(false);
    expect(timer.checkIfIdle(423)).toBe(true);
  });
});

function run(scenario: Record<string, unknown>): { events: readonly TraceEvent[]; status: string; virtualTime: number } {
  const result = validateScenario({ format: 'weir/scenario@1', name: 'watermarks', ...scenario }, 'w.json');
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  const report = sim.report();
  return { events: sim.trace.events, status: report.status, virtualTime: report.virtualTime };
}

/** The source subtask's watermarks and status changes, as [time, watermark or status]. */
function sourceWatermarks(events: readonly TraceEvent[]): [number, number | string][] {
  const out: [number, number | string][] = [];
  for (const e of events) {
    if (e.tag === 'watermark.advanced' && e.task === 'src#0') out.push([e.timeMs, e.watermark]);
    if (e.tag === 'watermark.status' && e.task === 'src#0') out.push([e.timeMs, e.status]);
  }
  return out;
}

const sink = (input: string) => ({ id: 'out', type: 'sink', input, sink: { type: 'print' } });

describe('a source subtask whose partitions all go idle (CombinedWatermarkStatus)', () => {
  const topics = {
    t: {
      partitions: 2,
      records: [
        { partition: 0, value: 'slow', timestamp: 100, at: 0 },
        { partition: 1, value: 'fast', timestamp: 500, at: 0 },
      ],
    },
  };
  const job = (idleness: number | null) => ({
    operators: [{ id: 'src', type: 'source', topic: 't', bounded: false, watermarks: { strategy: 'monotonous', ...(idleness === null ? {} : { idleness }) } }, sink('src')],
  });

  it('first emits the highest watermark over them, then goes idle', () => {
    const { events } = run({ topics, job: job(100), run: { until: 1000 } });
    // Checks at 200, 400, 600: the records were read before 200; 400 is the first quiet
    // check; at 600 both partitions have been quiet for more than 100 ms.
    expect(sourceWatermarks(events)).toEqual([
      [200, 99],
      [600, 499],
      [600, 'IDLE'],
    ]);
  });

  it('without idleness the minimum holds', () => {
    const { events } = run({ topics, job: job(null), run: { until: 1000 } });
    expect(sourceWatermarks(events)).toEqual([[200, 99]]);
  });
});

describe('an idle job is not a deadlocked one', () => {
  it('an unbounded source with the strategy none ends at run.until', () => {
    const { events, status, virtualTime } = run({
      topics: { t: { partitions: 1, records: [{ value: 1, timestamp: 1, at: 0 }, { value: 2, timestamp: 2, at: 500 }] } },
      job: { operators: [{ id: 'src', type: 'source', topic: 't', bounded: false, watermarks: { strategy: 'none' } }, sink('src')] },
      run: { until: 3000 },
    });
    expect(status).toBe('RUNNING');
    expect(virtualTime).toBe(3000);
    expect(events.at(-1)).toMatchObject({ tag: 'run.ended', timeMs: 3000, reason: 'run.until (3000 ms) reached' });
    expect(events.filter((e) => e.tag === 'sink.wrote')).toHaveLength(2);
  });
});
