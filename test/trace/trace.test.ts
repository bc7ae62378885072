import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { encodeEvent, traceHashOf, TraceLog, type TraceEvent } from '../../core/trace/index.ts';
import { canonicalJson, type JsonValue } from '../../core/model/index.ts';

const event = (timeMs: number, tag: 'run.ended' | 'record.emitted' = 'run.ended'): TraceEvent =>
  tag === 'run.ended'
    ? { tag, timeMs, status: 'FINISHED', reason: 'done' }
    : { tag, timeMs, task: 'map#0', attempt: 1, operator: 'map', value: { b: 1, a: [1, 'x'] }, timestamp: null };

const json = fc.jsonValue() as fc.Arbitrary<JsonValue>;

describe('TraceHash', () => {
  it('gives pinned answers, so a change of the words moves them visibly', () => {
    expect(traceHashOf([])).toBe(traceHashOf([]));
    expect(traceHashOf([])).toMatch(/^[0-9a-f]{16}$/);
    expect(traceHashOf([{ a: [1, 'x', null, true, 2.5] }])).toBe('4c10321aae1ba810');
    expect(traceHashOf(['hello world'])).toBe('d34bd36ebdb35248');
  });

  fcTest.prop([json])('depends only on the canonical JSON: key order, -0 and a round trip through the text do not matter', (v) => {
    expect(traceHashOf([JSON.parse(canonicalJson(v)) as JsonValue])).toBe(traceHashOf([v]));
  });

  fcTest.prop([json, json])('tells values with different canonical JSON apart', (a, b) => {
    fc.pre(canonicalJson(a) !== canonicalJson(b));
    expect(traceHashOf([a])).not.toBe(traceHashOf([b]));
  });

  it('keeps boundaries: neither concatenation nor nesting collide', () => {
    expect(traceHashOf(['ab'])).not.toBe(traceHashOf(['a', 'b']));
    expect(traceHashOf([[[1], 2]])).not.toBe(traceHashOf([[1, [2]]]));
    expect(traceHashOf([{ a: 'b' }])).not.toBe(traceHashOf([{ ab: '' }]));
    expect(traceHashOf([1])).not.toBe(traceHashOf([1.5]));
    expect(traceHashOf([0])).toBe(traceHashOf([-0]));
    expect(traceHashOf([2 ** 40])).not.toBe(traceHashOf([2 ** 40 + 1]));
  });

  it('hashes values of any depth', () => {
    let deep: JsonValue = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(traceHashOf([deep])).toMatch(/^[0-9a-f]{16}$/);
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

  it('hashes what its encoded lines hold: a trace file checks against the hash', () => {
    const log = new TraceLog({ level: 'full' });
    const events: TraceEvent[] = [event(1, 'record.emitted'), event(2), { tag: 'run.ended', timeMs: 3, status: 'FINISHED', reason: 'other' }, event(4, 'record.emitted')];
    for (const e of events) log.emit(e);
    const lines = events.map((e) => JSON.parse(encodeEvent(e)) as JsonValue);
    expect(log.hash()).toBe(traceHashOf(lines));
    expect(log.hash()).not.toBe(traceHashOf(lines.slice(0, 3)));
  });

  it('hashes an event whose fields differ from its tag\'s first one by its own fields', () => {
    const a = new TraceLog({ level: 'full' });
    const shaped = { tag: 'sink.wrote', timeMs: 1, task: 's#0', attempt: 1, operator: 's', sink: 's', value: 1, timestamp: null } as unknown as TraceEvent;
    const other = { ...shaped, topic: 't', sink: undefined } as unknown as TraceEvent;
    a.emit(shaped);
    a.emit(other);
    expect(a.hash()).toBe(traceHashOf([JSON.parse(encodeEvent(shaped)), JSON.parse(encodeEvent(other))]));
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
