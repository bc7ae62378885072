// Command-line parsing for `weir`: flags in, a typed command out, or a usage error that
// the caller turns into exit code 2.
import { parseArgs } from 'node:util';
import { DEFAULT_CHECK_RUNS, DEFAULT_MAX_FAULTS, MAX_CHECK_RUNS, MAX_FAULTS, MAX_MAX_PARALLELISM, MAX_TIME_MS } from '../core/index.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `usage:
  weir run FILE [--seed N] [--until MS] [--parallelism N] [--json] [--trace FILE] [--trace-level off|summary|full]
               [--max-steps N] [--max-trace-events N] [--max-trace-bytes N] [--max-queue-size N]
  weir validate FILE
  weir check FILE [--runs N] [--seed N] [--max-faults K] [--out FILE] [--json] [--workers N]
  weir list [--json]
  weir bench [NAME] [--events N] [--only W1,W2] [--impl weir,plain,rxjs] [--json]
  weir --version

exit codes: 0 ran (whatever the job's final status), 2 invalid input, 3 an expectation or property failed, 4 a run stopped on a limit, 1 internal error`;

export type Command =
  | { name: 'run'; file: string; seed: number | null; untilMs: number | null; parallelism: number | null; json: boolean; traceFile: string | null; traceLevel: 'off' | 'summary' | 'full'; limits: RunLimits }
  | { name: 'validate'; file: string }
  | { name: 'check'; file: string; runs: number; seed: number; maxFaults: number; out: string; json: boolean; workers: number }
  | { name: 'list'; json: boolean }
  | { name: 'bench'; args: string[] }
  | { name: 'help' }
  | { name: 'version' };

/** The limits `weir run` flags set; absent ones come from the scenario's run.limits or the defaults. */
export interface RunLimits {
  maxSteps?: number;
  maxTraceEvents?: number;
  maxTraceBytes?: number;
  maxQueueSize?: number;
}

/** Worker threads for `weir check --workers`: more than this is more threads than any machine has cores. */
export const MAX_WORKERS = 256;

function integer(flag: string, text: string | undefined, min: number, max: number = Number.MAX_SAFE_INTEGER): number | null {
  if (text === undefined) return null;
  const range = min === Number.MIN_SAFE_INTEGER ? `between ${min} and ${max} (2^53 - 1 either way)` : `from ${min} to ${max}`;
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${flag} takes a whole number ${range}, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number ${range}, got '${text}'`);
  return n;
}

/** `--until MS`: bounded as the file's run.until is, and refused with the same words. */
function untilFlag(text: string | undefined): number | null {
  if (text !== undefined && /^\d+$/.test(text) && Number(text) > MAX_TIME_MS) throw new UsageError(`--until must be at most ${MAX_TIME_MS} ms (about 31,000 years), found ${text}`);
  return integer('--until', text, 0, MAX_TIME_MS);
}

/**
 * `--seed -3` as `--seed=-3`. Node's parseArgs reads a value that starts with '-' as a
 * possible flag and refuses it, but a negative number is never a flag here, and negative
 * seeds (and times) are valid.
 */
function joinNegativeNumbers(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = args[i + 1];
    if (/^--[a-z-]+$/.test(a) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i += 1;
    } else out.push(a);
  }
  return out;
}

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...given] = argv;
  const rest = joinNegativeNumbers(given);
  switch (name) {
    case undefined:
      throw new UsageError('which command? (run, validate, check, list, bench or help)');
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help' };
    case '--version':
      if (rest.length > 0) throw new UsageError(`weir --version takes nothing more, got '${rest[0]}'`);
      return { name: 'version' };
    case 'bench':
      return { name: 'bench', args: rest };
    case 'run': {
      const { values, positionals } = parse(rest, {
        seed: { type: 'string' },
        until: { type: 'string' },
        parallelism: { type: 'string' },
        json: { type: 'boolean' },
        trace: { type: 'string' },
        'trace-level': { type: 'string' },
        'max-steps': { type: 'string' },
        'max-trace-events': { type: 'string' },
        'max-trace-bytes': { type: 'string' },
        'max-queue-size': { type: 'string' },
      });
      const limits: RunLimits = {};
      for (const [flag, name] of [['max-steps', 'maxSteps'], ['max-trace-events', 'maxTraceEvents'], ['max-trace-bytes', 'maxTraceBytes'], ['max-queue-size', 'maxQueueSize']] as const) {
        const n = integer(`--${flag}`, values[flag] as string | undefined, 1);
        if (n !== null) limits[name] = n;
      }
      const level = (values['trace-level'] as string | undefined) ?? 'full';
      if (level !== 'off' && level !== 'summary' && level !== 'full') throw new UsageError(`--trace-level is off, summary or full, got '${level}'`);
      return {
        name: 'run',
        file: onlyFile(positionals, 'run'),
        seed: integer('--seed', values['seed'] as string | undefined, Number.MIN_SAFE_INTEGER),
        untilMs: untilFlag(values['until'] as string | undefined),
        // Flink's upper bound for maxParallelism, and so for any parallelism.
        parallelism: integer('--parallelism', values['parallelism'] as string | undefined, 1, MAX_MAX_PARALLELISM),
        json: values['json'] === true,
        traceFile: (values['trace'] as string | undefined) ?? null,
        traceLevel: level,
        limits,
      };
    }
    case 'check': {
      const { values, positionals } = parse(rest, {
        runs: { type: 'string' },
        seed: { type: 'string' },
        'max-faults': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        workers: { type: 'string' },
      });
      const out = values['out'] as string | undefined;
      if (out === '') throw new UsageError('--out takes a file name');
      return {
        name: 'check',
        file: onlyFile(positionals, 'check'),
        runs: integer('--runs', values['runs'] as string | undefined, 1, MAX_CHECK_RUNS) ?? DEFAULT_CHECK_RUNS,
        seed: integer('--seed', values['seed'] as string | undefined, Number.MIN_SAFE_INTEGER) ?? 0,
        maxFaults: integer('--max-faults', values['max-faults'] as string | undefined, 0, MAX_FAULTS) ?? DEFAULT_MAX_FAULTS,
        out: out ?? 'counterexample.json',
        json: values['json'] === true,
        workers: integer('--workers', values['workers'] as string | undefined, 1, MAX_WORKERS) ?? 1,
      };
    }
    case 'validate': {
      const { positionals } = parse(rest, {});
      return { name: 'validate', file: onlyFile(positionals, 'validate') };
    }
    case 'list': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      if (positionals.length > 0) throw new UsageError(`weir list takes no file, got '${positionals[0]}'`);
      return { name: 'list', json: values['json'] === true };
    }
    default:
      throw new UsageError(`unknown command '${name}'`);
  }
}

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse(args: string[], options: Options): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function onlyFile(positionals: string[], command: string): string {
  if (positionals.length !== 1) throw new UsageError(`weir ${command} takes exactly one scenario file, got ${positionals.length}`);
  return positionals[0]!;
}
