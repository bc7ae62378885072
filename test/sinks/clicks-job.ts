// The job the sink tests share: clicks of four users counted in 2 s tumbling windows,
// parallelism 2, a checkpoint every second, one sink of the kind under test. Its windows
// fire at 2201, 4201, 6201 and at the end of the input, so checkpoints 3, 5, 7 and the
// final checkpoint 8 each complete with a batch of results (one from counts#0, three from
// counts#1), and the job ends at t=8004.
import { canonicalJson, createSimulation, formatIssue, parseScenarioText, type RunReport, type TraceEvent } from '../../core/index.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- scenario files as plain JSON, to build variants
export type Json = any;

export function scenario(sink: Json, faults: Json[] = [], config: Json = {}): Json {
  return {
    format: 'weir/scenario@1',
    name: 'sinks',
    seed: 1,
    cluster: { taskManagers: 2, slotsPerTaskManager: 1 },
    config: { parallelism: 2, checkpointing: { interval: 1000 }, restartStrategy: { type: 'fixed-delay', attempts: 5, delay: 500 }, ...config },
    topics: { clicks: { partitions: 2, generator: { count: 80, interval: 100, keys: 4, outOfOrderness: 0, value: '{user: key, n: i}' } } },
    job: {
      name: 'clicks per user',
      operators: [
        { id: 'clicks', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' } },
        { id: 'byUser', type: 'keyBy', input: 'clicks', key: 'user' },
        { id: 'counts', type: 'window', input: 'byUser', assigner: { type: 'tumbling', size: 2000 }, aggregate: 'count' },
        { id: 'out', type: 'sink', input: 'counts', sink },
      ],
    },
    faults,
  };
}

export const TWO_PC = { type: 'two-phase-commit', topic: 'results' };
export const WAL = { type: 'write-ahead-log', topic: 'results' };

export function run(json: Json): { report: RunReport; events: readonly TraceEvent[] } {
  const parsed = parseScenarioText(JSON.stringify(json), 'sinks.json');
  if (!parsed.ok) throw new Error(parsed.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: parsed.scenario });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

/** Records as sorted canonical strings: the multiset a reader compares. */
export function multiset(records: readonly { value: unknown; timestamp: number | null }[]): string[] {
  return records.map((r) => canonicalJson({ value: r.value, timestamp: r.timestamp } as never)).sort();
}

export type CommitStep = Extract<TraceEvent, { tag: 'sink.commit' }>;

export function steps(events: readonly TraceEvent[], step: CommitStep['step']): CommitStep[] {
  return events.filter((e): e is CommitStep => e.tag === 'sink.commit' && e.step === step);
}
