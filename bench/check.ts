/**
 * Throughput of `weir check`'s property runs, as lines of `weir bench` (workloads
 * `check.print`, `check.two-phase-commit`, `check.write-ahead-log`, `check.idempotent`:
 * `weir bench check`) or on its own:
 *
 *   npx tsx bench/check.ts [--runs N]
 *
 * The job of the target: 200 records from a 2-partition topic, parallelism 2, checkpoints
 * every 200 ms, a keyed tumbling window, one sink; plans of up to 3 faults. Each run draws its
 * plan, runs the job at trace level `off` without retaining the trace, and judges the output
 * with the exactly-once oracle, as a campaign does. On its own it prints one JSON line per sink type:
 * `{"workload": "check.print", "impl": "weir", "runs": n, "runsPerSec": r, "violated": v, "shrinkMs": s}`
 * (runs/s on this one core, without shrinking; shrinkMs: shrinking the first violation, when there is one).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Campaign } from '../core/index.ts';
import type { KernelMeasurement } from './kernel.ts';
import type { CheckWorkload } from './workloads.ts';

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

const SINKS: Readonly<Record<CheckWorkload, Record<string, unknown>>> = {
  'check.print': { type: 'print' },
  'check.two-phase-commit': { type: 'two-phase-commit', topic: 'results' },
  'check.write-ahead-log': { type: 'write-ahead-log', topic: 'results' },
  'check.idempotent': { type: 'idempotent', table: 't', key: 'key' },
};

/** `weir bench` gives every line N events; a check line makes one property run per this many. */
export const EVENTS_PER_CHECK_RUN = 1000;

/**
 * Runs made before timing. V8 keeps optimising the simulation's hot paths for the first few
 * hundred runs (200 left the first timed runs slower and the figures moving between runs).
 */
const WARM_UP_RUNS = 600;

/** A campaign of `runs` runs (plans 0..runs-1 of seed 0), ready to time. */
export function checkCampaign(workload: CheckWorkload, runs: number): Campaign {
  return new Campaign(checkJob(SINKS[workload]), 'bench', { runs, seed: 0, maxFaults: 3 });
}

/**
 * Times runs 0..runs-1 of the workload's campaign (the campaign built and its reference run
 * made before timing). The checksum is the number of runs that violated the property: the
 * same on every machine, so a change in what the runs do shows as a change of checksum.
 */
export function runCheckBench(workload: CheckWorkload, runs: number, campaign: Campaign = checkCampaign(workload, runs)): KernelMeasurement {
  let violated = 0;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) if (campaign.runIndex(i).violated) violated++;
  const ms = performance.now() - t0;
  return { ms, checksum: violated, extra: { runs, runsPerSec: Math.round((runs / ms) * 1000), violated } };
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string' } } });
  const runs = Number(values.runs ?? 2000);
  for (const workload of Object.keys(SINKS) as CheckWorkload[]) {
    const campaign = checkCampaign(workload, runs);
    runCheckBench(workload, Math.min(WARM_UP_RUNS, runs), campaign);
    const m = runCheckBench(workload, runs, campaign);
    let first: number | null = null;
    for (let i = 0; i < runs && m.checksum > 0; i++) {
      if (campaign.runIndex(i).violated) {
        first = i;
        break;
      }
    }
    let shrinkMs: number | null = null;
    if (first !== null) {
      const t1 = performance.now();
      campaign.shrink(first);
      shrinkMs = Math.round(performance.now() - t1);
    }
    process.stdout.write(JSON.stringify({ workload, impl: 'weir', runs, runsPerSec: m.extra['runsPerSec'], violated: m.checksum, shrinkMs }) + '\n');
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
