/**
 * Operator state, as Flink's OperatorStateStore keeps it: state that belongs to a parallel
 * instance of an operator rather than to a key (a source's offsets, a sink's buffer). It is
 * a list per name, and the list's mode says how a restore hands it out:
 *
 * - **split** (`getListState`): the lists of all old subtasks are one list of items, dealt
 *   out in even, contiguous shares to the new subtasks (Flink's
 *   RoundRobinOperatorStateRepartitioner); at the same parallelism each subtask gets back
 *   exactly what it wrote.
 * - **union** (`getUnionListState`): every new subtask gets the whole union of all old lists,
 *   and picks what it needs (how Kafka's legacy source finds its partitions).
 *
 * A snapshot is plain data: `{subtask, parallelism, states: {name: {mode, items}}}`, one per
 * subtask; a restore receives every old subtask's snapshot, in no particular order.
 */
import { cloneJson, type JsonValue } from '../model/index.ts';

export type OperatorStateMode = 'split' | 'union';

/** Flink's ListState as operator state. @example ctx.getOperatorStateStore().getListState('buffer').add(v) */
export interface OperatorListState {
  /** The items, in order (a copy). */
  get(): JsonValue[];
  add(value: JsonValue): void;
  addAll(values: readonly JsonValue[]): void;
  update(values: readonly JsonValue[]): void;
  clear(): void;
}

interface SavedList {
  readonly mode: OperatorStateMode;
  readonly items: JsonValue[];
}

/** One subtask's snapshot of its operator state. */
export interface OperatorStateSnapshot {
  readonly subtask: number;
  readonly parallelism: number;
  readonly states: Record<string, SavedList>;
}

/** Flink's OperatorStateStore for one subtask. @example const store = new OperatorStateStore(assignOperatorState(restored, 0, 2)); */
export class OperatorStateStore {
  readonly #lists = new Map<string, { mode: OperatorStateMode; items: JsonValue[] }>();
  readonly #restored: ReadonlyMap<string, SavedList>;

  constructor(restored: ReadonlyMap<string, SavedList> | null = null) {
    this.#restored = restored ?? new Map();
  }

  /** A list state whose items are split among the subtasks on restore. */
  getListState(name: string): OperatorListState {
    return this.#handle(name, 'split');
  }

  /** A list state every subtask gets whole on restore (the union of all subtasks' lists). */
  getUnionListState(name: string): OperatorListState {
    return this.#handle(name, 'union');
  }

  getRegisteredStateNames(): string[] {
    return [...this.#lists.keys()].sort();
  }

  #handle(name: string, mode: OperatorStateMode): OperatorListState {
    if (typeof name !== 'string' || name.length === 0) throw new TypeError(`an operator state needs a non-empty name, found ${String(name)}`);
    let list = this.#lists.get(name);
    if (list === undefined) {
      const restored = this.#restored.get(name);
      if (restored !== undefined && restored.mode !== mode) throw modeMismatch(name, restored.mode, mode);
      this.#lists.set(name, (list = { mode, items: restored === undefined ? [] : restored.items.map(cloneJson) }));
    } else if (list.mode !== mode) throw modeMismatch(name, list.mode, mode);
    const items = (): JsonValue[] => list.items;
    return {
      get: () => items().slice(),
      add: (value) => void items().push(value),
      addAll: (values) => void items().push(...values),
      update: (values) => void (list.items = values.slice()),
      clear: () => void (list.items = []),
    };
  }

  /** The snapshot of this subtask's lists (copies, names sorted). */
  snapshot(subtask: number, parallelism: number): JsonValue {
    const states: Record<string, SavedList> = {};
    for (const name of this.getRegisteredStateNames()) {
      const list = this.#lists.get(name)!;
      states[name] = { mode: list.mode, items: list.items.map(cloneJson) };
    }
    return { subtask, parallelism, states } as unknown as JsonValue;
  }
}

function modeMismatch(name: string, was: OperatorStateMode, now: OperatorStateMode): TypeError {
  const method = (m: OperatorStateMode): string => (m === 'split' ? 'getListState' : 'getUnionListState');
  return new TypeError(`operator state '${name}' is registered with ${method(was)} and asked for with ${method(now)}: one name has one redistribution mode, as in Flink`);
}

/**
 * What subtask `subtaskIndex` of `parallelism` gets from the old subtasks' snapshots, per
 * state name. At the old parallelism, split lists go back to the subtask that wrote them;
 * otherwise each split list's items (old subtasks in index order) are dealt out in
 * contiguous shares whose sizes differ by at most one, the extra items going round robin
 * from one state to the next, as Flink's RoundRobinOperatorStateRepartitioner does. Union
 * lists are given whole to every subtask.
 * @example assignOperatorState([a, b], 0, 3) // subtask 0's share of a's and b's lists
 */
export function assignOperatorState(snapshots: readonly JsonValue[], subtaskIndex: number, parallelism: number): Map<string, SavedList> {
  const old = (snapshots as unknown as OperatorStateSnapshot[]).slice().sort((a, b) => a.subtask - b.subtask);
  const out = new Map<string, SavedList>();
  if (old.length === 0) return out;
  const names = [...new Set(old.flatMap((s) => Object.keys(s.states)))].sort();
  const sameParallelism = old[0]!.parallelism === parallelism;
  let start = 0;
  for (const name of names) {
    const lists = old.map((s) => s.states[name]).filter((l): l is SavedList => l !== undefined);
    const mode = lists[0]!.mode;
    if (mode === 'union') {
      out.set(name, { mode, items: lists.flatMap((l) => l.items) });
      continue;
    }
    if (sameParallelism) {
      const mine = old.find((s) => s.subtask === subtaskIndex)?.states[name];
      out.set(name, { mode, items: mine === undefined ? [] : mine.items.slice() });
      continue;
    }
    const all = lists.flatMap((l) => l.items);
    const share = evenShares(all.length, parallelism, start);
    out.set(name, { mode, items: all.slice(share.offsets[subtaskIndex]!, share.offsets[subtaskIndex]! + share.sizes[subtaskIndex]!) });
    start = share.nextStart;
  }
  return out;
}

/**
 * Contiguous shares of `total` items over `parallelism` subtasks, dealt from subtask
 * `start` on: the first `total mod parallelism` of them get one item more; the next state
 * starts at the first that did not.
 */
function evenShares(total: number, parallelism: number, start: number): { offsets: number[]; sizes: number[]; nextStart: number } {
  const base = Math.floor(total / parallelism);
  let remainder = total % parallelism;
  const offsets = new Array<number>(parallelism).fill(0);
  const sizes = new Array<number>(parallelism).fill(0);
  let nextStart = start;
  let offset = 0;
  for (let i = 0; i < parallelism; i++) {
    const subtask = (i + start) % parallelism;
    let n = base;
    if (remainder > 0) {
      n++;
      remainder--;
    } else if (remainder === 0) {
      nextStart = subtask;
      remainder--;
    }
    offsets[subtask] = offset;
    sizes[subtask] = n;
    offset += n;
  }
  return { offsets, sizes, nextStart };
}
