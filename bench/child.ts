/**
 * One benchmark measurement, in a process of its own so that its peak resident memory
 * belongs to that implementation alone. Started by `bench/run.ts` as
 *
 *   node --expose-gc --import <tsx loader> bench/child.ts --workload W2 --impl plain --events 1000000 --repeat 3
 *
 * It builds the input (and checks its fingerprint when the reference table knows N), warms
 * the implementation up once on a smaller input (checking those answers too), collects
 * garbage, then times `run` alone with `process.hrtime.bigint()`, `--repeat` times (garbage
 * collected before each), and reports the median. It prints one line,
 * `RESULT_PREFIX` + JSON, and leaves the comparison with the reference to the parent.
 *
 * An implementation with a `baseline` (the checkpointed variants of `weir`, whose baseline
 * is `weir`) has the baseline warmed up and timed in the same process too, alternating with
 * its own runs; the line adds `baselineEventsPerSec`, `baselineMsRuns` and
 * `ratioToBaseline` (its events/s over the baseline's), plus whatever extra fields `run`
 * returned (checkpoint statistics).
 *
 * `peakMemoryMB` is the process's peak resident set through the warm-up and the first
 * timed run, so it includes Node, the tsx loader and the input; `baseMemoryMB` is that peak just before the warm-up, with the input
 * built, and the difference is what the implementation added.
 *
 * Exit codes: 0 measured, 3 the input or the warm-up gave a wrong answer, 2 bad arguments,
 * 1 anything else (message on stderr).
 */
import { parseArgs } from 'node:util';
import { IMPLEMENTATIONS, type Implementation, type RunExtras } from './impls/index.ts';
import { generateInput, inputFingerprint, type BenchInput } from './input.ts';
import { expectedResult, referenceFor } from './reference.ts';
import type { KernelMeasurement } from './kernel.ts';
import { CHILD_EXIT, RESULT_PREFIX, WARMUP_EVENTS_MAX } from './protocol.ts';
import { BenchSink, type BenchResult } from './sink.ts';
import { isCheckWorkload, isKernelWorkload, isScenarioWorkload, isWorkload, type Workload } from './workloads.ts';

class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

class ArgumentError extends Error {}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function peakMemoryMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function checkedInput(n: number): BenchInput {
  const input = generateInput(n);
  const row = referenceFor(n);
  if (row !== undefined) {
    const actual = inputFingerprint(input);
    if (actual !== row.fingerprint) {
      throw new VerificationError(`input fingerprint for N = ${n}: expected ${row.fingerprint}, got ${actual}`);
    }
  }
  return input;
}

function checkWarmup(workload: Workload, impl: string, n: number, result: BenchResult): void {
  const expected = expectedResult(workload, n);
  if (expected === undefined) return;
  for (const field of ['outputs', 'checksum', 'late'] as const) {
    if (result[field] !== expected[field]) {
      throw new VerificationError(`${workload} ${impl} warm-up on N = ${n}: ${field} expected ${expected[field]}, got ${result[field]}`);
    }
  }
}

/** The median of the timed repetitions: one slow run (a GC pause, a busy core) does not decide the figure. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** One timed `run`: its time, its answer and the extra fields it returned. */
interface TimedRun {
  readonly ms: number;
  readonly result: BenchResult;
  readonly extras: RunExtras;
}

function timedRun(impl: Implementation, workload: Workload, input: BenchInput): TimedRun {
  collectGarbage();
  const sink = new BenchSink();
  const start = process.hrtime.bigint();
  const extras = impl.run(workload, input, sink);
  const ms = elapsedMs(start);
  return { ms, result: sink.result(), extras: extras ?? {} };
}

function sameAnswer(a: BenchResult, b: BenchResult): boolean {
  return a.outputs === b.outputs && a.checksum === b.checksum && a.late === b.late;
}

function warmUp(impl: Implementation, workload: Workload, input: BenchInput): void {
  const sink = new BenchSink();
  impl.run(workload, input, sink);
  checkWarmup(workload, impl.name, input.n, sink.result());
}

function measureWorkload(workload: Workload, implName: string, n: number, repeat: number): Record<string, unknown> {
  const impl = IMPLEMENTATIONS[implName];
  if (impl === undefined) throw new ArgumentError(`no implementation '${implName}'`);
  if (impl.workloads !== undefined && !impl.workloads.includes(workload)) {
    throw new ArgumentError(`implementation '${implName}' runs ${impl.workloads.join(', ')}, not ${workload}`);
  }
  const baseline = impl.baseline === undefined ? undefined : IMPLEMENTATIONS[impl.baseline];
  if (impl.baseline !== undefined && baseline === undefined) throw new ArgumentError(`'${implName}' names a baseline '${impl.baseline}' that is not registered`);
  const input = checkedInput(n);
  const baseMemoryMB = peakMemoryMB();
  const warmupEvents = Math.min(n, WARMUP_EVENTS_MAX);
  const warmupInput = warmupEvents === n ? input : checkedInput(warmupEvents);
  warmUp(impl, workload, warmupInput);
  if (baseline !== undefined) warmUp(baseline, workload, warmupInput);

  const runs: TimedRun[] = [];
  const baselineRuns: TimedRun[] = [];
  let peakMB = 0;
  for (let r = 0; r < repeat; r++) {
    // With a baseline, the two alternate which goes first, so that neither always runs on
    // the heap the other left; the implementation's own first run still comes first.
    if (baseline !== undefined && r % 2 === 1) baselineRuns.push(timedRun(baseline, workload, input));
    const run = timedRun(impl, workload, input);
    // The peak through the first timed run, before the checker's sort: later repetitions
    // run on a heap the earlier ones grew, which would overstate one run's memory.
    if (r === 0) peakMB = peakMemoryMB();
    runs.push(run);
    if (baseline !== undefined && r % 2 === 0) baselineRuns.push(timedRun(baseline, workload, input));
  }
  const first = runs[0]!;
  for (const [r, run] of runs.entries()) {
    if (!sameAnswer(run.result, first.result)) {
      throw new VerificationError(`${workload} ${implName}: repetition ${r + 1} answered ${JSON.stringify(run.result)}, the first ${JSON.stringify(first.result)}`);
    }
    // The extras come from the virtual clock (checkpoint counts and sizes), so they repeat exactly.
    if (JSON.stringify(run.extras) !== JSON.stringify(first.extras)) {
      throw new VerificationError(`${workload} ${implName}: repetition ${r + 1} reported ${JSON.stringify(run.extras)}, the first ${JSON.stringify(first.extras)}`);
    }
  }
  for (const run of baselineRuns) {
    if (!sameAnswer(run.result, first.result)) {
      throw new VerificationError(`${workload} ${implName}: its baseline ${impl.baseline} answered ${JSON.stringify(run.result)}, it answered ${JSON.stringify(first.result)}`);
    }
  }
  const times = runs.map((x) => x.ms);
  const ms = median(times);
  const line: Record<string, unknown> = {
    workload,
    impl: implName,
    events: n,
    eventsPerSec: Math.round(n / (ms / 1000)),
    checksum: first.result.checksum,
    peakMemoryMB: peakMB,
    outputs: first.result.outputs,
    late: first.result.late,
    ms: round3(ms),
    msRuns: times.map(round3),
    baseMemoryMB,
    warmupEvents,
    ...first.extras,
  };
  if (baseline !== undefined) {
    const baselineTimes = baselineRuns.map((x) => x.ms);
    const baselineMs = median(baselineTimes);
    line['baseline'] = baseline.name;
    line['baselineEventsPerSec'] = Math.round(n / (baselineMs / 1000));
    line['baselineMs'] = round3(baselineMs);
    line['baselineMsRuns'] = baselineTimes.map(round3);
    line['ratioToBaseline'] = round3(baselineMs / ms);
  }
  return line;
}

async function measureKernel(workload: string, n: number, repeat: number): Promise<Record<string, unknown>> {
  let measure: (events: number) => KernelMeasurement;
  if (isKernelWorkload(workload)) {
    const { runKernelBench } = await import('./kernel.ts');
    measure = (events) => runKernelBench(workload, events);
  } else if (isCheckWorkload(workload)) {
    // The campaign (its reference run and fault space) is built once: a campaign runs its plans against one reference.
    const { checkCampaign, runCheckBench, EVENTS_PER_CHECK_RUN } = await import('./check.ts');
    const runsOf = (events: number): number => Math.max(1, Math.ceil(events / EVENTS_PER_CHECK_RUN));
    const campaign = checkCampaign(workload, runsOf(n));
    measure = (events) => runCheckBench(workload, runsOf(events), campaign);
  } else if (isScenarioWorkload(workload)) {
    // A scenario has its own size: --events does not apply, and the line counts its records.
    const { measureScenario, SCENARIO_FILE } = await import('./scenario-bench.ts');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(SCENARIO_FILE, 'utf8');
    const level = workload === 'scenario.full' ? 'full' : 'summary';
    measure = () => measureScenario(text, level);
    n = measure(0).extra['records'] as number;
  } else {
    throw new ArgumentError(`no kernel, scenario or check workload '${workload}'`);
  }
  const baseMemoryMB = peakMemoryMB();
  const warmupEvents = Math.min(n, WARMUP_EVENTS_MAX);
  measure(warmupEvents);
  const runs: KernelMeasurement[] = [];
  let peakMB = 0;
  for (let r = 0; r < repeat; r++) {
    collectGarbage();
    runs.push(measure(n));
    if (r === 0) peakMB = peakMemoryMB();
  }
  const times = runs.map((m) => m.ms);
  const ms = median(times);
  const m = runs.find((x) => x.ms === ms) ?? runs[0]!;
  if (runs.some((x) => x.checksum !== runs[0]!.checksum)) {
    throw new VerificationError(`${workload}: the repetitions gave different checksums (${runs.map((x) => x.checksum).join(', ')})`);
  }
  return {
    workload,
    impl: 'weir',
    events: n,
    eventsPerSec: Math.round(n / (ms / 1000)),
    checksum: m.checksum,
    peakMemoryMB: peakMB,
    ms: round3(ms),
    msRuns: times.map(round3),
    ...m.extra,
    baseMemoryMB,
    warmupEvents,
  };
}

async function main(argv: string[]): Promise<number> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { workload: { type: 'string' }, impl: { type: 'string' }, events: { type: 'string' }, repeat: { type: 'string' } },
      strict: true,
    });
    const workload = values.workload ?? '';
    const implName = values.impl ?? '';
    const n = Number(values.events);
    if (!Number.isSafeInteger(n) || n < 1) throw new ArgumentError(`--events must be a positive integer, got '${values.events}'`);
    const repeat = Number(values.repeat ?? '1');
    if (!Number.isSafeInteger(repeat) || repeat < 1) throw new ArgumentError(`--repeat must be a positive integer, got '${values.repeat}'`);
    const line = isWorkload(workload) ? measureWorkload(workload, implName, n, repeat) : await measureKernel(workload, n, repeat);
    process.stdout.write(RESULT_PREFIX + JSON.stringify(line) + '\n');
    return CHILD_EXIT.ok;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof VerificationError) {
      process.stderr.write(`FAILED: ${message}\n`);
      return CHILD_EXIT.verification;
    }
    if (e instanceof ArgumentError) {
      process.stderr.write(`bench child: ${message}\n`);
      return CHILD_EXIT.usage;
    }
    process.stderr.write(`bench child: ${e instanceof Error ? (e.stack ?? message) : message}\n`);
    return CHILD_EXIT.internal;
  }
}

process.exitCode = await main(process.argv.slice(2));
