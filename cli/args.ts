// Command-line parsing for `weir`: flags in, a typed command out, or a usage error that
// the caller turns into exit code 2.
import { parseArgs } from 'node:util';
import { DEFAULT_CHECK_RUNS, DEFAULT_MAX_FAULTS, MAX_CHECK_RUNS, MAX_FAULTS } from '../core/index.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `usage:
  weir run FILE [--seed N] [--until MS] [--parallelism N] [--json] [--trace FILE] [--trace-level off|summary|full]
  weir validate FILE
  weir check FILE [--runs N] [--seed N] [--max-faults K] [--out FILE] [--json] [--workers N]
  weir list [--json]
  weir bench [NAME] [--events N] [--only W1,W2] [--impl weir,plain,rxjs] [--json]

exit codes: 0 ran (whatever the job's final status), 2 invalid input, 3 an expectation or property failed, 4 a run stopped on a limit, 1 internal error`;

export type Command =
  | { name: 'run'; file: string; seed: number | null; untilMs: number | null; parallelism: number | null; json: boolean; traceFile: string | null; traceLevel: 'off' | 'summary' | 'full' }
  | { name: 'validate'; file: string }
  | { name: 'check'; file: string; runs: number; seed: number; maxFaults: number; out: string; json: boolean; workers: number }
  | { name: 'list'; json: boolean }
  | { name: 'bench'; args: string[] }
  | { name: 'help' };

/** Worker threads for `weir check --workers`: more than this is more threads than any machine has cores. */
export const MAX_WORKERS = 256;

function integer(flag: string, text: string | undefined, min: number, max: number = Number.MAX_SAFE_INTEGER): number | null {
  if (text === undefined) return null;
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${flag} takes a whole number, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, got '${text}'`);
  if (n > max) throw new UsageError(`${flag} must be a whole number of at most ${max}, got '${text}'`);
  return n;
}

export function parseCommand(argv: readonly string[]): Command {
  const [name, ...rest] = argv;
  switch (name) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      return { name: 'help' };
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
      });
      const level = (values['trace-level'] as string | undefined) ?? 'full';
      if (level !== 'off' && level !== 'summary' && level !== 'full') throw new UsageError(`--trace-level is off, summary or full, got '${level}'`);
      return {
        name: 'run',
        file: onlyFile(positionals, 'run'),
        seed: integer('--seed', values['seed'] as string | undefined, Number.MIN_SAFE_INTEGER),
        untilMs: integer('--until', values['until'] as string | undefined, 0),
        parallelism: integer('--parallelism', values['parallelism'] as string | undefined, 1),
        json: values['json'] === true,
        traceFile: (values['trace'] as string | undefined) ?? null,
        traceLevel: level,
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
