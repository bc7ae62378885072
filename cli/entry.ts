// The `weir` command's logic: run, validate and list scenarios, and run the benchmarks. All
// the work is in core/; this file reads files, parses flags, prints, and picks the exit code
// (CONTRACT.md section 2): 0 ran, 2 invalid input, 3 expectation or property failed, 4 a
// limit stopped the run, 1 internal error. cli/main.ts is the process around it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson, checkExpectations, createSimulation, encodeEvent, JobGraphError, LimitExceededError, type JsonValue, type RunReport } from '../core/index.ts';
import { parseCommand, USAGE, UsageError, type Command } from './args.ts';
import { refuseUnwritable, writeOutputFile } from './output-file.ts';
import { InvalidInput, loadScenarioFile } from './scenario-file.ts';
import { renderTimeline } from './timeline.ts';

/** Where the command's output goes: the terminal, or a test's buffers. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const NODE_IO: Io = { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) };

let current: Io = NODE_IO;

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

async function execute(command: Command): Promise<number> {
  switch (command.name) {
    case 'help':
      current.out(USAGE + '\n');
      return 0;
    case 'version':
      current.out(`${packageVersion()}\n`);
      return 0;
    case 'validate': {
      const scenario = loadScenarioFile(command.file, { client: { parallelism: null }, generateTopics: true });
      current.out(`${command.file}: valid (${scenario.name}: ${scenario.job.operators.length} operators)\n`);
      return 0;
    }
    case 'list':
      return list(command.json);
    case 'run':
      return run(command);
    case 'check': {
      const { runCheck } = await import('./check.ts');
      return runCheck(command);
    }
    case 'bench': {
      const { runBenchCommand } = await import('./bench.ts');
      return runBenchCommand(command.args);
    }
  }
}

/** The version in the checkout's package.json, read when asked: it is what `npm ci` installed. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

function run(command: Extract<Command, { name: 'run' }>): number {
  const scenario = loadScenarioFile(command.file, { untilGiven: command.untilMs !== null, client: { parallelism: command.parallelism } });
  // Before the run, not after it: a trace that cannot be written is made in vain.
  if (command.traceFile !== null) refuseUnwritable('weir run', '--trace', command.traceFile);
  let sim;
  try {
    sim = createSimulation({
      scenario,
      seed: command.seed ?? undefined,
      parallelism: command.parallelism,
      untilMs: command.untilMs ?? undefined,
      traceLevel: command.traceLevel,
      limits: command.limits,
    });
  } catch (e) {
    if (e instanceof JobGraphError) throw new InvalidInput([`${command.file}: ${e.path}: ${e.message}`]);
    throw e;
  }
  sim.run();
  const report = sim.report();
  if (command.traceFile !== null) {
    writeOutputFile('weir run', '--trace', command.traceFile, sim.trace.events.map((e) => encodeEvent(e) + '\n').join(''));
  }
  current.out(command.json ? reportText(report) + '\n' : renderTimeline(sim.trace.events, report, scenario.faults));
  if (scenario.expect === null) return 0;
  const failures = checkExpectations(scenario.expect, report);
  for (const f of failures) current.err(`${command.file}: ${f.path}: expectation failed: ${f.message}\n`);
  if (failures.length > 0) return 3;
  if (!command.json) current.out('expectations met\n');
  return 0;
}

/** The report, indented; on one canonical line when a value is too deep for JSON.stringify's recursion. */
function reportText(report: RunReport): string {
  try {
    return JSON.stringify(report, null, 2);
  } catch (e) {
    if (e instanceof RangeError) return canonicalJson(report as unknown as JsonValue);
    throw e;
  }
}

function list(json: boolean): number {
  const dir = join(repoRoot, 'scenarios');
  // The shipped scenarios, then Flink's training exercises (`training/NAME`).
  const files = [
    ...readdirSync(dir).filter((f) => f.endsWith('.json')).sort(),
    ...readdirSync(join(dir, 'training')).filter((f) => f.endsWith('.json')).sort().map((f) => `training/${f}`),
  ];
  const rows = files.map((f) => {
    const data = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name?: string; description?: string };
    const firstLine = (data.description ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
    return { name: f.slice(0, -'.json'.length), file: relative(process.cwd(), join(dir, f)), title: data.name ?? '', summary: firstLine };
  });
  if (json) current.out(JSON.stringify(rows, null, 2) + '\n');
  else {
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) current.out(`${r.name.padEnd(width)}  ${r.title}${r.summary ? ` — ${r.summary}` : ''}\n`);
  }
  return 0;
}

/**
 * The whole command: argv in, exit code out, with output through `io`, so that a test can
 * drive thousands of cases in one process. Whatever goes wrong ends in an exit code and a
 * message, never an uncaught exception.
 * @example await main(['validate', 'scenarios/late-data.json'], NODE_IO) // 0
 */
export async function main(argv: readonly string[], io: Io = NODE_IO): Promise<number> {
  const saved = current;
  current = io;
  try {
    return await dispatch(argv);
  } finally {
    current = saved;
  }
}

async function dispatch(argv: readonly string[]): Promise<number> {
  try {
    return await execute(parseCommand(argv));
  } catch (e) {
    if (e instanceof UsageError) {
      current.err(`weir: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof InvalidInput) {
      current.err(e.lines.join('\n') + '\n');
      return 2;
    }
    if (e instanceof LimitExceededError) {
      current.err(`weir: the run stopped: ${e.message}\n`);
      return 4;
    }
    current.err(`weir: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

