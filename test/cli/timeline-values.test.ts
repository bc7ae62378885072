// A timeline line shows a value's first few hundred characters and how big the whole is;
// --json and --trace FILE keep it whole. And a long run's folded middle keeps its watermark
// lines, folding the records first.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weir } from './in-process.ts';
import { countValues, jsonText, MAX_VALUE_CHARS } from '../../cli/json-text.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'weir-timeline-values-'));

function doubling(times: number): unknown {
  let s: unknown = [];
  for (let i = 0; i < times; i++) s = { l: s, r: s };
  return s;
}

describe('jsonText', () => {
  it("is JSON.stringify's text up to the cut", () => {
    for (const v of [1, -0, 1.5, null, true, 'x"y\n', [1, undefined, 'a'], { a: undefined, b: 1, c: { d: [] } }, {}, [[[]]], 'é'.repeat(10), 'a'.repeat(MAX_VALUE_CHARS - 2)]) {
      expect(jsonText(v)).toBe(JSON.stringify(v));
    }
  });

  it('cuts a long string after MAX_VALUE_CHARS characters and says how long it is', () => {
    const text = jsonText('a'.repeat(5_000_000));
    expect(text).toBe(`"${'a'.repeat(MAX_VALUE_CHARS - 1)}…" (5,000,000 characters)`);
    // Its JSON one character over: cut too.
    expect(jsonText('b'.repeat(MAX_VALUE_CHARS - 1))).toBe(`"${'b'.repeat(MAX_VALUE_CHARS - 1)}…" (299 characters)`);
    expect(jsonText('b'.repeat(MAX_VALUE_CHARS - 2))).toBe(JSON.stringify('b'.repeat(MAX_VALUE_CHARS - 2)));
  });

  it('cuts a big list or object and counts its values as a tree, shared parts each time they appear', () => {
    const text = jsonText(doubling(22));
    expect(text.startsWith('{"l":{"l":')).toBe(true);
    expect(text).toMatch(/… \(8,388,607 values\)$/);
    expect(text.length).toBeLessThan(MAX_VALUE_CHARS + 30);
    expect(countValues(doubling(22))).toBe(2 ** 23 - 1);
    expect(countValues({ a: [1, 2, { b: null }], c: undefined })).toBe(6);
    const list = Array.from({ length: 1000 }, (_, i) => i);
    expect(jsonText(list)).toBe(`${JSON.stringify(list).slice(0, MAX_VALUE_CHARS)}… (1,001 values)`);
  });
});

describe('weir run and huge values', () => {
  it('a 5 MB string to a print sink (cases/80): the timeline line is short, --json and --trace keep it whole', async () => {
    const file = join(tmp, 'huge-string.json');
    const big = 'a'.repeat(5_000_000);
    writeFileSync(file, JSON.stringify({ format: 'weir/scenario@1', name: 'x', job: { name: 'j', operators: [{ id: 'seq', type: 'sequence', items: [{ value: big, timestamp: 1 }] }, { id: 'o', type: 'sink', input: 'seq', sink: { type: 'print' } }] } }));
    const r = await weir('run', file);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeLessThan(5000);
    expect(r.stdout).toContain(`      t=0  o> "${'a'.repeat(MAX_VALUE_CHARS - 1)}…" (5,000,000 characters) @1\n`);
    const json = await weir('run', file, '--json');
    expect(JSON.parse(json.stdout).sinks.o.committed[0].value === big).toBe(true);
    const trace = join(tmp, 'huge-string.trace');
    expect((await weir('run', file, '--trace', trace)).code).toBe(0);
    expect(readFileSync(trace, 'utf8')).toContain(JSON.stringify(big));
  });

  it('a state that doubles per record in one key (cases/79) fails its task cleanly, in short lines', async () => {
    const file = join(tmp, 'doubling.json');
    const items = Array.from({ length: 30 }, (_, i) => ({ value: { k: 'a', i }, timestamp: i }));
    writeFileSync(
      file,
      JSON.stringify({
        format: 'weir/scenario@1',
        name: 'doubling state',
        job: {
          name: 'j',
          operators: [
            { id: 'seq', type: 'sequence', items },
            { id: 'k', type: 'keyBy', input: 'seq', key: 'k' },
            { id: 'p', type: 'process', input: 'k', state: { s: { type: 'value', initial: [] } }, onElement: [{ set: 's', to: '{l: state.s, r: state.s}' }] },
            { id: 'o', type: 'sink', input: 'p', sink: { type: 'print' } },
          ],
        },
      }),
    );
    const started = performance.now();
    const r = await weir('run', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('status       FAILED');
    // It printed 109 MB, one line of 54 MB, before values were cut.
    expect(r.stdout.length).toBeLessThan(20_000);
    expect(r.stdout).toMatch(/set state s to \{"l":\{"l":.*… \(8,388,607 values\) for key "a"/);
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);
});

describe('the folded middle of a long run', () => {
  it('traffic-peak: the watermark lines of the back-pressure episode stay, in order; only the records are folded', async () => {
    const r = await weir('run', join(ROOT, 'scenarios', 'traffic-peak.json'));
    const lines = r.stdout.split('\n');
    const fold = lines.findIndex((l) => l.includes('… '));
    expect(lines[fold]).toBe('          … 3216 more lines from t=1046 to t=2831: 3216 sink.wrote (use --json or --trace FILE for everything)');
    const kept = lines.slice(300, fold);
    expect(kept).toEqual([
      '   t=1372  watermark reaches 994 at enrich#1',
      '   t=1451  watermark reaches 994 at enrich#0',
      '   t=1462  watermark reaches 999 at enrich#1',
      '   t=1578  watermark reaches 999 at enrich#0',
      '   t=2409  orders#0 no longer back-pressured (for 1409 ms)',
      '   t=2537  orders#1 no longer back-pressured (for 1537 ms)',
      '   t=2601  watermark reaches 2584 at enrich#1',
      '   t=2801  watermark reaches 2789 at enrich#1',
    ]);
    expect(lines.slice(fold + 1).filter((l) => /^ +t=\d+ /.test(l))).toHaveLength(100);
  });
});
