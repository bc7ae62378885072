// Long ride alerts: the cases of the course's LongRidesIntegrationTest and its unit and
// harness tests (our own rides, from their documented expectations), run through the shipped
// scenario; and the shipped run against the durations of the generated rides.
import { describe, expect, test } from 'vitest';
import { createSimulation, rideFacts } from '../../core/index.ts';
import { roundRobin, runWith, scenarioJson, t, testRide, validated } from './harness.ts';

const TWO_HOURS = 120 * 60_000;
const start = (id: number, minute: number) => testRide(id, true, t(minute));
const end = (id: number, minute: number) => testRide(id, false, t(minute));
const alerts = (events: ReturnType<typeof testRide>[], partitions = 2) => runWith('long-ride-alerts', 'rides', roundRobin(events, partitions), partitions);

describe('long ride alerts on the course test cases', () => {
  test('a short ride gives no alert, START first or END first', () => {
    expect(alerts([start(1, 0), end(1, 1)]).sinks['out']!.committed).toEqual([]);
    expect(alerts([end(1, 1), start(1, 0)]).sinks['out']!.committed).toEqual([]);
  });

  test('a long ride gives one alert, START first or END first, timestamped by the event that settles it', () => {
    // One partition: both events reach the function before any watermark passes the timer.
    for (const [events, settledAt] of [[[start(1, 0), end(1, 180)], t(180)], [[end(1, 180), start(1, 0)], t(0)]] as const) {
      const report = alerts([...events], 1);
      expect(report.status).toBe('FINISHED');
      expect(report.sinks['out']!.committed).toEqual([{ value: 1, timestamp: settledAt }]);
    }
  });

  test('a START without an END alerts when the watermark passes two hours after it, at the timer time', () => {
    const report = alerts([start(1, 0)]);
    expect(report.sinks['out']!.committed).toEqual([{ value: 1, timestamp: t(0) + TWO_HOURS }]);
  });

  test('another ride three hours later moves the watermark past the timer: the alert is the timer time', () => {
    // Same partition, so the second START drives the watermark before the end of input does.
    const report = alerts([start(1, 0), start(2, 180)], 1);
    expect(report.sinks['out']!.committed).toEqual(expect.arrayContaining([{ value: 1, timestamp: t(0) + TWO_HOURS }]));
    expect(report.sinks['out']!.committed.map((r) => r.value).sort()).toEqual([1, 2]);
  });

  test('an END without a START gives no alert (its start time is unknown)', () => {
    expect(alerts([end(1, 180)]).sinks['out']!.committed).toEqual([]);
  });

  test('exactly two hours is not more than two hours', () => {
    expect(alerts([start(1, 0), end(1, 120)], 1).sinks['out']!.committed).toEqual([]);
  });

  test('multiple rides: the long ride without an END and the one that ended after three hours', () => {
    const events = [start(1, 0), start(2, 0), start(3, 1), start(4, 60), end(4, 120), end(2, 0), end(3, 180)];
    const values = alerts(events).sinks['out']!.committed.map((r) => r.value);
    expect([...values].sort()).toEqual([1, 3]);
  });
});

describe('long ride alerts on the generated rides', () => {
  test('the alerts are exactly the rides longer than two hours, one each', () => {
    const scenario = validated(scenarioJson('long-ride-alerts'), 'scenarios/training/long-ride-alerts.json');
    const sim = createSimulation({ scenario });
    sim.run();
    const report = sim.report();
    expect(report.status).toBe('FINISHED');
    const count = (scenario.topics['rides']!.generator as { count: number }).count;
    const long: number[] = [];
    for (let id = 1; id <= count; id++) if (rideFacts(id, 0).durationMinutes > 120) long.push(id);
    expect(long.length).toBeGreaterThan(0);
    expect(report.sinks['out']!.committed.map((r) => r.value).sort((a, b) => (a as number) - (b as number))).toEqual(long);
    for (const { value, timestamp } of report.sinks['out']!.committed) {
      const facts = rideFacts(value as number, 0);
      // The timer's time, or the END event's time when the END came first.
      expect([facts.startTime + TWO_HOURS, facts.endTime]).toContain(timestamp);
    }
  });
});
