// The session's pick of a subtask in the job graph: its state read at the cursor, answers
// to older questions dropped, the pick cleared with another scenario; and killing a
// TaskManager from the page, which joins the plan as `kill-taskmanager`.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, validateScenario } from '../../core/index.ts';
import { CORE_ENGINE } from '../../playground/src/lib/engine.ts';
import { inPageInspector, type Inspection, type Inspector } from '../../playground/src/lib/inspect.ts';
import { Session, type SessionEnv } from '../../playground/src/session.svelte.ts';

const sessions: Session[] = [];
let counter = 0;

function env(search: string): SessionEnv {
  const location = { pathname: '/', search, hash: '' };
  let clock = 0;
  return { location, history: null, indexedDB, now: () => (clock += 1), pause: () => Promise.resolve() };
}

function open(search: string, inspector?: Inspector): Session {
  const s = new Session({ env: env(search), dbName: `weir-test-inspect-${++counter}`, ...(inspector === undefined ? {} : { inspector }) });
  sessions.push(s);
  return s;
}

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
});

describe('picking a subtask', () => {
  it("reads the picked subtask's window state at the cursor, and clears the pick with another scenario", async () => {
    const s = open('?scenario=checkpoint-recovery&seed=1&run=end&t=1500');
    await s.start();
    expect(s.outcome?.kind).toBe('done');
    s.select('counts#1');
    expect(s.selectedTask).toBe('counts#1');
    await s.inspectAt(1500);
    const result = s.inspection?.result;
    if (result?.ok !== true || result.view === null) throw new Error('no view');
    expect(s.inspection).toMatchObject({ task: 'counts#1', timeMs: 1500 });
    expect(result.view.operators[0]!.entries.every((e) => e.window?.start === 0 && e.window.end === 2000)).toBe(true);
    s.select('counts#1'); // again: unpicked
    expect(s.selectedTask).toBeNull();
    expect(s.inspection).toBeNull();
    s.select('counts#0');
    s.pick('late-data');
    expect(s.selectedTask).toBeNull();
  });

  it('drops an answer to an older question: the view never goes back in time', async () => {
    const answers: ((value: Inspection) => void)[] = [];
    const slow: Inspector = () => new Promise((resolve) => answers.push(resolve));
    const s = open('?scenario=checkpoint-recovery&seed=1&run=end', slow);
    await s.start();
    s.select('counts#0');
    s.transport.seek(1000);
    const first = s.inspectAt(1000);
    s.transport.seek(2000);
    const second = s.inspectAt(2000);
    answers[1]!({ ok: true, view: null });
    await second;
    answers[0]!({ ok: false, message: 'old' });
    await first;
    expect(s.inspection).toMatchObject({ timeMs: 2000, result: { ok: true } });
  });

  it('keys a read by (task, attempt, time): an answer for a time the cursor has left is dropped, and the inspection names the attempt', async () => {
    const answers: ((value: Inspection) => void)[] = [];
    const slow: Inspector = () => new Promise((resolve) => answers.push(resolve));
    const s = open('?scenario=checkpoint-recovery&seed=1&run=end', slow);
    await s.start();
    s.select('counts#1');
    s.transport.seek(1000);
    const asked = s.inspectAt(1000);
    s.transport.seek(1100); // the cursor moved on (play) before the answer came
    answers[0]!({ ok: true, view: null });
    await asked;
    expect(s.inspection).toBeNull();
    // After the restart, the trace's attempt at the cursor is 2, and the read says so.
    const restored = s.outcome?.kind === 'done' ? s.outcome.run.events.find((e) => e.tag === 'job.restored') : undefined;
    if (restored === undefined) throw new Error('no restart');
    s.transport.seek(restored.timeMs + 10);
    const later = s.inspectAt(restored.timeMs + 10);
    answers[1]!({ ok: true, view: null });
    await later;
    expect(s.inspection).toMatchObject({ task: 'counts#1', attempt: 2, timeMs: restored.timeMs + 10 });
  });

  it('picking a lesson runs it, and the transport stands at t=0 for play', async () => {
    const s = open('?scenario=checkpoint-recovery&seed=1');
    await s.start();
    expect(s.outcome).toBeNull();
    await s.pickLesson('late-data');
    expect(s.scenarioName).toBe('late-data');
    expect(s.outcome?.kind).toBe('done');
    expect(s.transport.loaded).toBe(true);
    expect(s.transport.timeMs).toBe(0);
    // A short lesson plays in 20 s or more at the speed it starts with.
    expect(s.transport.endMs / s.transport.speed).toBeGreaterThanOrEqual(20);
  });

  it('asks the inspector about the run that was run, with its faults, not a later edit', async () => {
    const asked: unknown[] = [];
    const here = inPageInspector(CORE_ENGINE);
    const s = open('?scenario=checkpoint-recovery&seed=1&run=end&t=1200', (request) => {
      asked.push(request);
      return here(request);
    });
    await s.start();
    await s.breakAt('kill-task', 'counts#1');
    s.select('counts#1');
    await s.inspectAt(1300);
    const request = asked[0] as { data: { faults: { type: string }[] }; seed: number };
    expect(request.seed).toBe(1);
    expect(request.data.faults.map((f) => f.type)).toEqual(['kill-task', 'kill-task']);
  });
});

describe('killing a TaskManager from the page', () => {
  it('adds kill-taskmanager at the cursor to the plan, and the run is the one with that fault in the file', async () => {
    const s = open('?scenario=lost-taskmanager&run=end&t=1500');
    await s.start();
    await s.breakTaskManager('tm-2');
    expect(s.addedFaults).toEqual([{ type: 'kill-taskmanager', taskManager: 'tm-2', at: 1500 }]);
    const data = JSON.parse(readFileSync('scenarios/lost-taskmanager.json', 'utf8')) as { faults?: unknown[]; seed?: number };
    data.faults = [...(data.faults ?? []), { type: 'kill-taskmanager', taskManager: 'tm-2', at: 1500 }];
    const checked = validateScenario(data, 'lost-taskmanager.json');
    if (!checked.ok) throw new Error('invalid');
    const sim = createSimulation({ scenario: checked.scenario, seed: s.seed ?? 0 });
    sim.run();
    expect(s.outcome?.kind === 'done' ? s.outcome.run.report.traceHash : null).toBe(sim.report().traceHash);
  });
});
