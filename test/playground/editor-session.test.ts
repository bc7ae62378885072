// The scenario editor inside the session, in Node with fake-indexeddb: Run runs the draft's
// last valid version, the address drops `run=end` for a draft, a new session (a reload)
// opens the kept draft, an address that runs the scenario runs the shipped file and offers
// the draft, and a damaged saved draft is skipped with a message.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { DraftEditor, TYPING_PAUSE_MS } from '../../playground/src/editor.svelte.ts';
import { SHIPPED_SCENARIOS } from '../../playground/src/scenarios.ts';
import { Session, type SessionEnv } from '../../playground/src/session.svelte.ts';
import { DB_VERSION } from '../../playground/src/storage/schema.ts';
import { openStorage } from '../../playground/src/storage/db.ts';

let counter = 0;
const sessions: Session[] = [];
const freshDb = (): string => `weir-test-editor-session-${++counter}`;

function browser(search: string): { env: SessionEnv; location: { pathname: string; search: string; hash: string } } {
  const location = { pathname: '/', search, hash: '' };
  let clock = 0;
  const env: SessionEnv = {
    location,
    history: {
      replaceState(_data, _unused, url) {
        if (typeof url === 'string') location.search = url.slice(url.indexOf('?'));
      },
    },
    indexedDB,
    now: () => (clock += 1),
    pause: () => Promise.resolve(),
    // Typing is taken in by flush() in these tests, never by the timer.
    setTimeout: () => undefined,
  };
  return { env, location };
}

async function open(search: string, dbName: string): Promise<Session> {
  const s = new Session({ env: browser(search).env, dbName });
  sessions.push(s);
  await s.start();
  return s;
}

function lateRecords(s: Session): number | null {
  const outcome = s.outcome;
  return outcome?.kind === 'done' ? outcome.run.report.metrics.lateRecordsToSideOutput + outcome.run.report.metrics.lateRecordsDropped : null;
}

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
});

describe('the editor in the session', () => {
  it('runs the draft: allowed lateness 0 makes the click at 950 late too; undo gives the file back', async () => {
    const s = await open('?scenario=late-data&seed=5', freshDb());
    await s.run();
    expect(lateRecords(s)).toBe(1);
    s.editor.setKnob({ knob: 'allowed-lateness', index: 2, value: 0 });
    expect(s.editor.edited).toBe(true);
    await s.run();
    expect(lateRecords(s)).toBe(2);
    s.editor.undo();
    expect(s.editor.edited).toBe(false);
    await s.run();
    expect(lateRecords(s)).toBe(1);
  });

  it('text that is not JSON keeps the last valid draft for Run', async () => {
    const s = await open('?scenario=late-data&seed=5', freshDb());
    s.editor.setKnob({ knob: 'allowed-lateness', index: 2, value: 0 });
    s.editor.type(`${s.editor.model?.text ?? ''} trailing`);
    s.editor.flush();
    expect(s.editor.model?.syntax).toMatchObject({ message: 'unexpected text after the end of the JSON value' });
    expect(s.checked?.ok).toBe(true);
    await s.run();
    expect(lateRecords(s)).toBe(2);
  });

  it('keeps the draft through a reload, without run=end in the address', async () => {
    const db = freshDb();
    const b = browser('?scenario=late-data&seed=5');
    const first = new Session({ env: b.env, dbName: db });
    sessions.push(first);
    await first.start();
    first.editor.setKnob({ knob: 'parallelism', value: 2 });
    await first.run();
    expect(b.location.search).toBe('?scenario=late-data&seed=5');
    await first.whenSaved();
    await first.dispose();
    const second = await open(b.location.search, db);
    expect(second.editor.edited).toBe(true);
    expect(second.editor.knobs?.parallelism.value).toBe(2);
    second.editor.revert();
    await second.whenSaved();
    await second.dispose();
    const third = await open('?scenario=late-data&seed=5', db);
    expect(third.editor.edited).toBe(false);
  });

  it('an address that runs the scenario runs the shipped file and offers the kept draft', async () => {
    const db = freshDb();
    const first = await open('?scenario=late-data&seed=5', db);
    first.editor.setKnob({ knob: 'allowed-lateness', index: 2, value: 0 });
    await first.whenSaved();
    await first.dispose();
    const second = await open('?scenario=late-data&seed=5&run=end', db);
    expect(lateRecords(second)).toBe(1);
    expect(second.editor.edited).toBe(false);
    expect(second.editor.shelved).toBe(true);
    const entry = second.entry;
    if (entry !== null) second.editor.openShelved(entry);
    expect(second.editor.edited).toBe(true);
  });

  it('skips a damaged saved draft with a message and opens the shipped file', async () => {
    const db = freshDb();
    const made = await openStorage({ indexedDB, name: db });
    if (made.ok) made.storage.close();
    const raw = await openDB(db, DB_VERSION);
    await raw.put('drafts', { scenario: 'late-data', text: '{"format": "weir/scenario@1",' }, 'late-data');
    await raw.put('drafts', { nonsense: true }, 'backpressure');
    raw.close();
    const s = await open('?scenario=late-data&seed=5', db);
    expect(s.notices).toEqual([
      'A saved draft (“backpressure”) could not be read and was skipped.',
      expect.stringMatching(/^The saved draft of “late-data” could not be read \(line 1, column 30: .*\) and was skipped; the shipped file is open\.$/),
    ]);
    expect(s.editor.edited).toBe(false);
    expect(s.canRun).toBe(true);
  });
});

describe('DraftEditor', () => {
  const lateData = SHIPPED_SCENARIOS.find((e) => e.name === 'late-data')!;
  const hello = SHIPPED_SCENARIOS.find((e) => e.name === 'hello-map-filter')!;

  it('takes typing in after a pause, one undo step per pause, and keeps each scenario its own draft', () => {
    const timers: { callback: () => void; ms: number }[] = [];
    const kept: [string, string | null][] = [];
    const editor = new DraftEditor({
      checkerFor: () => () => [],
      onKeep: (scenario, text) => kept.push([scenario, text]),
      setTimeout: (callback, ms) => timers.push({ callback, ms }),
    });
    editor.open(lateData);
    const text = editor.model!.text;
    editor.type(text.replace('"seed": 5', '"seed": 6'));
    editor.type(text.replace('"seed": 5', '"seed": 60'));
    expect(timers.map((t) => t.ms)).toEqual([TYPING_PAUSE_MS, TYPING_PAUSE_MS]);
    timers[0]!.callback(); // superseded by the second keystroke: nothing happens
    expect(editor.model!.pending).toBe(true);
    timers[1]!.callback();
    expect(editor.model!.pending).toBe(false);
    expect(editor.model!.past).toHaveLength(1);
    expect(kept).toEqual([['late-data', editor.model!.text]]);
    // Typed but not taken in when another scenario opens: it stays with late-data.
    editor.type(editor.model!.text.replace('"seed": 60', '"seed": 61'));
    editor.open(hello);
    expect(editor.edited).toBe(false);
    editor.open(lateData);
    expect((editor.model!.doc as { seed: number }).seed).toBe(61);
    editor.revert();
    expect(kept[kept.length - 1]).toEqual(['late-data', null]);
    expect(editor.exportFile()).toEqual({ filename: 'late-data.json', text: `${editor.model!.text}\n` });
  });
});
