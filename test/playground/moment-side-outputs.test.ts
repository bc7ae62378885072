// Side outputs at the cursor: a process function's writes (`sideoutput.wrote`, level full)
// and late elements sent to a late side output (`record.late`) count at their time, as a
// sink's records do, and the counts at the end are what the report lists.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue, type TraceEvent } from '../../core/index.ts';
import { eventsUpTo, momentAt } from '../../playground/src/lib/moment.ts';

function run(scenario: JsonValue, file: string) {
  const result = validateScenario(scenario, file);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'full' });
  sim.run();
  return { events: sim.trace.events, report: sim.report() };
}

const at = (events: readonly TraceEvent[], t: number) => momentAt(events, eventsUpTo(events, t), t).sideOutputs;

describe('Moment.sideOutputs', () => {
  it('counts a process function writing odd numbers to a side output, each at its time', () => {
    const base = JSON.parse(readFileSync('scenarios/hello-map-filter.json', 'utf8')) as { job: { operators: JsonValue[] } };
    const [numbers] = base.job.operators;
    base.job.operators = [
      numbers!,
      { id: 'byParity', type: 'keyBy', input: 'numbers', key: '$ % 2' },
      { id: 'split', type: 'process', input: 'byParity', onElement: [{ if: '$ % 2 == 1', then: [{ sideOutput: 'odd', value: '$' }], else: [{ emit: '$' }] }] },
      { id: 'out', type: 'sink', input: 'split', sink: { type: 'print' } },
    ];
    const { events, report } = run(base as unknown as JsonValue, 'side-outputs.json');
    const writes = events.filter((e) => e.tag === 'sideoutput.wrote');
    expect(writes).toHaveLength(5);
    expect(at(events, writes[0]!.timeMs - 1)).toEqual([]);
    const times = [...new Set(writes.map((w) => w.timeMs))];
    // The source pauses after 5 (advanceProcessingTime), so the writes come at two times at least.
    expect(times.length).toBeGreaterThan(1);
    for (const t of times) expect(at(events, t)).toEqual([['odd', writes.filter((w) => w.timeMs <= t).length]]);
    expect(at(events, report.virtualTime)).toEqual([['odd', report.sideOutputs.odd!.length]]);
  });

  it('counts the late click of late-data in its side output from t=701', () => {
    const { events, report } = run(JSON.parse(readFileSync('scenarios/late-data.json', 'utf8')) as JsonValue, 'scenarios/late-data.json');
    expect(at(events, 700)).toEqual([]);
    expect(at(events, 701)).toEqual([['late', 1]]);
    expect(report.sideOutputs.late).toHaveLength(1);
  });
});
