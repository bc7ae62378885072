// The `weir` process: the command (cli/entry.ts) on the real argv, stdout and stderr.
import { main } from './entry.ts';

process.exitCode = await main(process.argv.slice(2));
