// `weir bench`: the same benchmark runner as `npm run bench`, reached from the command.
import { runBenchCli } from '../bench/run.ts';

export function runBenchCommand(args: string[]): Promise<number> {
  return runBenchCli(args);
}
