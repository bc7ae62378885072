// Two tabs of the playground on one browser profile, in Node: both sessions share a
// fake-indexeddb database and talk over Node's BroadcastChannel, as two browser tabs do. A
// draft kept in one shows in the other (whose own version is one undo away), and fault
// plans tried in either end up in both trees and in storage: nothing either tab kept is lost.
import 'fake-indexeddb/auto';
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { faultAt } from '../../playground/src/lib/breaking.ts';
import { branchRows, describeChange, mergeHistories, newHistory, nodeById, recordChange, type BranchHistory } from '../../playground/src/lib/branches.ts';
import { asTabMessage, broadcastTabChannel, type TabChannel } from '../../playground/src/lib/tab-channel.ts';
import { Session, type SessionEnv } from '../../playground/src/session.svelte.ts';
import { openStorage } from '../../playground/src/storage/db.ts';

let counter = 0;
const sessions: Session[] = [];
const channels: TabChannel[] = [];

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
  for (const c of channels.splice(0)) c.close();
});

/** A tab: its own session and channel end, on the shared database `db` and channel `name`. */
async function tab(search: string, db: string, name: string): Promise<Session> {
  const tabs = broadcastTabChannel(globalThis.BroadcastChannel, name);
  if (tabs === null) throw new Error('Node has BroadcastChannel');
  channels.push(tabs);
  let clock = 0;
  const env: SessionEnv = { location: { pathname: '/', search, hash: '' }, history: null, indexedDB, now: () => (clock += 1), pause: () => Promise.resolve(), setTimeout: () => undefined, tabs };
  const s = new Session({ env, dbName: db });
  sessions.push(s);
  await s.start();
  return s;
}

/** Until `check` holds: messages between channels arrive on later turns of the event loop. */
async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

const parallelismOf = (s: Session): unknown => (s.editor.model?.doc as { config?: { parallelism?: number } } | undefined)?.config?.parallelism;

describe('two tabs', () => {
  it('a draft kept in one tab shows in the other, whose own version is one Undo away and is then kept again', async () => {
    const db = `weir-test-two-tabs-${++counter}`;
    const name = `weir-tabs-test-${counter}`;
    const a = await tab('?scenario=late-data', db, name);
    const b = await tab('?scenario=late-data', db, name);
    b.editor.setKnob({ knob: 'parallelism', value: 3 });
    await b.whenSaved();
    await eventually(() => parallelismOf(a) === 3);
    a.editor.setKnob({ knob: 'parallelism', value: 4 });
    await a.whenSaved();
    await eventually(() => parallelismOf(b) === 4);
    expect(b.editor.changedElsewhere).toBe(true);
    b.editor.undo();
    expect(parallelismOf(b)).toBe(3);
    await b.whenSaved();
    await eventually(() => parallelismOf(a) === 3);
    const storage = await openStorage({ indexedDB, name: db });
    if (!storage.ok) throw new Error(storage.message);
    const kept = (await storage.storage.loadDrafts()).drafts.find((d) => d.scenario === 'late-data');
    expect(JSON.parse(kept!.text).config.parallelism).toBe(3);
    storage.storage.close();
  });

  it('a tab open on another scenario keeps the draft for when it opens it', async () => {
    const db = `weir-test-two-tabs-${++counter}`;
    const name = `weir-tabs-test-${counter}`;
    const a = await tab('?scenario=late-data', db, name);
    const b = await tab('?scenario=hello-map-filter', db, name);
    a.editor.setKnob({ knob: 'parallelism', value: 2 });
    await a.whenSaved();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(b.editor.changedElsewhere).toBe(false);
    b.pick('late-data');
    expect(parallelismOf(b)).toBe(2);
  });

  it('fault plans tried in both tabs end up in both trees and in storage', async () => {
    const db = `weir-test-two-tabs-${++counter}`;
    const name = `weir-tabs-test-${counter}`;
    const a = await tab('?scenario=checkpoint-recovery&seed=1&run=end&t=1200', db, name);
    const b = await tab('?scenario=checkpoint-recovery&seed=1&run=end&t=1300', db, name);
    await a.breakAt('kill-task', 'counts#1');
    await b.breakAt('kill-task', 'counts#0');
    await a.whenSaved();
    await b.whenSaved();
    const changes = (s: Session): string[] => branchRows(s.branches).map((r) => r.node.change).sort();
    const both = ['kill-task counts#0 at 1,300 ms', 'kill-task counts#1 at 1,200 ms', 'the scenario as written'];
    await eventually(() => JSON.stringify(changes(a)) === JSON.stringify(both));
    await eventually(() => JSON.stringify(changes(b)) === JSON.stringify(both));
    // Each tab still stands on its own plan.
    expect(nodeById(a.branches, a.branches.current)!.change).toBe('kill-task counts#1 at 1,200 ms');
    expect(nodeById(b.branches, b.branches.current)!.change).toBe('kill-task counts#0 at 1,300 ms');
    const storage = await openStorage({ indexedDB, name: db });
    if (!storage.ok) throw new Error(storage.message);
    const stored = await storage.storage.loadBranches('checkpoint-recovery');
    storage.storage.close();
    expect(stored === null || stored === 'damaged' ? [] : branchRows(stored).map((r) => r.node.change).sort()).toEqual(both);
  });

  it('reads only the messages this build understands', () => {
    expect(asTabMessage({ type: 'draft', scenario: 'a', text: '{}' })).toEqual({ type: 'draft', scenario: 'a', text: '{}' });
    expect(asTabMessage({ type: 'draft', scenario: 'a', text: null })).toEqual({ type: 'draft', scenario: 'a', text: null });
    expect(asTabMessage({ type: 'draft', scenario: '', text: '{}' })).toBeNull();
    expect(asTabMessage({ type: 'draft', scenario: 'a', text: 3 })).toBeNull();
    expect(asTabMessage({ type: 'runs', scenario: 'a' })).toBeNull();
    expect(asTabMessage('draft')).toBeNull();
    expect(broadcastTabChannel(undefined)).toBeNull();
  });
});

describe('mergeHistories', () => {
  const kill = (task: string, at: number) => faultAt('kill-task', task, at);
  const plan = fc.array(fc.record({ task: fc.constantFrom('a#0', 'b#0'), at: fc.integer({ min: 0, max: 4 }) }), { maxLength: 3 }).map((fs) => fs.map((f) => kill(f.task, f.at)));
  const tree = fc.array(plan, { maxLength: 12 }).map((plans) => plans.reduce<BranchHistory>((h, p) => recordChange(h, p, describeChange(nodeById(h, h.current)!.faults, p), 0), newHistory()));
  const plans = (h: BranchHistory): string[] => h.nodes.map((n) => JSON.stringify(n.faults)).sort();

  fcTest.prop([tree, tree])('keeps every plan of both once, stands where ours stood, and merging again changes nothing', (ours, theirs) => {
    const merged = mergeHistories(ours, theirs);
    expect(plans(merged)).toEqual([...new Set([...plans(ours), ...plans(theirs)])].sort());
    expect(nodeById(merged, merged.current)!.faults).toEqual(nodeById(ours, ours.current)!.faults);
    expect(mergeHistories(merged, theirs)).toBe(merged);
    expect(mergeHistories(ours, ours)).toBe(ours);
  });
});
