import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { encodeEvent, fnv64Hex, TraceLog, type TraceEvent } from '../../core/trace/index.ts';
import { canonicalJson, type JsonValue } from '../../core/model/index.ts';

/** FNV-1a 64 over UTF-16LE bytes with BigInt: slow and obviously right. */
function referenceFnv64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    for (const b of [c & 0xff, c >>> 8]) {
      h ^= BigInt(b);
      h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
    }
  }
  return h.toString(16).padStart(16, '0');
}

const event = (timeMs: number, tag: 'run.ended' | 'record.emitted' = 'run.ended'): TraceEvent =>
  tag === 'run.ended'
    ? { tag, timeMs, status: 'FINISHED', reason: 'done' }
    : { tag, timeMs, task: 'map#0', attempt: 1, operator: 'map', value: { b: 1, a: [1, 'x'] }, timestamp: null };

describe('fnv64Hex', () => {
  it('matches known answers', () => {
    expect(fnv64Hex('')).toBe('cbf29ce484222325');
    expect(fnv64Hex('a')).toBe('089be207b544f1e4');
    expect(fnv64Hex('hello world')).toBe('f7f81a3f5bd66ddd');
  });
  fcTest.prop([fc.string({ unit: 'binary', maxLength: 200 })])('equals a BigInt reference for any text', (text) => {
    expect(fnv64Hex(text)).toBe(referenceFnv64(text));
  });
});

describe('canonical encoding', () => {
  fcTest.prop([fc.dictionary(fc.string(), fc.jsonValue() as fc.Arbitrary<JsonValue>)])('does not depend on key insertion order', (obj) => {
    const reversed = Object.fromEntries(Object.entries(obj).reverse());
    expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
    expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
  });
  it('sorts keys and prints -0 as 0', () => {
    expect(canonicalJson({ b: -0, a: [true, null, 'é'] })).toBe('{"a":[true,null,"é"],"b":0}');
    expect(encodeEvent(event(3))).toBe('{"reason":"done","status":"FINISHED","tag":"run.ended","timeMs":3}');
  });
});

describe('TraceLog', () => {
  it('records by level: summary skips per-record events, off records nothing', () => {
    const full = new TraceLog({ level: 'full' });
    const summary = new TraceLog({ level: 'summary' });
    const off = new TraceLog({ level: 'off' });
    for (const log of [full, summary, off]) {
      log.emit(event(1, 'record.emitted'));
      log.emit(event(2));
    }
    expect(full.events.map((e) => e.tag)).toEqual(['record.emitted', 'run.ended']);
    expect(summary.events.map((e) => e.tag)).toEqual(['run.ended']);
    expect(off.count).toBe(0);
    expect(full.full && !summary.full).toBe(true);
  });

  it('hashes the encodings of recorded events, one per line', () => {
    const log = new TraceLog({ level: 'full' });
    log.emit(event(1, 'record.emitted'));
    log.emit(event(2));
    const text = encodeEvent(event(1, 'record.emitted')) + '\n' + encodeEvent(event(2)) + '\n';
    expect(log.hash()).toBe(referenceFnv64(text));
  });

  it('hashes the same without retaining events', () => {
    const a = new TraceLog({ level: 'full' });
    const b = new TraceLog({ level: 'full', retain: false });
    for (let i = 0; i < 10; i++) {
      a.emit(event(i));
      b.emit(event(i));
    }
    expect(b.hash()).toBe(a.hash());
    expect(b.events).toHaveLength(0);
    expect(b.count).toBe(10);
  });

  it('stops at its event limit', () => {
    const log = new TraceLog({ level: 'full', maxEvents: 2 });
    log.emit(event(1));
    log.emit(event(2));
    expect(() => log.emit(event(3))).toThrow(/maxTraceEvents/);
  });

  it('restores to a snapshot: count, events and hash', () => {
    const log = new TraceLog({ level: 'full' });
    log.emit(event(1));
    const snap = log.snapshot();
    const hash = log.hash();
    log.emit(event(2));
    log.restore(snap);
    expect(log.hash()).toBe(hash);
    expect(log.events).toHaveLength(1);
  });

  it('tells listeners about each recorded event', () => {
    const log = new TraceLog({ level: 'summary' });
    const seen: string[] = [];
    const stop = log.subscribe((e) => seen.push(e.tag));
    log.emit(event(1, 'record.emitted'));
    log.emit(event(2));
    stop();
    log.emit(event(3));
    expect(seen).toEqual(['run.ended']);
  });
});
