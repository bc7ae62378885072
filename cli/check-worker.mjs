// The entry of a `weir check` worker thread. As cli/weir.mjs does for the command, it
// registers tsx's loader in this thread, so the worker runs the TypeScript sources too.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
