/**
 * The trace's fingerprint: a 64-bit hash fed with each event's content as 32-bit words,
 * not with its text. Building the canonical text of every event only to hash it cost more
 * than the rest of a run at trace level `full`; the content gives the same guarantee (equal
 * events, equal words) without a string per event.
 *
 * Two lanes of MurmurHash3's 32-bit block step, each with its own seed and constants,
 * finalised with its fmix32 and the word count. Only `Math.imul`, shifts and xors on
 * int32 values: Node and Chromium get the same 16 hex digits. It is a fingerprint for
 * comparing runs, not a cryptographic hash.
 *
 * The words of a JSON value are those of its canonical JSON (`canonicalJson`): undefined
 * members skipped, -0 as 0, and key order does not matter. An object's members are hashed
 * one by one (name and value, from fixed seeds) and summed, so no key is sorted and the
 * order `for...in` gives is as good as any. Each value starts with a word naming its type,
 * and strings, arrays and objects carry their length, so different values never give the
 * same words.
 */
import { canonicalJson, type JsonValue } from '../model/index.ts';

const enum Kind {
  Null = 0x6e756c6c,
  False = 0x66616c73,
  True = 0x74727565,
  Int = 0x696e7433,
  Float = 0x666c6f61,
  Str = 0x73747269,
  Arr = 0x61727261,
  Obj = 0x6f626a65,
  Deep = 0x64656570,
}

/** Below this depth values are walked recursively; deeper ones are hashed as their canonical text, which is iterative. */
const RECURSION_DEPTH = 64;

/** Where each member of an object starts hashing from. */
const MEMBER_SEED_A = 0x3c6ef372;
const MEMBER_SEED_B = 0x1f83d9ab;

const float = new DataView(new ArrayBuffer(8));

/**
 * @example
 * const h = new TraceHash(); h.value({ a: [1, 'x'] }); h.hex(); // 16 hex digits
 */
export class TraceHash {
  #a = 0x2d358dcc;
  #b = 0x27d4eb2f;
  #words = 0;

  /** Feeds one 32-bit word. */
  word(k: number): void {
    this.#a = stepA(this.#a, k);
    this.#b = stepB(this.#b, k);
    this.#words++;
  }

  /** Feeds a string: its length, then its UTF-16 code units two to a word. */
  string(s: string): void {
    // The lanes stay in locals for the whole string: a field write per word cost more than the mixing.
    const n = s.length;
    let a = stepA(stepA(this.#a, Kind.Str), n);
    let b = stepB(stepB(this.#b, Kind.Str), n);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
      a = stepA(a, k);
      b = stepB(b, k);
    }
    if (i < n) {
      const k = s.charCodeAt(i);
      a = stepA(a, k);
      b = stepB(b, k);
    }
    this.#a = a;
    this.#b = b;
    this.#words += 2 + ((n + 1) >> 1);
  }

  number(v: number): void {
    if ((v | 0) === v) {
      // -0 | 0 is 0, and -0 === 0: -0 hashes as 0, as canonical JSON prints it.
      this.#a = stepA(stepA(this.#a, Kind.Int), v);
      this.#b = stepB(stepB(this.#b, Kind.Int), v);
      this.#words += 2;
      return;
    }
    float.setFloat64(0, v, true);
    const lo = float.getInt32(0, true);
    const hi = float.getInt32(4, true);
    this.#a = stepA(stepA(stepA(this.#a, Kind.Float), lo), hi);
    this.#b = stepB(stepB(stepB(this.#b, Kind.Float), lo), hi);
    this.#words += 3;
  }

  /** Feeds any JSON value, as described above. */
  value(v: JsonValue, depth = 0): void {
    switch (typeof v) {
      case 'string':
        this.string(v);
        return;
      case 'number':
        this.number(v);
        return;
      case 'boolean':
        this.word(v ? Kind.True : Kind.False);
        return;
      default:
        if (v === null) this.word(Kind.Null);
        else if (depth >= RECURSION_DEPTH) {
          this.word(Kind.Deep);
          this.string(canonicalJson(v));
        } else if (Array.isArray(v)) {
          this.word(Kind.Arr);
          this.word(v.length);
          for (let i = 0; i < v.length; i++) this.value(v[i]!, depth + 1);
        } else this.object(v as Readonly<Record<string, JsonValue | undefined>>, depth);
    }
  }

  /** Feeds an object: its member count and the sum of its members' own hashes. */
  object(o: Readonly<Record<string, JsonValue | undefined>>, depth = 0): void {
    const a = this.#a;
    const b = this.#b;
    let sumA = 0;
    let sumB = 0;
    let members = 0;
    let words = 0;
    const root = depth < FIRST_STARTS ? depth : FIRST_STARTS - 1;
    let previous: MemberStart | undefined;
    for (const k in o) {
      const v = o[k];
      if (v === undefined) continue;
      members++;
      // Objects of one shape repeat their names in one order: the start that followed the
      // previous name last time is checked first, and the map is read only when it differs.
      let start = previous === undefined ? firstStarts[root] : previous.next;
      if (start === undefined || start.name !== k) {
        start = memberStart(k);
        if (previous === undefined) firstStarts[root] = start;
        else previous.next = start;
      }
      previous = start;
      words += start.words;
      if (typeof v === 'number' && (v | 0) === v) {
        // The commonest member, an int32 (-0 too, as in number()), in locals from the lanes after its kind word.
        sumA = (sumA + fmix32(stepA(start.intA, v))) | 0;
        sumB = (sumB + fmix32(stepB(start.intB, v))) | 0;
        words += 2;
        continue;
      }
      this.#a = start.a;
      this.#b = start.b;
      this.value(v, depth + 1);
      sumA = (sumA + fmix32(this.#a)) | 0;
      sumB = (sumB + fmix32(this.#b)) | 0;
    }
    this.#words += words;
    this.#a = a;
    this.#b = b;
    this.word(Kind.Obj);
    this.word(members);
    this.word(sumA);
    this.word(sumB);
  }

  /** The 32-bit words fed so far: the content's size as hashed (a trace log's maxTraceBytes counts four bytes a word). */
  get words(): number {
    return this.#words;
  }

  /** The hash so far as 16 lowercase hex digits. */
  hex(): string {
    const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
    return hex(fmix32(this.#a ^ this.#words)) + hex(fmix32(this.#b ^ this.#words ^ 0x5bd1e995));
  }

  snapshot(): TraceHashState {
    return [this.#a, this.#b, this.#words];
  }

  restore(s: TraceHashState): void {
    [this.#a, this.#b, this.#words] = s;
  }
}

export type TraceHashState = readonly [number, number, number];

/** A member's lanes after its name, from the member seeds, and after an int's kind word too. */
interface MemberStart {
  readonly name: string;
  readonly a: number;
  readonly b: number;
  readonly words: number;
  readonly intA: number;
  readonly intB: number;
  /** The start of the member that came next the last time this one was hashed. */
  next: MemberStart | undefined;
}

/**
 * The starts by name: the same few field names come back in every event, so each is
 * hashed once. Bounded, as user data brings names too.
 */
const memberStarts = new Map<string, MemberStart>();
const MEMBER_STARTS_MAX = 4096;

/** Per depth, the start of the first member the last object at that depth had. */
const FIRST_STARTS = RECURSION_DEPTH + 1;
const firstStarts: (MemberStart | undefined)[] = new Array<MemberStart | undefined>(FIRST_STARTS).fill(undefined);

function memberStart(name: string): MemberStart {
  let start = memberStarts.get(name);
  if (start === undefined) {
    const h = new TraceHash();
    h.restore([MEMBER_SEED_A, MEMBER_SEED_B, 0]);
    h.string(name);
    const [a, b, words] = h.snapshot();
    start = { name, a, b, words, intA: stepA(a, Kind.Int), intB: stepB(b, Kind.Int), next: undefined };
    if (memberStarts.size >= MEMBER_STARTS_MAX) forgetStarts();
    memberStarts.set(name, start);
  }
  return start;
}

/** Empties the map and unlinks its starts, so that no forgotten start stays reachable through another's `next`. */
function forgetStarts(): void {
  for (const start of memberStarts.values()) start.next = undefined;
  memberStarts.clear();
  firstStarts.fill(undefined);
}

/** One word into lane a: MurmurHash3's 32-bit block step. */
function stepA(a: number, k: number): number {
  let x = Math.imul(k, 0xcc9e2d51);
  x = (x << 15) | (x >>> 17);
  a ^= Math.imul(x, 0x1b873593);
  a = (a << 13) | (a >>> 19);
  return (Math.imul(a, 5) + 0xe6546b64) | 0;
}

/** One word into lane b: the same step with lane b's constants. */
function stepB(b: number, k: number): number {
  let y = Math.imul(k, 0x85ebca6b);
  y = (y << 16) | (y >>> 16);
  b ^= Math.imul(y, 0xc2b2ae35);
  b = (b << 17) | (b >>> 15);
  return (Math.imul(b, 5) + 0x561ccd1b) | 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * The hash of JSON values one after another, as a trace log over those events gives it:
 * how a trace file written by `weir run --trace` (one canonical JSON event per line) is
 * checked against its `traceHash`.
 * @example traceHashOf(text.split('\n').filter(Boolean).map((l) => JSON.parse(l)))
 */
export function traceHashOf(events: readonly JsonValue[]): string {
  const h = new TraceHash();
  for (const e of events) h.value(e);
  return h.hex();
}
