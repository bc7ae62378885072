// A worker thread of `weir check --workers N`: it builds the same Campaign as the main thread
// (the reference run is deterministic, so it draws the same plans) and runs the chunks of
// run indices it is handed. Run i's plan depends only on (seed, i), so which thread runs it
// does not change the answer.
import { parentPort } from 'node:worker_threads';
import { Campaign, type RunOutcome } from '../core/index.ts';
import type { FromWorker, ToWorker } from './check-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('cli/check-worker.ts runs as a worker thread of weir check');

let campaign: Campaign | null = null;
const post = (message: FromWorker): void => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  try {
    if (message.type === 'init') {
      campaign = new Campaign(message.input, message.file, message.options);
      post({ type: 'ready' });
      return;
    }
    if (campaign === null) throw new Error('a chunk before init');
    const outcomes: RunOutcome[] = [];
    for (let i = message.from; i < message.to; i++) {
      const o = campaign.runIndex(i);
      outcomes.push(o);
      if (o.violated) break;
    }
    post({ type: 'chunk-done', outcomes });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
