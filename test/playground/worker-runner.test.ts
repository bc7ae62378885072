// The Web Worker runner, with the worker's own code (serve.ts) behind a fake worker that
// passes messages through structuredClone as a real one does: the outcome is the run the
// page would make itself (same trace hash), stop keeps what was done, an abandoned run is
// not answered and ends the worker, a worker that fails to load is an error outcome.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORE_ENGINE, checkScenario, inPageRunner, type RunOutcome } from '../../playground/src/lib/engine.ts';
import { workerClient, type WorkerLike } from '../../playground/src/lib/worker-runner.ts';
import { inPageInspector } from '../../playground/src/lib/inspect.ts';
import type { FromWorker, ToWorker } from '../../playground/src/worker/protocol.ts';
import { serve } from '../../playground/src/worker/serve.ts';
import { ITEMS_PER_SLICE, SliceCollector, sliceOutcome } from '../../playground/src/worker/slices.ts';
import { runCharts } from '../../playground/src/lib/charts.ts';

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

class FakeWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  readonly #inside: { onmessage: ((event: MessageEvent<ToWorker>) => void) | null; postMessage(message: FromWorker): void };

  constructor() {
    this.#inside = {
      onmessage: null,
      postMessage: (message) => {
        const copy = structuredClone(message);
        setTimeout(() => {
          if (!this.terminated) this.onmessage?.({ data: copy } as MessageEvent<FromWorker>);
        }, 0);
      },
    };
    serve(this.#inside, () => performance.now(), macrotask);
  }

  postMessage(message: ToWorker): void {
    const copy = structuredClone(message);
    setTimeout(() => {
      if (!this.terminated) this.#inside.onmessage?.({ data: copy } as MessageEvent<ToWorker>);
    }, 0);
  }

  terminate(): void {
    this.terminated = true;
  }
}

function request(name: string, seed = 0) {
  const file = name.includes('/') ? name : `scenarios/${name}.json`;
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const checked = checkScenario(CORE_ENGINE, data, file);
  if (!checked.ok) throw new Error(checked.issues.join('\n'));
  return { scenario: checked.scenario, data, name, file, seed };
}

const runnerOf = (make: () => WorkerLike, wait: (ms: number) => Promise<void>) => workerClient(make, wait).run;

const hashOf = (outcome: RunOutcome | null) => (outcome?.kind === 'done' ? outcome.run.report.traceHash : `not done: ${outcome?.kind}`);

describe('workerClient', () => {
  it('gives the run the page would make itself: the same trace hash, events and network samples', async () => {
    const workers: FakeWorker[] = [];
    const run = runnerOf(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    }, macrotask);
    const inPage = inPageRunner(CORE_ENGINE, () => performance.now(), macrotask);
    for (const name of ['checkpoint-recovery', 'backpressure', 'late-data']) {
      const [a, b] = [await run(request(name, 1)), await inPage(request(name, 1))];
      expect(hashOf(a)).toBe(hashOf(b));
      if (a?.kind !== 'done' || b?.kind !== 'done') throw new Error('not done');
      expect(a.run.events).toEqual(b.run.events);
      expect(a.run.network).toEqual(b.run.network);
      expect(a.run.report).toEqual(b.run.report);
    }
    expect(workers).toHaveLength(1); // one worker serves run after run
  });

  it('sends a large run in slices of at most ITEMS_PER_SLICE items, none of them whole, and the page puts them back', async () => {
    const sizes: number[] = [];
    const worker = new FakeWorker();
    const running = runnerOf(() => worker, macrotask)(request('bench/scenarios/windowed-100k.json'));
    // The client took the worker's messages when it started it: listen in on them.
    const deliver = worker.onmessage!;
    worker.onmessage = (event) => {
      const m = event.data;
      sizes.push(m.type === 'slice' ? m.slice.items.length : m.type === 'outcome' && m.outcome.kind === 'done' ? -m.outcome.run.events.length : 0);
      deliver(event);
    };
    const a = await running;
    const b = await inPageRunner(CORE_ENGINE, () => performance.now(), macrotask)(request('bench/scenarios/windowed-100k.json'));
    if (a?.kind !== 'done' || b?.kind !== 'done') throw new Error('not done');
    expect(a.run.events.length).toBeGreaterThan(2 * ITEMS_PER_SLICE);
    expect(a.run.events).toEqual(b.run.events);
    expect(a.run.report).toEqual(b.run.report);
    expect(a.run.precomputed?.charts).toEqual(runCharts(b.run.events, b.run.report.virtualTime));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(ITEMS_PER_SLICE);
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(a.run.events.length / ITEMS_PER_SLICE);
    // The outcome message itself has no events: they all came in slices.
    expect(sizes.at(-1)).toBe(-0);
  }, 120_000);

  it('reports progress, and a stop keeps what the run did', async () => {
    const run = runnerOf(() => new FakeWorker(), macrotask);
    let progressed = 0;
    let stop = false;
    const outcome = await run({
      // 100,000 records: many slices, so the stop arrives long before the end.
      ...request('bench/scenarios/windowed-100k.json'),
      onProgress: () => {
        progressed++;
        stop = true;
      },
      shouldStop: () => stop,
    });
    expect(progressed).toBeGreaterThan(0);
    expect(outcome?.kind).toBe('done');
    if (outcome?.kind === 'done') expect(outcome.run.stoppedEarly).toBe(true);
  });

  it('answers an abandoned run with null, ends its worker and starts a new one for the next run', async () => {
    const workers: FakeWorker[] = [];
    const run = runnerOf(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    }, macrotask);
    const abandoned = await run({ ...request('traffic-peak'), isAbandoned: () => true });
    expect(abandoned).toBeNull();
    expect(workers[0]!.terminated).toBe(true);
    expect(hashOf(await run(request('hello-map-filter')))).toMatch(/^[0-9a-f]{16}$/);
    expect(workers).toHaveLength(2);
  });

  it('turns a scenario the worker finds invalid into an invalid outcome, and a worker that fails into an error', async () => {
    const run = runnerOf(() => new FakeWorker(), macrotask);
    const bad = await run({ ...request('hello-map-filter'), data: { format: 'weir/scenario@1' } });
    expect(bad?.kind).toBe('invalid');
    const broken: WorkerLike = {
      onmessage: null,
      onerror: null,
      postMessage() {
        setTimeout(() => broken.onerror?.({ message: '', preventDefault() {} } as ErrorEvent), 0);
      },
      terminate() {},
    };
    const failed = await runnerOf(() => broken, macrotask)(request('hello-map-filter'));
    expect(failed).toMatchObject({ kind: 'error' });
    if (failed?.kind === 'error') expect(failed.message).toContain('worker');
    const unstartable = await runnerOf(() => {
      throw new Error('Workers are disabled');
    }, macrotask)(request('hello-map-filter'));
    expect(unstartable).toMatchObject({ kind: 'error', message: expect.stringContaining('Workers are disabled') });
  });
});

describe('inspecting a subtask', () => {
  it('reads the keyed state and timers of a window subtask at a time, the same in the worker as in this thread', async () => {
    const { data, file } = request('checkpoint-recovery', 1);
    const inWorker = workerClient(() => new FakeWorker(), macrotask).inspect;
    const here = inPageInspector(CORE_ENGINE);
    for (const [task, timeMs] of [['counts#0', 1500], ['counts#1', 1500], ['counts#0', 900], ['counts#0', 2600], ['counts#0', 3500]] as const) {
      const [a, b] = [await inWorker({ data, file, seed: 1, timeMs, task }), await here({ data, file, seed: 1, timeMs, task })];
      expect(a).toEqual(b);
    }
    const at1500 = await here({ data, file, seed: 1, timeMs: 1500, task: 'counts#0' });
    if (!at1500.ok || at1500.view === null) throw new Error('no view');
    const [window] = at1500.view.operators;
    // Tumbling event-time windows of 2 s: at 1.5 s the window [0, 2000) is open, with its cleanup timer.
    expect(window!.entries.length).toBeGreaterThan(0);
    for (const e of window!.entries) expect(e.window).toEqual({ start: 0, end: 2000 });
    expect(window!.timers.some((t) => t.domain === 'event-time' && t.timestamp === 1999 && t.window?.end === 2000)).toBe(true);
    // Killed at 2500 and not yet redeployed at 2600: nothing to show.
    const dead = await here({ data, file, seed: 1, timeMs: 2600, task: 'counts#0' });
    expect(dead.ok && (dead.view === null || dead.view.status !== 'RUNNING')).toBe(true);
  });

  it('says what is wrong with a scenario it cannot build, and never throws', async () => {
    const here = inPageInspector(CORE_ENGINE);
    const bad = await here({ data: { format: 'weir/scenario@1' }, file: 'x.json', seed: 0, timeMs: 0, task: 'a#0' });
    expect(bad.ok).toBe(false);
  });
});

describe('sliceOutcome', () => {
  it('takes out every long list, and the collector puts each back in its place, sinks with any name', async () => {
    const outcome = await inPageRunner(CORE_ENGINE, () => performance.now(), macrotask)(request('checkpoint-recovery', 1));
    if (outcome?.kind !== 'done') throw new Error('not done');
    const { slices, rest } = sliceOutcome(outcome, 7);
    if (rest.kind !== 'done') throw new Error('not done');
    expect(rest.run.events).toEqual([]);
    expect(Object.values(rest.run.report.sinks).every((s) => s.committed.length === 0)).toBe(true);
    expect(slices.every((s) => s.items.length <= 7)).toBe(true);
    expect(outcome.run.events.length).toBeGreaterThan(0); // the outcome given is not changed
    const collector = new SliceCollector();
    for (const slice of structuredClone(slices)) collector.add(slice);
    expect(collector.assemble(structuredClone(rest))).toEqual(outcome);
    const odd = { ...outcome, run: { ...outcome.run, report: { ...outcome.run.report, sinks: JSON.parse('{"__proto__": {"committed": [{"value": 1, "timestamp": 2}], "uncommitted": []}}') } } } as RunOutcome;
    const cut = sliceOutcome(odd, 1);
    const back = new SliceCollector();
    for (const slice of cut.slices) back.add(slice);
    const whole = back.assemble(cut.rest);
    expect(whole.kind === 'done' && Object.hasOwn(whole.run.report.sinks, '__proto__') && whole.run.report.sinks['__proto__']!.committed).toEqual([{ value: 1, timestamp: 2 }]);
  });
});
