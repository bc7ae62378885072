import { test as fcTest, fc } from '@fast-check/vitest';
import { canonicalJson, canonicalJsonLength, type JsonValue } from '../../core/model/index.ts';
fcTest.prop([fc.jsonValue()], { numRuns: 2000 })('canonicalJsonLength equals the length of canonicalJson', (v) => {
  const value = JSON.parse(JSON.stringify(v)) as JsonValue;
  if (canonicalJsonLength(value) !== canonicalJson(value).length) throw new Error(JSON.stringify(value));
});
fcTest.prop([fc.string({ unit: 'binary' })])('strings with escapes and lone surrogates', (s) => {
  if (canonicalJsonLength(s) !== canonicalJson(s).length) throw new Error(JSON.stringify(s));
});

import { cloneJson } from '../../core/model/index.ts';
fcTest.prop([fc.jsonValue()], { numRuns: 1000 })('cloneJson copies deeply: equal, and sharing no object with the original', (v) => {
  const value = JSON.parse(JSON.stringify(v)) as JsonValue;
  const copy = cloneJson(value);
  if (canonicalJson(copy) !== canonicalJson(value)) throw new Error('not equal');
  const objects = (x: unknown, out: Set<unknown>) => {
    if (typeof x === 'object' && x !== null) {
      out.add(x);
      for (const y of Object.values(x)) objects(y, out);
    }
    return out;
  };
  const a = objects(value, new Set());
  for (const o of objects(copy, new Set())) if (a.has(o)) throw new Error('shares an object');
});
fcTest.prop([fc.constant(0)])('cloneJson keeps a __proto__ key as an own property', () => {
  const value = JSON.parse('{"__proto__": {"x": 1}}') as JsonValue;
  const copy = cloneJson(value) as Record<string, unknown>;
  if (!Object.hasOwn(copy, '__proto__') || Object.getPrototypeOf(copy) !== Object.prototype) throw new Error('prototype changed');
});
