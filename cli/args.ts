// Command-line parsing for `weir`: flags in, a typed command out, or a usage error that
// the caller turns into exit code 2.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `usage:
  weir run FILE [--seed N] [--until MS] [--parallelism N] [--json] [--trace FILE] [--trace-level off|summary|full]
  weir validate FILE
  weir list [--json]
  weir bench [NAME] [--events N] [--only W1,W2] [--impl weir,plain,rxjs] [--json]

exit codes: 0 ran (whatever the job's final status), 2 invalid input, 3 an expectation failed, 1 internal error`;

export type Command =
  | { name: 'run'; file: string; seed: number | null; untilMs: number | null; parallelism: number | null; json: boolean; traceFile: string | null; traceLevel: 'off' | 'summary' | 'full' }
  | { name: 'validate'; file: string }
  | { name: 'list'; json: boolean }
  | { name: 'bench'; args: string[] }
  | { name: 'help' };

function integer(flag: string, text: string | undefined, min: number): number | null {
  if (text === undefined) return null;
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${flag} takes a whole number, got '${text}'`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be a whole number of at least ${min}, got '${text}'`);
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
