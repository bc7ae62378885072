// The `weir` command: run, validate and list scenarios, and run the benchmarks. All the
// work is in core/; this file reads files, parses flags, prints, and picks the exit code
// (CONTRACT.md section 2): 0 ran, 2 invalid input, 3 expectation or property failed, 4 a
// limit stopped the run, 1 internal error.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkExpectations, createSimulation, encodeEvent, JobGraphError, LimitExceededError } from '../core/index.ts';
import { parseCommand, USAGE, UsageError, type Command } from './args.ts';
import { InvalidInput, loadScenarioFile } from './scenario-file.ts';
import { renderTimeline } from './timeline.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

async function execute(command: Command): Promise<number> {
  switch (command.name) {
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    case 'validate': {
      const scenario = loadScenarioFile(command.file);
      process.stdout.write(`${command.file}: valid (${scenario.name}: ${scenario.job.operators.length} operators)\n`);
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

function run(command: Extract<Command, { name: 'run' }>): number {
  const scenario = loadScenarioFile(command.file);
  let sim;
  try {
    sim = createSimulation({
      scenario,
      seed: command.seed ?? undefined,
      parallelism: command.parallelism,
      untilMs: command.untilMs ?? undefined,
      traceLevel: command.traceLevel,
    });
  } catch (e) {
    if (e instanceof JobGraphError) throw new InvalidInput([`${command.file}: $.job: ${e.message}`]);
    throw e;
  }
  sim.run();
  const report = sim.report();
  if (command.traceFile !== null) {
    writeFileSync(command.traceFile, sim.trace.events.map((e) => encodeEvent(e) + '\n').join(''));
  }
  process.stdout.write(command.json ? JSON.stringify(report, null, 2) + '\n' : renderTimeline(sim.trace.events, report));
  if (scenario.expect === null) return 0;
  const failures = checkExpectations(scenario.expect, report);
  for (const f of failures) process.stderr.write(`${command.file}: ${f.path}: expectation failed: ${f.message}\n`);
  if (failures.length > 0) return 3;
  if (!command.json) process.stdout.write('expectations met\n');
  return 0;
}

function list(json: boolean): number {
  const dir = join(repoRoot, 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const rows = files.map((f) => {
    const data = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name?: string; description?: string };
    const firstLine = (data.description ?? '').split('\n').find((l) => l.trim() !== '') ?? '';
    return { name: basename(f, '.json'), file: relative(process.cwd(), join(dir, f)), title: data.name ?? '', summary: firstLine };
  });
  if (json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  else {
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${r.title}${r.summary ? ` — ${r.summary}` : ''}\n`);
  }
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    return await execute(parseCommand(argv));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`weir: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof InvalidInput) {
      process.stderr.write(e.lines.join('\n') + '\n');
      return 2;
    }
    if (e instanceof LimitExceededError) {
      process.stderr.write(`weir: the run stopped: ${e.message}\n`);
      return 4;
    }
    process.stderr.write(`weir: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
