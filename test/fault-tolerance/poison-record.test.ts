// A record that fails the job every time it is read (a "poison pill"): each restart reads it
// again at once, so the restarted attempt fails at the very instant of its restart. Under
// exponential-delay that failure must be a new attempt with a longer backoff, as in Flink,
// where deploying takes time and the failure comes after the restart. Merged into the restart
// it happened at, it would restart again at that instant, for ever, and virtual time would
// stand still until a limit stopped the run.
import { describe, expect, it } from 'vitest';
import { createSimulation, formatIssue, parseScenarioText, type RunReport } from '../../core/index.ts';

function poison(restartStrategy: object): RunReport {
  const scenario = {
    format: 'weir/scenario@1',
    name: 'poison record',
    config: { parallelism: 1, checkpointing: { interval: 1000 }, restartStrategy },
    topics: { readings: { partitions: 1, records: [{ at: 10, key: 'a', value: { sensor: 'a', celsius: 0 } }] } },
    job: {
      name: 'inverse',
      operators: [
        { id: 'readings', type: 'source', topic: 'readings', watermarks: { strategy: 'monotonous' } },
        { id: 'inverse', type: 'map', input: 'readings', expr: '{sensor: sensor, inverse: 10 / celsius}' },
        { id: 'out', type: 'sink', input: 'inverse', sink: { type: 'print' } },
      ],
    },
    run: { until: 20000 },
  };
  const parsed = parseScenarioText(JSON.stringify(scenario), 'poison-record.json');
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return sim.report();
}

describe('a record that fails the job each time it is read', () => {
  it('exponential-delay: every restart is a new attempt, each waits twice as long, and virtual time goes on', () => {
    const report = poison({ type: 'exponential-delay', initialBackoff: 250, multiplier: 2, maxBackoff: 4000, resetThreshold: 3600000, jitter: 0 });
    expect(report.virtualTime).toBe(20000);
    expect(report.restarts.map((r) => r.delay)).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000, 4000, 4000]);
    expect(report.restarts.map((r) => r.at)).toEqual([10, 260, 760, 1760, 3760, 7760, 11760, 15760, 19760]);
    expect(report.restarts.every((r) => /10 \/ celsius|division|Infinity|celsius/.test(r.cause))).toBe(true);
  });

  it('fixed-delay: the attempts run out and the job fails', () => {
    const report = poison({ type: 'fixed-delay', attempts: 3, delay: 100 });
    expect(report.status).toBe('FAILED');
    expect(report.restarts.map((r) => r.at)).toEqual([10, 110, 210]);
  });
});
