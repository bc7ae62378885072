// The fuzz property of the command line: fast-check builds hostile scenarios (mutations of
// the shipped ones at a random place: deep and huge values, names that are also
// Object.prototype names, extreme and inexact numbers, wrong types, duplicate keys, missing
// fields) and every case must get a clean answer from `weir validate` and `weir run`: exit
// 0, 2, 3 or 4, never 1, never a stack trace, within a time and memory bound, and validate
// and run agree on whether the input is valid. Cases go through the command's own entry
// function in this process (a child process per case would cost more than the case).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { main } from '../../cli/entry.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'weir-fuzz-'));
const shipped = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')) as unknown);

/** Small limits keep every case short: a run that reaches them answers 4, which is a clean answer. */
const LIMIT_FLAGS = ['--max-steps', '200000', '--max-trace-events', '20000'];
// A hang detector, not a speed test (speed is measured in benchmarks): a case stopped by the limits above takes well under a second on an idle machine.
const CASE_MS = 30_000;
const HEAP_BYTES = 1.5 * 1024 ** 3;

type Path = (string | number)[];

/** Every place in a value (each object field, each list item), up to `max` of them, breadth first. */
function placesOf(value: unknown, max = 4000): Path[] {
  const out: Path[] = [];
  const queue: [unknown, Path][] = [[value, []]];
  while (queue.length > 0 && out.length < max) {
    const [v, path] = queue.shift()!;
    if (typeof v !== 'object' || v === null) continue;
    const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of keys) {
      out.push([...path, k]);
      queue.push([(v as Record<string | number, unknown>)[k], [...path, k]]);
    }
  }
  return out;
}

/** Text spliced in place of a marker string, for what JSON.stringify cannot write or JSON.parse would lose. */
const RAW: Record<string, () => string> = {
  deepList: () => '['.repeat(20_000) + ']'.repeat(20_000),
  deepObject: () => '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
  inexact: () => '9007199254740993',
  huge: () => '1e300',
  tiny: () => '-1e300',
  negativeZero: () => '-0',
};

const hostileName = fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'zähler', 'a-b', '_', 'x'.repeat(5000));

const hostileValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, '', [], {}, 'x'),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'zähler', '\u0000', '\ud800', 'a'.repeat(100_000)),
  fc.constantFrom(...Object.keys(RAW)).map((k) => `@@RAW:${k}@@`),
  fc.integer({ min: 0, max: 200_000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  fc.jsonValue({ maxDepth: 3 }),
);

type Mutation =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'rename'; at: number; name: string }
  | { kind: 'duplicate-key'; at: number }
  /** Every string equal to the one at `at` (as a value or as a key) becomes `name`: an id, topic or tag renamed consistently. */
  | { kind: 'rename-everywhere'; at: number; name: string }
  /** The number at `at` (or the first number after it) becomes `value`: the input stays valid more often. */
  | { kind: 'number'; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: hostileValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), name: fc.constantFrom('__proto__', 'constructor', 'toString', '', 'zähler', 'a'.repeat(10_000)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate-key' as const), at: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('rename-everywhere' as const), at: fc.nat(), name: hostileName }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('number' as const), at: fc.nat(), value: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(2 ** 31, 2 ** 53 - 1, -(2 ** 53) + 1, 1e15)) }) },
);

function valueAt(doc: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], doc);
}

/** Replaces the string `from` by `to` wherever it is a whole string value or an object key, with an explicit stack. */
function renameEverywhere(doc: unknown, from: string, to: string): void {
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v !== 'object' || v === null) continue;
    const o = v as Record<string | number, unknown>;
    for (const k of Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)) {
      if (o[k] === from) o[k] = to;
      stack.push(o[k]);
      if (k === from) {
        const x = o[k];
        delete o[k];
        Object.defineProperty(o, to, { value: x, enumerable: true, writable: true, configurable: true });
      }
    }
  }
}

/** The scenario text after the mutations, each applied at a place of the value as it is then. */
function mutate(base: unknown, mutations: readonly Mutation[]): string {
  const doc = structuredClone(base) as Record<string, unknown>;
  let duplicate: string | null = null;
  for (const m of mutations) {
    const places = placesOf(doc);
    if (places.length === 0) break;
    const path = places[m.at % places.length]!;
    const parent = valueAt(doc, path.slice(0, -1)) as Record<string | number, unknown>;
    const key = path[path.length - 1]!;
    if (m.kind === 'set') parent[key] = m.value;
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.kind === 'rename' && !Array.isArray(parent)) {
      const v = parent[key];
      delete parent[key];
      Object.defineProperty(parent, m.name, { value: v, enumerable: true, writable: true, configurable: true });
    } else if (m.kind === 'duplicate-key' && typeof key === 'string') duplicate = key;
    else if (m.kind === 'rename-everywhere') {
      const from = typeof parent[key] === 'string' ? (parent[key] as string) : typeof key === 'string' ? key : null;
      if (from !== null && from !== m.name) renameEverywhere(doc, from, m.name);
    } else if (m.kind === 'number') {
      const at = places.findIndex((p, i) => i >= m.at % places.length && typeof valueAt(doc, p) === 'number');
      if (at >= 0) {
        const p = places[at]!;
        (valueAt(doc, p.slice(0, -1)) as Record<string | number, unknown>)[p[p.length - 1]!] = m.value;
      }
    }
  }
  let text = JSON.stringify(doc);
  text = text.replace(/"@@RAW:(\w+)@@"/g, (_, k: string) => RAW[k]!());
  if (duplicate !== null) text = text.replace(`${JSON.stringify(duplicate)}:`, `${JSON.stringify(duplicate)}:0,${JSON.stringify(duplicate)}:`);
  return text;
}

async function answer(args: string[]): Promise<{ code: number; err: string; ms: number }> {
  let err = '';
  const started = performance.now();
  const code = await main(args, { out: () => {}, err: (t) => void (err += t) });
  return { code, err, ms: performance.now() - started };
}

let cases = 0;

function replay(): { seed?: number; path?: string } {
  const seed = process.env['WEIR_FUZZ_SEED'];
  const path = process.env['WEIR_FUZZ_PATH'];
  return { ...(seed === undefined ? {} : { seed: Number(seed) }), ...(path === undefined ? {} : { path }) };
}

it('every hostile scenario gets exit 0, 2, 3 or 4, no stack trace, in bounded time and memory; validate and run agree', async () => {
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: shipped.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 2 }), async (which, mutations) => {
      const file = join(tmp, `case-${cases++ % 8}.json`);
      writeFileSync(file, mutate(shipped[which], mutations));
      if (process.env['WEIR_FUZZ_KEEP']) writeFileSync(process.env['WEIR_FUZZ_KEEP'], mutate(shipped[which], mutations));
      const validated = await answer(['validate', file]);
      const ran = await answer(['run', file, '--json', ...LIMIT_FLAGS]);
      if (process.env['WEIR_FUZZ_LOG']) console.log('codes', validated.code, ran.code);
      for (const a of [validated, ran]) {
        expect([0, 2, 3, 4], a.err).toContain(a.code);
        expect(a.err).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
        expect(a.ms, a.err).toBeLessThan(CASE_MS);
      }
      expect(validated.code === 2, `validate said ${validated.code}, run said ${ran.code}: ${ran.err}`).toBe(ran.code === 2);
      if (validated.code === 2) expect(validated.err).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\$`));
      expect(process.memoryUsage().heapUsed).toBeLessThan(HEAP_BYTES);
    }),
    // A failure prints its seed and path; WEIR_FUZZ_SEED and WEIR_FUZZ_PATH replay it.
    { numRuns: Number(process.env['WEIR_FUZZ_RUNS'] ?? 150), ...replay() },
  );
}, 240_000 + Number(process.env['WEIR_FUZZ_RUNS'] ?? 0) * 1000);
