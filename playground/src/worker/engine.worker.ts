/** The engine's Web Worker (see serve.ts). */
import { serve, type WorkerScope } from './serve.ts';

serve(
  self as unknown as WorkerScope,
  () => performance.now(),
  () => new Promise((resolve) => setTimeout(resolve, 0)),
);
