/**
 * The browser shell: hands the real browser globals to a Session and mounts the page.
 * Everything else takes them as parameters, so it runs in Node tests too.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import { broadcastTabChannel } from './lib/tab-channel.ts';
import { workerClient } from './lib/worker-runner.ts';
import { Session } from './session.svelte.ts';

/** Reading `indexedDB` itself throws in some sandboxed frames and privacy modes. */
function browserIndexedDB(): IDBFactory | undefined {
  try {
    return globalThis.indexedDB ?? undefined;
  } catch {
    return undefined;
  }
}

// The engine runs in a Web Worker, so a long run never freezes the page.
const engine = workerClient(() => new Worker(new URL('./worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'weir-engine' }));

const session = new Session({
  runner: engine.run,
  inspector: engine.inspect,
  finder: engine.find,
  env: {
    location: window.location,
    history: window.history,
    indexedDB: browserIndexedDB(),
    now: () => performance.now(),
    // A macrotask, not an animation frame: a run in a background tab keeps going.
    pause: () => new Promise((resolve) => setTimeout(resolve, 0)),
    requestFrame: (callback) => requestAnimationFrame(callback),
    tabs: broadcastTabChannel(globalThis.BroadcastChannel),
  },
});

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
mount(App, { target, props: { session } });
void session.start();
// A `#s=` link pasted into the address bar of an open page changes only the fragment: no reload, so open it here.
window.addEventListener('hashchange', () => void session.followLink(window.location.hash));
