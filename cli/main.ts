// The `weir` process: the command (cli/entry.ts) on the real argv, stdout and stderr.
import { main } from './entry.ts';

// A reader that stops early (`weir run x | head`) closes the pipe: what is left to print has
// nowhere to go, which is not an error of the run, so the command ends with its own exit
// code instead of a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.destroy();
  });
}

process.exitCode = await main(process.argv.slice(2));
