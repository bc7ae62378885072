// The tree of fault plans tried on a scenario (DSLabs-style history): pure functions with
// fast-check properties, its storage (fake-indexeddb), and a session in Node that breaks a
// job, goes back, branches, and finds its tree again after a reload.
import 'fake-indexeddb/auto';
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { faultAt } from '../../playground/src/lib/breaking.ts';
import {
  asBranchHistory,
  branchRows,
  describeChange,
  goTo,
  MAX_BRANCH_NODES,
  newHistory,
  nodeById,
  recordChange,
  ROOT_CHANGE,
  type BranchHistory,
} from '../../playground/src/lib/branches.ts';
import { Session, type SessionEnv } from '../../playground/src/session.svelte.ts';
import { openDB } from 'idb';
import { storageOpener } from './storage-helpers.ts';

const kill = (task: string, at: number) => faultAt('kill-task', task, at);

describe('branch history', () => {
  it('adds a child per new plan, moves to a known plan instead of adding it twice, and forks from a node gone back to', () => {
    let h = newHistory();
    h = recordChange(h, [kill('a#0', 500)], 'kill a', 500);
    h = recordChange(h, [kill('a#0', 500), kill('b#1', 900)], 'kill b', 900);
    expect(h.nodes).toHaveLength(3);
    // Removing the second fault is the plan of node 1 again.
    h = recordChange(h, [kill('a#0', 500)], 'removed kill b', 900);
    expect(h.nodes).toHaveLength(3);
    expect(h.current).toBe(1);
    // From node 1, another fault: a branch beside node 2.
    h = recordChange(h, [kill('a#0', 500), kill('c#0', 700)], 'kill c', 700);
    const rows = branchRows(h);
    expect(rows.map((r) => [r.node.change, r.depth, r.current, r.forks])).toEqual([
      [ROOT_CHANGE, 0, false, false],
      ['kill a', 1, false, true],
      ['kill b', 2, false, false],
      ['kill c', 2, true, false],
    ]);
    expect(rows.filter((r) => r.onPath).map((r) => r.node.id)).toEqual([0, 1, 3]);
    expect(goTo(h, 2).current).toBe(2);
    expect(goTo(h, 99)).toBe(h);
  });

  it('names a change by the fault added or removed', () => {
    const a = kill('a#0', 1500);
    expect(describeChange([], [a])).toBe('kill-task a#0 at 1,500 ms');
    expect(describeChange([a], [])).toBe('removed kill-task a#0 at 1,500 ms');
    expect(describeChange([], [a, kill('b#0', 1)])).toBe('2 faults');
  });

  const plan = fc.array(fc.record({ task: fc.constantFrom('a#0', 'a#1', 'b#0'), at: fc.integer({ min: 0, max: 5 }) }), { maxLength: 3 }).map((fs) => fs.map((f) => kill(f.task, f.at * 100)));
  const steps = fc.array(fc.oneof(plan.map((p) => ({ kind: 'change' as const, plan: p })), fc.nat(200).map((n) => ({ kind: 'go' as const, n }))), { maxLength: 250 });

  fcTest.prop([steps])('whatever is tried: one node per plan, the current node exists, at most the cap, and the stored form reads back the same', (list) => {
    let h: BranchHistory = newHistory();
    for (const step of list) {
      h = step.kind === 'change' ? recordChange(h, step.plan, describeChange(nodeById(h, h.current)!.faults, step.plan), 0) : goTo(h, h.nodes[step.n % h.nodes.length]!.id);
      if (step.kind === 'change') expect(JSON.stringify(nodeById(h, h.current)!.faults)).toBe(JSON.stringify(step.plan));
    }
    const plans = h.nodes.map((n) => JSON.stringify(n.faults));
    expect(new Set(plans).size).toBe(plans.length);
    expect(nodeById(h, h.current)).toBeDefined();
    expect(h.nodes.length).toBeLessThanOrEqual(MAX_BRANCH_NODES);
    expect(branchRows(h)).toHaveLength(h.nodes.length);
    expect(asBranchHistory(JSON.parse(JSON.stringify(h)))).toEqual(h);
  });

  it('past the cap, drops the oldest leaves off the current path, never the path', () => {
    let h = newHistory();
    for (let i = 0; i < MAX_BRANCH_NODES + 20; i++) h = recordChange(goTo(h, 0), [kill('a#0', i)], `kill ${i}`, i);
    h = recordChange(h, [kill('a#0', 0), kill('b#0', 1)], 'deeper', 1);
    expect(h.nodes).toHaveLength(MAX_BRANCH_NODES);
    expect(h.nodes.some((n) => n.change === 'kill 0')).toBe(false);
    const current = nodeById(h, h.current)!;
    expect(nodeById(h, current.parent!)!.change).toBe(`kill ${MAX_BRANCH_NODES + 19}`);
  });

  it('refuses a stored tree it cannot use whole: a missing parent, a duplicate id, a bad fault, no root', () => {
    const good = recordChange(newHistory(), [kill('a#0', 1)], 'kill a', 1);
    const mutate = (f: (h: { nodes: Record<string, unknown>[]; current: number; nextId: number }) => void): unknown => {
      const copy = JSON.parse(JSON.stringify(good)) as { nodes: Record<string, unknown>[]; current: number; nextId: number };
      f(copy);
      return copy;
    };
    expect(asBranchHistory(mutate(() => undefined))).toEqual(good);
    expect(asBranchHistory(mutate((h) => (h.nodes[1]!['parent'] = 7)))).toBeNull();
    expect(asBranchHistory(mutate((h) => (h.nodes[1]!['id'] = 0)))).toBeNull();
    expect(asBranchHistory(mutate((h) => (h.nodes[1]!['faults'] = [{ type: { evil: true } }])))).toBeNull();
    expect(asBranchHistory(mutate((h) => (h.nodes[0]!['parent'] = 1)))).toBeNull();
    expect(asBranchHistory(mutate((h) => (h.current = 5)))).toBeNull();
    expect(asBranchHistory('nodes')).toBeNull();
  });
});

describe('branches in storage', () => {
  const { freshName, open } = storageOpener('weir-test-branches');

  it('round-trips a tree per scenario; a damaged one reads as damaged and stays where it is', async () => {
    const name = freshName();
    const storage = await open(name);
    const tree = recordChange(newHistory(), [kill('a#0', 1)], 'kill a', 1);
    await storage.saveBranches('late-data', tree);
    expect(await storage.loadBranches('late-data')).toEqual(tree);
    expect(await storage.loadBranches('hello-map-filter')).toBeNull();
    const raw = await openDB(name);
    await raw.put('branches', { scenario: 'late-data', history: { nodes: 'x' } }, 'late-data');
    raw.close();
    expect(await storage.loadBranches('late-data')).toBe('damaged');
  });
});

describe('a session branches', () => {
  const sessions: Session[] = [];
  let counter = 0;
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.dispose();
  });
  const env = (search: string): SessionEnv => {
    let clock = 0;
    return { location: { pathname: '/', search, hash: '' }, history: null, indexedDB, now: () => (clock += 1), pause: () => Promise.resolve() };
  };
  const open = (search: string, dbName: string): Session => {
    const s = new Session({ env: env(search), dbName });
    sessions.push(s);
    return s;
  };

  it('breaks twice, goes back to the first break and breaks differently: two branches, each its own run; the tree survives a reload', async () => {
    const db = `weir-test-session-branches-${++counter}`;
    const s = open('?scenario=checkpoint-recovery&seed=1&run=end&t=1200', db);
    await s.start();
    const plain = s.outcome?.kind === 'done' ? s.outcome.run.report.traceHash : null;
    await s.breakAt('kill-task', 'counts#1');
    const first = s.branches.current;
    s.transport.seek(2500);
    await s.breakAt('kill-task', 'counts#0');
    const twoKills = s.outcome?.kind === 'done' ? s.outcome.run.report.traceHash : null;
    await s.goToBranch(first);
    expect(s.addedFaults).toHaveLength(1);
    expect(s.transport.timeMs).toBe(1200);
    s.transport.seek(3000);
    await s.breakAt('slow-task', 'counts#0');
    const rows = branchRows(s.branches);
    expect(rows.map((r) => r.node.change)).toEqual([ROOT_CHANGE, 'kill-task counts#1 at 1,200 ms', 'kill-task counts#0 at 2,500 ms', 'slow-task counts#0 at 3,000 ms (10× slower for 1000 ms)']);
    expect(rows[1]!.forks).toBe(true);
    // Back to the two kills: the same run as before, byte for byte.
    await s.goToBranch(rows[2]!.node.id);
    expect(s.outcome?.kind === 'done' ? s.outcome.run.report.traceHash : null).toBe(twoKills);
    await s.goToBranch(0);
    expect(s.addedFaults).toEqual([]);
    expect(s.outcome?.kind === 'done' ? s.outcome.run.report.traceHash : null).toBe(plain);
    await s.whenSaved();

    const again = open('?scenario=checkpoint-recovery&seed=1', db);
    await again.start();
    await again.whenSaved();
    expect(branchRows(again.branches).map((r) => r.node.change)).toEqual(rows.map((r) => r.node.change));
    // Opening a scenario runs its file: the kept tree stands at its root.
    expect(again.branches.current).toBe(0);
    expect(again.addedFaults).toEqual([]);
  });

  it('a damaged kept tree is skipped with a notice, and a fresh one starts', async () => {
    const db = `weir-test-session-branches-${++counter}`;
    const raw = await openDB(db, 3, { upgrade: (d) => ['settings', 'drafts', 'branches'].forEach((n) => d.createObjectStore(n)) });
    await raw.put('branches', { scenario: 'late-data', history: { nodes: [] } }, 'late-data');
    raw.close();
    const s = open('?scenario=late-data', db);
    await s.start();
    await s.whenSaved();
    expect(s.notices.join('\n')).toContain('The fault plans kept for “late-data” could not be read and were skipped.');
    expect(s.branches.nodes).toHaveLength(1);
  });
});
