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
 * `peakMemoryMB` is the process's peak resident set through the warm-up and the first
 * timed run, so it includes Node, the tsx loader and the input; `baseMemoryMB` is that peak just before the warm-up, with the input
 * built, and the difference is what the implementation added.
 *
 * Exit codes: 0 measured, 3 the input or the warm-up gave a wrong answer, 2 bad arguments,
 * 1 anything else (message on stderr).
 */
import { parseArgs } from 'node:util';
import { IMPLEMENTATIONS } from './impls/index.ts';
import { generateInput, inputFingerprint, type BenchInput } from './input.ts';
import { expectedResult, referenceFor } from './reference.ts';
import type { KernelMeasurement } from './kernel.ts';
import { CHILD_EXIT, RESULT_PREFIX, WARMUP_EVENTS_MAX } from './protocol.ts';
import { BenchSink, type BenchResult } from './sink.ts';
import { isKernelWorkload, isWorkload, type Workload } from './workloads.ts';

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

function measureWorkload(workload: Workload, implName: string, n: number, repeat: number): Record<string, unknown> {
  const impl = IMPLEMENTATIONS[implName];
  if (impl === undefined) throw new ArgumentError(`no implementation '${implName}'`);
  const input = checkedInput(n);
  const baseMemoryMB = peakMemoryMB();
  const warmupEvents = Math.min(n, WARMUP_EVENTS_MAX);
  const warmupInput = warmupEvents === n ? input : checkedInput(warmupEvents);
  const warmupSink = new BenchSink();
  impl.run(workload, warmupInput, warmupSink);
  checkWarmup(workload, implName, warmupEvents, warmupSink.result());

  const times: number[] = [];
  let first: BenchResult | undefined;
  let peakMB = 0;
  for (let r = 0; r < repeat; r++) {
    collectGarbage();
    const sink = new BenchSink();
    const start = process.hrtime.bigint();
    impl.run(workload, input, sink);
    times.push(elapsedMs(start));
    // The peak through the first timed run, before the checker's sort: later repetitions
    // run on a heap the earlier ones grew, which would overstate one run's memory.
    if (r === 0) peakMB = peakMemoryMB();
    const result = sink.result();
    if (first === undefined) first = result;
    else if (result.outputs !== first.outputs || result.checksum !== first.checksum || result.late !== first.late) {
      throw new VerificationError(`${workload} ${implName}: repetition ${r + 1} answered ${JSON.stringify(result)}, the first ${JSON.stringify(first)}`);
    }
  }
  const ms = median(times);
  return {
    workload,
    impl: implName,
    events: n,
    eventsPerSec: Math.round(n / (ms / 1000)),
    checksum: first!.checksum,
    peakMemoryMB: peakMB,
    outputs: first!.outputs,
    late: first!.late,
    ms: round3(ms),
    msRuns: times.map(round3),
    baseMemoryMB,
    warmupEvents,
  };
}

async function measureKernel(workload: string, n: number, repeat: number): Promise<Record<string, unknown>> {
  if (!isKernelWorkload(workload)) throw new ArgumentError(`no kernel workload '${workload}'`);
  const { runKernelBench } = await import('./kernel.ts');
  const baseMemoryMB = peakMemoryMB();
  const warmupEvents = Math.min(n, WARMUP_EVENTS_MAX);
  runKernelBench(workload, warmupEvents);
  const runs: KernelMeasurement[] = [];
  let peakMB = 0;
  for (let r = 0; r < repeat; r++) {
    collectGarbage();
    runs.push(runKernelBench(workload, n));
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
