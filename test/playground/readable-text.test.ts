// Text made for reading: a record's value as fields (never a word cut in two), the exact
// JSON broken only after commas, a very long JSON path shortened in the middle, counts with
// their noun, watermarks grouped as every other figure.
import { describe, expect, it } from 'vitest';
import { countOf, formatWatermark } from '../../playground/src/lib/format.ts';
import { shortenPaths } from '../../playground/src/lib/issue-text.ts';
import { exactJson, jsonPieces, readableRecord, recordFields } from '../../playground/src/lib/record-text.ts';

describe('recordFields / readableRecord', () => {
  it("reads a window's count as its fields, the window as an interval", () => {
    const value = { key: 'a', window: { start: 0, end: 1000 }, value: 2 };
    expect(recordFields(value)).toEqual([
      { name: 'key', text: 'a' },
      { name: 'window', text: '[0, 1,000)' },
      { name: 'value', text: '2' },
    ]);
    expect(readableRecord(value)).toBe('key a · window [0, 1,000) · value 2');
  });

  it('groups big integers, keeps fractions and flags as they are, spaces nested JSON at its boundaries', () => {
    expect(readableRecord({ amount: 105330, ratio: 0.25, large: false, tags: ['x', 'y'], at: { lat: 1, lon: 2, alt: 3 } })).toBe(
      'amount 105,330 · ratio 0.25 · large false · tags ["x", "y"] · at {"lat": 1, "lon": 2, "alt": 3}',
    );
    expect(readableRecord({ s: '' })).toBe('s ""');
  });

  it('reads anything but an object as JSON, and never writes a field longer than a cell is for', () => {
    expect(recordFields(5)).toBeNull();
    expect(recordFields([1, 2])).toBeNull();
    expect(recordFields({})).toBeNull();
    expect(readableRecord([1, 2])).toBe('[1, 2]');
    expect(readableRecord('hi')).toBe('"hi"');
    const long = recordFields({ s: 'x'.repeat(500) })!;
    expect(long[0]!.text.length).toBe(120);
    expect(long[0]!.text.endsWith('…')).toBe(true);
    const wide = recordFields(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, i])))!;
    expect(wide).toHaveLength(13);
    expect(wide[12]).toEqual({ name: '…', text: '8 more fields' });
  });

  it('keeps the exact JSON whole up to 2,000 characters, in pieces that end after a comma', () => {
    const value = { key: 'a', window: { start: 0, end: 1000 }, value: 2 };
    expect(exactJson(value)).toBe('{"key":"a","window":{"start":0,"end":1000},"value":2}');
    const pieces = jsonPieces(exactJson(value));
    expect(pieces).toEqual(['{"key":"a",', '"window":{"start":0,', '"end":1000},', '"value":2}']);
    expect(pieces.join('')).toBe(exactJson(value));
    expect(exactJson({ s: 'y'.repeat(1_500) })).not.toContain('…');
  });
});

describe('shortenPaths', () => {
  it('shortens a path of 128 steps in the middle and says how deep it was', () => {
    const path = `$${'.a'.repeat(128)}`;
    const issue = `shared link (#s=): ${path}: nested more than 128 levels deep`;
    expect(shortenPaths(issue)).toBe('shared link (#s=): $.a.a.a … .a.a (128 levels): nested more than 128 levels deep');
  });

  it('counts index and quoted steps, and leaves short paths and other dollars alone', () => {
    const path = `$.job.operators[2]${'["odd key"]'.repeat(4)}.x.y`;
    expect(shortenPaths(`f.json: ${path}: bad`)).toBe('f.json: $.job.operators[2] … .x.y (9 levels): bad');
    expect(shortenPaths('f.json: $.job.operators[2].type: expected one of map, filter')).toBe('f.json: $.job.operators[2].type: expected one of map, filter');
    expect(shortenPaths("emit '$' costs $5")).toBe("emit '$' costs $5");
  });
});

describe('countOf', () => {
  it('says one thing in the singular, any other count in the plural', () => {
    expect(countOf(1, 'checkpoint')).toBe('1 checkpoint');
    expect(countOf(0, 'restart')).toBe('0 restarts');
    expect(countOf(1200, 'entry', 'entries')).toBe('1,200 entries');
  });
});

describe('formatWatermark', () => {
  it('groups a watermark as every other figure on the page', () => {
    expect(formatWatermark(1099)).toBe('1,099');
    expect(formatWatermark(102197)).toBe('102,197');
    expect(formatWatermark(-1)).toBe('-1');
    expect(formatWatermark(Number.MAX_SAFE_INTEGER)).toBe('+∞ (end of input)');
    expect(formatWatermark(null)).toBe('—');
  });
});
