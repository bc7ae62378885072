/**
 * The history of what a person tried on one scenario, as a tree (the DSLabs visual
 * debugger's idea): each node is a fault plan, and since a run is a pure function of the
 * scenario, the seed and the plan, a node *is* a run. Adding or removing a fault makes a
 * child of the node one stands on; going back to a node and changing something else makes
 * a branch. A plan already in the tree is never added twice: going to it is moving there.
 * Pure data, so it is stored as it is and compared by value.
 */
import { describeFault, type AddedFault } from './breaking.ts';

export interface BranchNode {
  readonly id: number;
  /** The node this one was made from; null for the root (the scenario as written). */
  readonly parent: number | null;
  /** The faults added from the page on top of the scenario's own. */
  readonly faults: readonly AddedFault[];
  /** What made it, for the tree's line: "kill-task counts#1 at 1,500 ms", "removed …". */
  readonly change: string;
  /** Where the view stood when it was made, and stands again when it is gone back to. */
  readonly atMs: number;
}

export interface BranchHistory {
  readonly nodes: readonly BranchNode[];
  readonly current: number;
  readonly nextId: number;
}

/** Most nodes kept: the oldest leaves off the current path go first. */
export const MAX_BRANCH_NODES = 100;

export const ROOT_CHANGE = 'the scenario as written';

export function newHistory(): BranchHistory {
  return { nodes: [{ id: 0, parent: null, faults: [], change: ROOT_CHANGE, atMs: 0 }], current: 0, nextId: 1 };
}

const planKey = (faults: readonly AddedFault[]): string => JSON.stringify(faults.map((f) => Object.entries(f).sort(([a], [b]) => (a < b ? -1 : 1))));

/** The node standing for `faults`, if the tree has one. */
export function nodeWithPlan(history: BranchHistory, faults: readonly AddedFault[]): BranchNode | undefined {
  const key = planKey(faults);
  return history.nodes.find((n) => planKey(n.faults) === key);
}

export function nodeById(history: BranchHistory, id: number): BranchNode | undefined {
  return history.nodes.find((n) => n.id === id);
}

/**
 * After the plan changed to `faults` (by `change`, at `atMs`): moves to the node of that
 * plan, or adds it as a child of the current node.
 * @example recordChange(newHistory(), [kill], 'kill-task a#0 at 500 ms', 500).current // 1
 */
export function recordChange(history: BranchHistory, faults: readonly AddedFault[], change: string, atMs: number): BranchHistory {
  const known = nodeWithPlan(history, faults);
  if (known !== undefined) return { ...history, current: known.id };
  const node: BranchNode = { id: history.nextId, parent: history.current, faults: [...faults], change, atMs };
  return prune({ nodes: [...history.nodes, node], current: node.id, nextId: history.nextId + 1 });
}

/** Stands on node `id` (unchanged when there is none). */
export function goTo(history: BranchHistory, id: number): BranchHistory {
  return nodeById(history, id) === undefined ? history : { ...history, current: id };
}

/** The change that turns the plan `from` into `to`, for a node's line: one fault added or removed, else a count. */
export function describeChange(from: readonly AddedFault[], to: readonly AddedFault[]): string {
  const key = (f: AddedFault): string => planKey([f]);
  const removed = from.filter((f) => !to.some((g) => key(g) === key(f)));
  const added = to.filter((f) => !from.some((g) => key(g) === key(f)));
  if (added.length === 1 && removed.length === 0) return describeFault(added[0]!);
  if (removed.length === 1 && added.length === 0) return `removed ${describeFault(removed[0]!)}`;
  return `${to.length} fault${to.length === 1 ? '' : 's'}`;
}

/**
 * The union of two trees of the same scenario (this tab's and another's, or the stored
 * one): every plan of either is kept once, a plan only `theirs` has hangs under the node of
 * its parent's plan, and `ours` keeps standing where it stood.
 */
export function mergeHistories(ours: BranchHistory, theirs: BranchHistory): BranchHistory {
  const ourIdOf = new Map(ours.nodes.map((n) => [planKey(n.faults), n.id] as const));
  const root = ours.nodes.find((n) => n.parent === null)!.id;
  const mapped = new Map<number, number>();
  const nodes = [...ours.nodes];
  let nextId = ours.nextId;
  // Parents come before their children in a stored tree, so each parent is mapped first.
  for (const node of theirs.nodes) {
    const key = planKey(node.faults);
    const known = ourIdOf.get(key);
    if (known !== undefined) {
      mapped.set(node.id, known);
      continue;
    }
    const added: BranchNode = { ...node, id: nextId++, parent: node.parent === null ? root : (mapped.get(node.parent) ?? root) };
    nodes.push(added);
    ourIdOf.set(key, added.id);
    mapped.set(node.id, added.id);
  }
  return nodes.length === ours.nodes.length ? ours : prune({ nodes, current: ours.current, nextId });
}

/** The ids from the root to `id`, root first. */
function pathTo(history: BranchHistory, id: number): number[] {
  const byId = new Map(history.nodes.map((n) => [n.id, n] as const));
  const path: number[] = [];
  for (let at = byId.get(id); at !== undefined; at = at.parent === null ? undefined : byId.get(at.parent)) path.unshift(at.id);
  return path;
}

function prune(history: BranchHistory): BranchHistory {
  let nodes = history.nodes;
  const keep = new Set(pathTo(history, history.current));
  while (nodes.length > MAX_BRANCH_NODES) {
    const parents = new Set(nodes.map((n) => n.parent));
    const leaf = nodes.find((n) => !parents.has(n.id) && !keep.has(n.id));
    if (leaf === undefined) break;
    nodes = nodes.filter((n) => n !== leaf);
  }
  return { ...history, nodes };
}

/** One line of the tree as the page draws it. */
export interface BranchRow {
  readonly node: BranchNode;
  readonly depth: number;
  readonly current: boolean;
  /** On the way from the root to the current node. */
  readonly onPath: boolean;
  /** Two or more plans were tried from here. */
  readonly forks: boolean;
}

/** The tree in depth-first order, children oldest first, so each branch reads top to bottom. */
export function branchRows(history: BranchHistory): BranchRow[] {
  const children = new Map<number | null, BranchNode[]>();
  for (const n of history.nodes) children.set(n.parent, [...(children.get(n.parent) ?? []), n]);
  const path = new Set(pathTo(history, history.current));
  const rows: BranchRow[] = [];
  const visit = (node: BranchNode, depth: number): void => {
    const kids = (children.get(node.id) ?? []).slice().sort((a, b) => a.id - b.id);
    rows.push({ node, depth, current: node.id === history.current, onPath: path.has(node.id), forks: kids.length > 1 });
    for (const kid of kids) visit(kid, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  return rows;
}

const isFault = (value: unknown): value is AddedFault =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)));

/**
 * A stored history, checked: it may come from another build or be damaged. Null when it
 * cannot be used whole (a tree with a missing parent would show runs that are not there).
 */
export function asBranchHistory(value: unknown): BranchHistory | null {
  if (typeof value !== 'object' || value === null) return null;
  const { nodes, current, nextId } = value as Record<string, unknown>;
  if (!Array.isArray(nodes) || nodes.length === 0 || nodes.length > MAX_BRANCH_NODES) return null;
  if (!Number.isSafeInteger(current) || !Number.isSafeInteger(nextId)) return null;
  const checked: BranchNode[] = [];
  for (const raw of nodes as unknown[]) {
    if (typeof raw !== 'object' || raw === null) return null;
    const { id, parent, faults, change, atMs } = raw as Record<string, unknown>;
    if (!Number.isSafeInteger(id) || (id as number) >= (nextId as number)) return null;
    if (parent !== null && !Number.isSafeInteger(parent)) return null;
    if (!Array.isArray(faults) || !faults.every(isFault) || typeof change !== 'string' || typeof atMs !== 'number' || !Number.isFinite(atMs)) return null;
    checked.push({ id: id as number, parent: parent as number | null, faults, change, atMs });
  }
  const ids = new Set(checked.map((n) => n.id));
  if (ids.size !== checked.length || !ids.has(current as number)) return null;
  if (checked.filter((n) => n.parent === null).length !== 1) return null;
  // Every parent exists and comes before its child, so the tree has no cycle.
  const seen = new Set<number>();
  for (const n of checked) {
    if (n.parent !== null && !seen.has(n.parent)) return null;
    seen.add(n.id);
  }
  return { nodes: checked, current: current as number, nextId: nextId as number };
}
