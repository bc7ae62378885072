/**
 * How deep, and how big, the lists and objects an expression builds may be. A scenario file
 * is bounded (MAX_NESTING in the scenario loader), but an expression can wrap a value each
 * time it runs: a process state set to `[state.x]` on every record, a reduce that returns
 * `{acc: a}`, is 100,000 levels deep after 100,000 records, and every reader of it (the
 * trace's canonical encoding, the report, the playground) then pays per level. A value can
 * also hold one value twice: `{l: state.s, r: state.s}` on every record costs one object
 * per record in memory, but doubles as a tree, and every reader walks it as a tree (the
 * canonical encoding, a checkpoint's copy, the JSON report): after 30 records that is a
 * billion nodes. So the expression fails when what it builds would nest past the depth
 * limit, or count past the size limit as a tree, naming the limit, the same in every
 * engine, as lists and strings fail past theirs.
 *
 * Measuring must not cost a walk of the whole value per list or object built: one that an
 * expression builds three or more levels deep, or big, has its depth and size remembered (a
 * WeakMap, so the memory goes with the value), and a new one's depth is one more than its
 * deepest child's, its size one more than the sum of its children's. Anything else (a record
 * from a source, a state's copy, a small shallow value an expression built) is measured by a
 * walk that stops at the limits and at the values remembered. Values the engine built are
 * never remembered: it appends to its own containers in place (list state, `collect`
 * accumulators), so a remembered shape would go stale.
 */
import { fail } from './errors.ts';
import type { JsonValue } from './json.ts';

/**
 * The deepest list or object nesting an expression may build: a scalar is 0 deep, `[1]` and
 * `{}` are 1, `[[1]]` is 2. A record in a file nests at most 128 levels (fewer, in fact: the
 * file's own levels above it count too), so every value a file can hold passes, and an
 * expression may wrap one 128 levels more; beyond that no lesson needs more, and the
 * readers stay cheap.
 */
export const MAX_BUILT_DEPTH = 256;

/**
 * The most nodes a built value may have counted as a tree: every list, object and scalar in
 * it, each counted every time it appears, so `[1, "a"]` is 3 and `{l: x, r: x}` is one more
 * than twice x. A node is at least one character of its JSON encoding (a scalar one or more,
 * a container its brackets), so this is the string limit's ten million again, in the unit
 * the readers pay in: a value within it encodes, copies and prints in the time a longest
 * string does. Counting containers and scalars alike, rather than containers only, bounds
 * a flat list of a million scalars held many times over just as a tree of objects.
 */
export const MAX_BUILT_SIZE = 10_000_000;

// Digits in groups of three, without the engine's locale data (as functions.ts writes its limits).
const SIZE_TEXT = String(MAX_BUILT_SIZE).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** What is remembered of a list or object an expression built. */
interface Shape {
  readonly depth: number;
  readonly size: number;
}

const built = new WeakMap<object, Shape>();

/**
 * Most records are one or two levels deep and small, and remembering each one's shape would
 * cost more than building it (a WeakMap entry per record: a two-level object went from
 * about 0.7 to 2.6 µs): those are looked at again instead, child by child, which costs what
 * building them did, at most the square of an object literal's size (one unremembered
 * level can hold another only once: the third level is remembered). A big one is
 * remembered whatever its depth, since looking at it again would cost far more than the
 * entry: `[state.words]` per record must not walk a long list each time.
 */
const REMEMBERED_FROM = 3;
const REMEMBERED_FROM_SIZE = 1_024;

/*
 * Measuring a child gives two numbers, its depth and its size. The size is returned and the
 * depth left in `measuredDepth`, read right after the call, so that no object is allocated
 * per child or per container built (a tally object per list was 2% of a windowed job).
 */
let measuredDepth = 0;

/**
 * The size of the list or object `x` counted as a tree, at most `budget + 1` (measuring
 * stops past the budget); its depth is left in measuredDepth, MAX_BUILT_DEPTH + 1 for
 * deeper.
 */
function sizeOf(x: object, budget: number): number {
  const known = built.get(x);
  if (known === undefined) return measure(x, budget);
  measuredDepth = known.depth;
  return known.size;
}

/**
 * The list `list`, just built from its items, remembered with its depth and size when deep
 * or big; fails when either passes its limit. `what` names the builder for the message.
 * @example builtList('a list', [x, y])
 */
export function builtList<T extends readonly JsonValue[]>(what: string, list: T): T {
  let size = 1;
  let deepest = 0;
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    if (typeof x !== 'object' || x === null) size++;
    else {
      size += sizeOf(x, MAX_BUILT_SIZE - size);
      if (measuredDepth > deepest) deepest = measuredDepth;
    }
  }
  return remember(what, list, deepest + 1, size);
}

/**
 * The object `o`, just built from its fields, as builtList does for a list.
 * @example builtObject('an object', { a: x })
 */
export function builtObject<T extends object>(what: string, o: T): T {
  let size = 1;
  let deepest = 0;
  const fields = o as Record<string, JsonValue>;
  for (const k in fields) {
    if (!Object.hasOwn(fields, k)) continue;
    const x = fields[k]!;
    if (typeof x !== 'object' || x === null) size++;
    else {
      size += sizeOf(x, MAX_BUILT_SIZE - size);
      if (measuredDepth > deepest) deepest = measuredDepth;
    }
  }
  return remember(what, o, deepest + 1, size);
}

/**
 * The object `o` of one to four fields, just built, whose values are `x0` to `x3` (undefined
 * past the last): as builtObject, without a loop over the object's fields (for-in and the
 * own-field check cost more than building a small object).
 * @example builtFields('an object', o, o.a, o.b)
 */
export function builtFields<T extends object>(what: string, o: T, x0: JsonValue, x1?: JsonValue, x2?: JsonValue, x3?: JsonValue): T {
  let size = withChild(1, x0);
  let deepest = measuredDepth;
  if (x1 !== undefined) {
    size = withChild(size, x1);
    if (measuredDepth > deepest) deepest = measuredDepth;
  }
  if (x2 !== undefined) {
    size = withChild(size, x2);
    if (measuredDepth > deepest) deepest = measuredDepth;
  }
  if (x3 !== undefined) {
    size = withChild(size, x3);
    if (measuredDepth > deepest) deepest = measuredDepth;
  }
  return remember(what, o, deepest + 1, size);
}

/** `size` with the child `x` added; x's depth is left in measuredDepth. */
function withChild(size: number, x: JsonValue): number {
  if (typeof x !== 'object' || x === null) {
    measuredDepth = 0;
    return size + 1;
  }
  return size + sizeOf(x, MAX_BUILT_SIZE - size);
}

/**
 * The list `list` of scalars only (`keys`, `split`): one level deep, one node per item.
 * @example builtScalars('split', ['a', 'b'])
 */
export function builtScalars<T extends readonly JsonValue[]>(what: string, list: T): T {
  return remember(what, list, 1, 1 + list.length);
}

/**
 * The list `joined`, just built from the items of `parts` in order (`concat`): a remembered
 * part is measured as one list, any other item by item.
 * @example builtJoin('concat', [...a, ...b], [a, b])
 */
export function builtJoin<T extends readonly JsonValue[]>(what: string, joined: T, parts: readonly (readonly JsonValue[])[]): T {
  let size = 1;
  let deepest = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p]!;
    const known = built.get(part);
    if (known !== undefined) {
      size += known.size - 1;
      if (known.depth - 1 > deepest) deepest = known.depth - 1;
      continue;
    }
    for (let i = 0; i < part.length && size <= MAX_BUILT_SIZE; i++) {
      const x = part[i]!;
      if (typeof x !== 'object' || x === null) size++;
      else {
        size += sizeOf(x, MAX_BUILT_SIZE - size);
        if (measuredDepth > deepest) deepest = measuredDepth;
      }
    }
  }
  return remember(what, joined, deepest + 1, size);
}

/**
 * Measures the list or object `root`, which the expression did not build (or built small and
 * shallow): returns its size, leaves its depth in measuredDepth. A container whose children
 * are scalars or remembered, the usual case, is summed in one loop (over an object's fields
 * with for-in, which unlike Object.values allocates nothing: a two-level record went from
 * about 0.27 to 0.21 µs); anything else is walked with an explicit stack.
 */
function measure(root: object, budget: number): number {
  let size = 1;
  let deepest = 0;
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i++) {
      const x = root[i] as JsonValue;
      if (typeof x !== 'object' || x === null) {
        size++;
        continue;
      }
      const known = built.get(x);
      if (known === undefined) return walk(root, budget);
      size += known.size;
      if (known.depth > deepest) deepest = known.depth;
    }
  } else {
    const o = root as Record<string, JsonValue>;
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue;
      const x = o[k]!;
      if (typeof x !== 'object' || x === null) {
        size++;
        continue;
      }
      const known = built.get(x);
      if (known === undefined) return walk(root, budget);
      size += known.size;
      if (known.depth > deepest) deepest = known.depth;
    }
  }
  measuredDepth = deepest + 1;
  return size;
}

/**
 * The walk of `root`, counting each node as often as it appears: returns its size and leaves
 * its depth in measuredDepth, as measure does. It stops past `budget` nodes (returning one
 * more than the budget) and past MAX_BUILT_DEPTH levels (leaving MAX_BUILT_DEPTH + 1).
 */
function walk(root: object, budget: number): number {
  let size = 1;
  const frames: { readonly items: readonly JsonValue[]; next: number; deepest: number }[] = [{ items: itemsOf(root), next: 0, deepest: 0 }];
  for (;;) {
    if (size > budget) return stopped(0, budget + 1);
    const top = frames[frames.length - 1]!;
    if (top.next === top.items.length) {
      frames.pop();
      const depth = top.deepest + 1;
      if (frames.length === 0) return stopped(depth, size);
      const parent = frames[frames.length - 1]!;
      if (depth > parent.deepest) parent.deepest = depth;
      continue;
    }
    const child = top.items[top.next++]!;
    if (typeof child !== 'object' || child === null) {
      size++;
      continue;
    }
    const known = built.get(child);
    if (known !== undefined) {
      if (known.depth + frames.length > MAX_BUILT_DEPTH) return stopped(MAX_BUILT_DEPTH + 1, size);
      if (known.depth > top.deepest) top.deepest = known.depth;
      size += known.size;
      continue;
    }
    if (frames.length >= MAX_BUILT_DEPTH) return stopped(MAX_BUILT_DEPTH + 1, size);
    size++;
    frames.push({ items: itemsOf(child), next: 0, deepest: 0 });
  }
}

function stopped(depth: number, size: number): number {
  measuredDepth = depth;
  return size;
}

function itemsOf(container: object): readonly JsonValue[] {
  return Array.isArray(container) ? (container as JsonValue[]) : Object.values(container as Record<string, JsonValue>);
}

/**
 * `container`, `depth` deep of `size` nodes, remembered when deep or big; fails when either
 * passes its limit. Measuring stops at the limits, so the messages say "more than".
 */
function remember<T extends object>(what: string, container: T, depth: number, size: number): T {
  if (depth > MAX_BUILT_DEPTH) fail(`${what} would nest lists and objects more than ${MAX_BUILT_DEPTH} levels deep; Weir's limit is ${MAX_BUILT_DEPTH}`);
  if (size > MAX_BUILT_SIZE) fail(`${what} would hold more than ${SIZE_TEXT} lists, objects and scalars, counting each every time it appears; Weir's limit is ${SIZE_TEXT}`);
  if (depth >= REMEMBERED_FROM || size >= REMEMBERED_FROM_SIZE) built.set(container, { depth, size });
  return container;
}
