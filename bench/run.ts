/**
 * The benchmark runner: `npm run bench`, `weir bench`, or directly
 *
 *   npx tsx bench/run.ts [NAME...] [--events N] [--only W2[,W3]] [--impl plain,rxjs] [--repeat K] [--json]
 *
 * Each (workload, implementation) runs in a child process of its own (`bench/child.ts`),
 * one after the other, so that each peak memory figure is that implementation's alone and
 * no run heats the JIT or the heap for the next. The runner compares every answer with
 * the reference table (or, for an N the table does not have, with the other runs of the
 * same answer) and fails loudly on a difference: a fast wrong answer measures nothing.
 *
 * Output: with `--json`, one line per run as CONTRACT.md section 5 gives it; otherwise a
 * table with each implementation's events/s as a ratio of the plain loop's in this run.
 * Exit codes: 0 all runs measured and right; 3 a run gave a wrong answer; 2 bad options;
 * 1 a child process crashed or timed out.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { IMPLEMENTATIONS, workloadsOf } from './impls/index.ts';
import { CHILD_EXIT, RESULT_PREFIX } from './protocol.ts';
import { expectedResult } from './reference.ts';
import { CHECK_WORKLOADS, KERNEL_WORKLOADS, SCENARIO_WORKLOADS, WORKLOADS, isWorkload } from './workloads.ts';

export const DEFAULT_EVENTS = 1_000_000;
/** Timed repetitions per run; the median is reported. */
export const DEFAULT_REPEAT = 3;
export const MAX_REPEAT = 20;
/** Inputs beyond this would take gigabytes; the limit says so instead of swapping. */
export const MAX_EVENTS = 50_000_000;
/** One child may take this long before it is stopped and reported. */
export const CHILD_TIMEOUT_MS = 10 * 60 * 1000;

export interface BenchOptions {
  /** Events per run (default 1,000,000). */
  events?: number;
  /** Workload names or families (`W2`, `kernel`, `kernel.trace`); default all. */
  only?: readonly string[];
  /** Implementations of W1–W3 by registry name; default all registered. Kernel lines are chosen with `only`. */
  impls?: readonly string[];
  /** Timed repetitions in each child (default 3); the line reports the median. */
  repeat?: number;
  /** One JSON line per run instead of the table. */
  json?: boolean;
}

/** Bad options: the caller prints the message with the usage and exits 2. */
export class BenchUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchUsageError';
  }
}

/** 1234567 -> "1,234,567" (by hand, so the output does not depend on the host's locale data). */
function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export const BENCH_USAGE = `usage: weir bench [NAME...] [--events N] [--only W1,W2,W3,kernel,scenario,check] [--impl ${Object.keys(IMPLEMENTATIONS).join(',')}] [--repeat K] [--json]
  NAME / --only   workloads: ${[...WORKLOADS, ...KERNEL_WORKLOADS, ...SCENARIO_WORKLOADS, ...CHECK_WORKLOADS].join(', ')}, or a family such as kernel, scenario or check
                  (a check line makes one property run per 1,000 events)
  --events N      events per run (default ${groupDigits(DEFAULT_EVENTS)})
  --impl LIST     implementations of W1–W3 (default: all registered)
  --repeat K      timed repetitions per run, median reported (default ${DEFAULT_REPEAT})
  --json          one JSON line per run (CONTRACT.md section 5)`;

/** One measured run, as printed with `--json`. */
export interface BenchLine {
  workload: string;
  impl: string;
  events: number;
  eventsPerSec: number;
  checksum: number;
  peakMemoryMB: number;
  outputs?: number;
  late?: number;
  ms?: number;
  ratioToPlain?: number;
  /** How the answer was checked: `reference`, `cross-check`, or `unchecked`. */
  verified?: string;
  [extra: string]: unknown;
}

export interface Job {
  readonly workload: string;
  readonly impl: string;
}

/** Parses `weir bench` arguments (positional names count as `--only`). */
export function parseBenchArgs(argv: readonly string[]): BenchOptions & { help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        events: { type: 'string' },
        only: { type: 'string', multiple: true },
        impl: { type: 'string', multiple: true },
        repeat: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new BenchUsageError((e as Error).message);
  }
  const { values, positionals } = parsed;
  const list = (items: readonly string[] | undefined): string[] =>
    (items ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const only = [...positionals.flatMap((p) => list([p])), ...list(values.only)];
  const impls = list(values.impl);
  const options: BenchOptions & { help: boolean } = { json: values.json === true, help: values.help === true };
  if (values.events !== undefined) options.events = parseWhole('--events', values.events, MAX_EVENTS);
  if (values.repeat !== undefined) options.repeat = parseWhole('--repeat', values.repeat, MAX_REPEAT);
  if (only.length > 0) options.only = only;
  if (impls.length > 0) options.impls = impls;
  return options;
}

function parseWhole(flag: string, text: string, max: number): number {
  const digits = text.replace(/[_,]/g, '');
  const n = /^\d+$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new BenchUsageError(`${flag} takes a whole number from 1 to ${max}, got '${text}'`);
  }
  return n;
}

function selectWorkloads(only: readonly string[] | undefined): string[] {
  const all = [...WORKLOADS, ...KERNEL_WORKLOADS, ...SCENARIO_WORKLOADS, ...CHECK_WORKLOADS];
  if (only === undefined || only.length === 0) return all;
  const chosen = new Set<string>();
  for (const name of only) {
    const matches = all.filter((w) => w.toLowerCase() === name.toLowerCase() || w.toLowerCase().startsWith(name.toLowerCase() + '.'));
    if (matches.length === 0) throw new BenchUsageError(`no workload '${name}'; there are ${all.join(', ')}`);
    for (const m of matches) chosen.add(m);
  }
  return all.filter((w) => chosen.has(w)); // in the suite's order
}

function selectImpls(impls: readonly string[] | undefined): string[] {
  const registered = Object.keys(IMPLEMENTATIONS);
  if (impls === undefined || impls.length === 0) return registered;
  for (const name of impls) {
    if (!registered.includes(name)) throw new BenchUsageError(`no implementation '${name}'; registered: ${registered.join(', ')}`);
  }
  return registered.filter((name) => impls.includes(name)); // plain first, as registered
}

/** The runs `options` ask for, in the order they go: workload by workload, implementations as registered. */
export function plan(options: BenchOptions): Job[] {
  const workloads = selectWorkloads(options.only);
  const impls = selectImpls(options.impls);
  const endToEnd = workloads.filter(isWorkload);
  // An implementation named with --impl that runs none of the chosen workloads is a mistake worth saying.
  for (const name of options.impls ?? []) {
    const runs = workloadsOf(IMPLEMENTATIONS[name]!, endToEnd);
    if (endToEnd.length > 0 && runs.length === 0) {
      throw new BenchUsageError(`implementation '${name}' runs ${IMPLEMENTATIONS[name]!.workloads!.join(', ')} only, not ${endToEnd.join(', ')}`);
    }
  }
  return workloads.flatMap((workload) =>
    isWorkload(workload)
      ? impls.filter((impl) => workloadsOf(IMPLEMENTATIONS[impl]!, [workload]).length > 0).map((impl) => ({ workload, impl }))
      : [{ workload, impl: 'weir' }],
  );
}

const CHILD_PATH = fileURLToPath(new URL('./child.ts', import.meta.url));

/** tsx's ESM loader as an absolute URL, so the child does not depend on the working directory. */
function tsxLoaderUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

interface ChildOutcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

function runChild(job: Job, events: number, repeat: number): Promise<ChildOutcome> {
  const args = ['--expose-gc', '--import', tsxLoaderUrl(), CHILD_PATH, '--workload', job.workload, '--impl', job.impl, '--events', String(events), '--repeat', String(repeat)];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, CHILD_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, timedOut });
    });
  });
}

function reproduce(job: Job, events: number, repeat: number): string {
  const impl = isWorkload(job.workload) ? ` --impl ${job.impl}` : '';
  return `npx tsx bench/run.ts --events ${events} --repeat ${repeat} --only ${job.workload}${impl}`;
}

/** Which answers must agree when N is not in the reference table: W2 and W3 share one. */
function answerClass(workload: string): string {
  return workload === 'W3' ? 'W2' : workload;
}

/**
 * Checks a line's answer against the reference table or, when N is off the table, against
 * the first answer of the same kind in this run (kept in `baselines`; W3 is held to W2's).
 * Each problem names the field, the expected and the actual value.
 */
export function verify(line: BenchLine, baselines: Map<string, BenchLine>): { verified: string; problems: string[] } {
  if (!isWorkload(line.workload)) return { verified: 'unchecked', problems: [] };
  let want: { outputs?: number | undefined; checksum: number; late?: number | undefined } | undefined = expectedResult(line.workload, line.events);
  let verified = 'reference';
  let against = '';
  if (want === undefined) {
    const baseline = baselines.get(answerClass(line.workload));
    if (baseline === undefined) {
      baselines.set(answerClass(line.workload), line);
      return { verified: 'unchecked', problems: [] };
    }
    want = baseline;
    verified = 'cross-check';
    against = ` (as ${baseline.workload} ${baseline.impl} answered)`;
  }
  const problems: string[] = [];
  for (const field of ['outputs', 'checksum', 'late'] as const) {
    if (line[field] !== want[field]) problems.push(`${field} expected ${want[field]}${against}, got ${line[field]}`);
  }
  return { verified, problems };
}

const COLUMNS = [
  ['workload', 20],
  ['impl', 15],
  ['events/s', 13],
  ['x plain', 8],
  ['peak MB', 8],
  ['base MB', 8],
  ['ms', 10],
  ['checksum', 11],
  ['check', 12],
] as const;

function row(cells: readonly string[]): string {
  return cells
    .map((cell, i) => {
      const width = COLUMNS[i]?.[1] ?? 0;
      return i === 0 || i === 1 || i >= 8 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join('  ')
    .trimEnd();
}

/** Bytes as the table shows them: 122127 -> "119.3 KiB". */
function kib(bytes: unknown): string {
  return typeof bytes === 'number' ? `${(bytes / 1024).toFixed(1)} KiB` : '?';
}

function note(line: BenchLine): string {
  if (typeof line['nsPerEvent'] === 'number') return `${line['nsPerEvent']} ns/event`;
  if (typeof line['nsPerTraceEvent'] === 'number') {
    return `${groupDigits(Number(line['records']))} records, ${groupDigits(Number(line['traceEvents']))} trace events, ${line['nsPerTraceEvent']} ns per trace event, hash ${String(line['traceHash'])}`;
  }
  const parts: string[] = [];
  if (typeof line['ratioToBaseline'] === 'number') {
    parts.push(`x ${String(line['baseline'])} ${line['ratioToBaseline'].toFixed(2)} (${groupDigits(Number(line['baselineEventsPerSec']))} ev/s in the same process)`);
  }
  if (typeof line['checkpointsCompleted'] === 'number') {
    const failed = Number(line['checkpointsNotCompleted'] ?? 0);
    parts.push(
      `${line['checkpointsCompleted']} checkpoints${failed > 0 ? ` (+${failed} not completed)` : ''}, ` +
        `alignment mean ${String(line['alignmentMsMean'])} / max ${String(line['alignmentMsMax'])} ms, ` +
        `state ${kib(line['stateSizeBytesMean'])}, written ${kib(line['checkpointedSizeBytesMean'])} (means)`,
    );
  }
  if (parts.length > 0) return parts.join('; ');
  if (typeof line['scheduleMs'] === 'number' && typeof line['runMs'] === 'number') {
    return `schedule ${line['scheduleMs']} ms + run ${line['runMs']} ms`;
  }
  return '';
}

function tableRow(line: BenchLine, ok: boolean): string {
  return row([
    line.workload,
    line.impl,
    groupDigits(line.eventsPerSec),
    line.ratioToPlain === undefined ? '' : line.ratioToPlain.toFixed(2),
    String(line.peakMemoryMB),
    typeof line['baseMemoryMB'] === 'number' ? String(line['baseMemoryMB']) : '',
    (line.ms ?? 0).toFixed(1),
    String(line.checksum),
    (ok ? (line.verified === 'reference' ? 'ok' : (line.verified ?? '')) : 'WRONG') + (note(line) ? `  ${note(line)}` : ''),
  ]);
}

/**
 * Runs the benchmark suite and returns the exit code. `write` gets each output line
 * (without its newline); `writeError` gets failures and progress meant for a terminal.
 * @example
 * const code = await runBench({ events: 100_000, only: ['W2'] }, (line) => process.stdout.write(line + '\n'));
 */
export async function runBench(
  options: BenchOptions,
  write: (line: string) => void,
  writeError: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Promise<number> {
  let jobs: Job[];
  const events = options.events ?? DEFAULT_EVENTS;
  const repeat = options.repeat ?? DEFAULT_REPEAT;
  try {
    if (!Number.isSafeInteger(events) || events < 1 || events > MAX_EVENTS) {
      throw new BenchUsageError(`events must be a whole number from 1 to ${MAX_EVENTS}, got ${events}`);
    }
    if (!Number.isSafeInteger(repeat) || repeat < 1 || repeat > MAX_REPEAT) {
      throw new BenchUsageError(`repeat must be a whole number from 1 to ${MAX_REPEAT}, got ${repeat}`);
    }
    jobs = plan(options);
  } catch (e) {
    if (e instanceof BenchUsageError) {
      writeError(`weir bench: ${e.message}\n\n${BENCH_USAGE}`);
      return 2;
    }
    throw e;
  }

  const json = options.json === true;
  if (!json) {
    write(`Weir benchmarks: ${groupDigits(events)} events, each (workload, impl) in its own process, ${repeat === 1 ? 'one timed run' : `median of ${repeat} timed runs`} (Node ${process.version}, ${process.platform}/${process.arch})`);
    write(row(COLUMNS.map(([title]) => title)));
  }
  const plainRate = new Map<string, number>();
  const baselines = new Map<string, BenchLine>();
  let wrong = 0;
  let crashed = 0;
  for (const job of jobs) {
    const outcome = await runChild(job, events, repeat);
    const resultLine = outcome.stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    if (outcome.code !== CHILD_EXIT.ok || resultLine === undefined) {
      const why = outcome.timedOut ? `timed out after ${CHILD_TIMEOUT_MS} ms` : `exited with code ${outcome.code}`;
      if (outcome.code === CHILD_EXIT.verification) wrong++;
      else crashed++;
      writeError(`FAILED ${job.workload} ${job.impl} (N = ${events}): the child process ${why}`);
      const stderrLines = outcome.stderr.trimEnd().split('\n').filter((l) => l !== '');
      for (const l of stderrLines.slice(0, 12)) writeError(`  | ${l}`);
      if (stderrLines.length > 12) writeError(`  | ... (${stderrLines.length - 12} more lines)`);
      writeError(`  reproduce: ${reproduce(job, events, repeat)}`);
      continue;
    }
    const line = JSON.parse(resultLine.slice(RESULT_PREFIX.length)) as BenchLine;
    if (job.impl === 'plain') plainRate.set(job.workload, line.eventsPerSec);
    const plain = plainRate.get(job.workload);
    if (plain !== undefined && isWorkload(job.workload)) line.ratioToPlain = Math.round((line.eventsPerSec / plain) * 1000) / 1000;
    const { verified, problems } = verify(line, baselines);
    line.verified = verified;
    if (problems.length > 0) {
      wrong++;
      line.verified = 'WRONG';
      writeError(`FAILED ${job.workload} ${job.impl} (N = ${events}, checked by ${verified}): ${problems.join('; ')}`);
      writeError(`  reproduce: ${reproduce(job, events, repeat)}`);
    }
    write(json ? JSON.stringify(line) : tableRow(line, problems.length === 0));
  }
  if (!json) {
    write('');
    write('x plain: events/s as a fraction of the plain loop\'s for the same workload, measured in this run.');
    if (jobs.some((j) => IMPLEMENTATIONS[j.impl]?.baseline !== undefined && isWorkload(j.workload))) {
      write('x weir: a checkpointed run\'s events/s as a fraction of weir without checkpoints, timed alternately in the same process.');
    }
    write('peak MB: the run\'s peak resident memory; base MB: the same process before the warm-up (Node, tsx, the input).');
    write('Absolute figures drift between machines and runs; compare ratios taken in one run.');
  }
  if (crashed + wrong > 0) {
    writeError(`weir bench: ${crashed + wrong} of ${jobs.length} runs failed (wrong answers: ${wrong}, crashed: ${crashed})`);
  }
  return crashed > 0 ? 1 : wrong > 0 ? 3 : 0;
}

/** Parses `argv` and runs; what `weir bench` calls. */
export async function runBenchCli(
  argv: readonly string[],
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
  writeError: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Promise<number> {
  let options;
  try {
    options = parseBenchArgs(argv);
  } catch (e) {
    if (e instanceof BenchUsageError) {
      writeError(`weir bench: ${e.message}\n\n${BENCH_USAGE}`);
      return 2;
    }
    throw e;
  }
  if (options.help) {
    write(BENCH_USAGE);
    return 0;
  }
  return runBench(options, write, writeError);
}

const executedDirectly = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (executedDirectly) {
  process.exitCode = await runBenchCli(process.argv.slice(2));
}
