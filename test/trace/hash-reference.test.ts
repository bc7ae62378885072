// TraceHash takes shortcuts (member starts cached per name and predicted from the previous
// member, int members hashed inline); this reference takes none. It is written from the
// definition in core/trace/hash.ts's header, one word at a time, so any shortcut that
// changes a single word, a lane or the word count shows up as a different hex or size.
import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { TraceHash } from '../../core/trace/index.ts';
import { canonicalJson, type JsonValue } from '../../core/model/index.ts';

type Member = JsonValue | undefined;
type Obj = { [k: string]: Member };

const KIND = { null: 0x6e756c6c, false: 0x66616c73, true: 0x74727565, int: 0x696e7433, float: 0x666c6f61, str: 0x73747269, arr: 0x61727261, obj: 0x6f626a65, deep: 0x64656570 };

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Two MurmurHash3 block-step lanes and a word count. */
class Lanes {
  constructor(
    public a: number,
    public b: number,
    public n = 0,
  ) {}

  word(k: number): void {
    this.a = (Math.imul(rotl(this.a ^ Math.imul(rotl(Math.imul(k, 0xcc9e2d51), 15), 0x1b873593), 13), 5) + 0xe6546b64) | 0;
    this.b = (Math.imul(rotl(this.b ^ Math.imul(rotl(Math.imul(k, 0x85ebca6b), 16), 0xc2b2ae35), 17), 5) + 0x561ccd1b) | 0;
    this.n++;
  }

  hex(): string {
    const hex = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
    return hex(fmix32(this.a ^ this.n)) + hex(fmix32(this.b ^ this.n ^ 0x5bd1e995));
  }
}

function refString(h: Lanes, s: string): void {
  h.word(KIND.str);
  h.word(s.length);
  for (let i = 0; i < s.length; i += 2) h.word(s.charCodeAt(i) | (i + 1 < s.length ? s.charCodeAt(i + 1) << 16 : 0));
}

function refValue(h: Lanes, v: JsonValue, depth: number): void {
  if (v === null) h.word(KIND.null);
  else if (typeof v === 'boolean') h.word(v ? KIND.true : KIND.false);
  else if (typeof v === 'string') refString(h, v);
  else if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) {
      h.word(KIND.int);
      h.word(v === 0 ? 0 : v);
    } else {
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, v, true);
      h.word(KIND.float);
      h.word(view.getInt32(0, true));
      h.word(view.getInt32(4, true));
    }
  } else if (depth >= 64) {
    h.word(KIND.deep);
    refString(h, canonicalJson(v));
  } else if (Array.isArray(v)) {
    h.word(KIND.arr);
    h.word(v.length);
    for (const x of v) refValue(h, x, depth + 1);
  } else refObject(h, v as Obj, depth);
}

function refObject(h: Lanes, o: Obj, depth: number): void {
  // Members in sorted order here, whatever order the hash under test sees them in.
  const names = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  let sumA = 0;
  let sumB = 0;
  for (const name of names) {
    const m = new Lanes(0x3c6ef372, 0x1f83d9ab);
    refString(m, name);
    refValue(m, o[name]!, depth + 1);
    sumA = (sumA + fmix32(m.a)) | 0;
    sumB = (sumB + fmix32(m.b)) | 0;
    h.n += m.n;
  }
  h.word(KIND.obj);
  h.word(names.length);
  h.word(sumA);
  h.word(sumB);
}

/** The reference's hex and word count over events fed one after another, as a trace log feeds them. */
function reference(events: readonly Obj[]): { hex: string; words: number } {
  const h = new Lanes(0x2d358dcc, 0x27d4eb2f);
  for (const e of events) refObject(h, e, 0);
  return { hex: h.hex(), words: h.n };
}

function underTest(events: readonly Obj[]): { hex: string; words: number } {
  const h = new TraceHash();
  for (const e of events) h.object(e);
  return { hex: h.hex(), words: h.words };
}

/** A small pool of names, so that shapes repeat, share prefixes and diverge, as trace events do. */
const name = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('tag', 'timeMs', 'task', 'value', 'key', 'a', '') }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) });

const number = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 0.5, -1.5, 1e-300),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const { value } = fc.letrec<{ value: JsonValue; object: Obj }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    number,
    fc.string({ maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('object') as fc.Arbitrary<JsonValue>,
  ),
  object: fc.dictionary(name, fc.option(tie('value'), { nil: undefined, freq: 4 }), { maxKeys: 5 }),
}));

/** Events from a few shapes: each event takes one shape's names in its order, some members undefined. */
const events = fc
  .array(fc.uniqueArray(name, { maxLength: 6 }), { minLength: 1, maxLength: 3 })
  .chain((shapes) =>
    fc.array(
      fc.nat(shapes.length - 1).chain((i) =>
        fc.tuple(...shapes[i]!.map(() => fc.option(value, { nil: undefined, freq: 5 }))).map((values) => {
          const e: Obj = {};
          shapes[i]!.forEach((n, j) => (e[n] = values[j]));
          return e;
        }),
      ),
      { maxLength: 12 },
    ),
  );

describe('TraceHash against a word-by-word reference', () => {
  fcTest.prop([events])('gives the same hex and word count over runs of events of repeated shapes', (es) => {
    expect(underTest(es)).toEqual(reference(es));
  });

  fcTest.prop([value, fc.integer({ min: 55, max: 70 })])('agrees around the depth where values are hashed as text', (v, depth) => {
    let deep: JsonValue = v;
    for (let i = 0; i < depth; i++) deep = i % 2 === 0 ? [deep] : { k: deep };
    const es = [{ deep }, { deep: [deep, { deep }] }];
    expect(underTest(es)).toEqual(reference(es));
  });

  it('agrees when more names come than the hash keeps, and after it forgets them', () => {
    const wide: Obj = {};
    for (let i = 0; i < 5000; i++) wide[`n${i}`] = i % 3 === 0 ? 'x' : i;
    const es: Obj[] = [];
    for (let i = 0; i < 3; i++) es.push({ tag: 't', timeMs: i, value: { key: 'k', v: i } }, wide, { tag: 'u', timeMs: -0, value: { key: 'k', v: 0.25 } });
    expect(underTest(es)).toEqual(reference(es));
  });
});
