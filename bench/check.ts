/**
 * Throughput of `weir check`'s property runs (not a timed test):
 *
 *   npx tsx bench/check.ts [--runs N]
 *
 * The job of the target: 200 records from a 2-partition topic, parallelism 2, checkpoints
 * every 200 ms, a keyed tumbling window, one sink; plans of up to 3 faults. Each run draws its
 * plan, runs the job at trace level `off` without retaining the trace, and judges the output
 * with the exactly-once oracle, as a campaign does. One JSON line per sink type:
 * `{"workload": "check.print", "impl": "weir", "runs": n, "runsPerSec": r, "violated": v, "shrinkMs": s}`
 * (runs/s on this one core, without shrinking; shrinkMs: shrinking the first violation, when there is one).
 */
import { parseArgs } from 'node:util';
import { Campaign } from '../core/index.ts';

const { values } = parseArgs({ options: { runs: { type: 'string' } } });
const runs = Number(values.runs ?? 2000);

export function checkJob(sink: Record<string, unknown>): Record<string, unknown> {
  return {
    format: 'weir/scenario@1',
    name: `check throughput (${String(sink['type'])})`,
    seed: 1,
    config: { parallelism: 2, checkpointing: { interval: 200 }, restartStrategy: { type: 'fixed-delay', attempts: 5, delay: 100 } },
    topics: { events: { partitions: 2, generator: { count: 200, interval: 5, keys: 4, outOfOrderness: 0, value: '{key: key, n: i}' } } },
    job: {
      name: 'small',
      operators: [
        { id: 'src', type: 'source', topic: 'events', watermarks: { strategy: 'monotonous' } },
        { id: 'double', type: 'map', expr: '{key: key, n: n * 2}', input: 'src' },
        { id: 'byKey', type: 'keyBy', input: 'double', key: 'key' },
        { id: 'counts', type: 'window', input: 'byKey', assigner: { type: 'tumbling', size: 100 }, aggregate: 'count' },
        { id: 'out', type: 'sink', input: 'counts', sink },
      ],
    },
  };
}

const SINKS = [{ type: 'print' }, { type: 'two-phase-commit', topic: 'results' }, { type: 'write-ahead-log', topic: 'results' }, { type: 'idempotent', table: 't', key: 'key' }];

for (const sink of SINKS) {
  const campaign = new Campaign(checkJob(sink), 'bench', { runs, seed: 0, maxFaults: 3 });
  for (let i = 0; i < Math.min(200, runs); i++) campaign.runIndex(i); // warm the JIT
  let violated = 0;
  let first: number | null = null;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    if (campaign.runIndex(i).violated) {
      violated++;
      first ??= i;
    }
  }
  const elapsed = performance.now() - t0;
  let shrinkMs: number | null = null;
  if (first !== null) {
    const t1 = performance.now();
    campaign.shrink(first);
    shrinkMs = Math.round(performance.now() - t1);
  }
  process.stdout.write(JSON.stringify({ workload: `check.${String(sink.type)}`, impl: 'weir', runs, runsPerSec: Math.round((runs / elapsed) * 1000), violated, shrinkMs }) + '\n');
}
