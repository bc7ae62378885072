import { test as fcTest, fc } from '@fast-check/vitest';
import { canonicalJson, canonicalJsonLength, type JsonValue } from '../../core/model/index.ts';
fcTest.prop([fc.jsonValue()], { numRuns: 2000 })('canonicalJsonLength equals the length of canonicalJson', (v) => {
  const value = JSON.parse(JSON.stringify(v)) as JsonValue;
  if (canonicalJsonLength(value) !== canonicalJson(value).length) throw new Error(JSON.stringify(value));
});
fcTest.prop([fc.string({ unit: 'binary' })])('strings with escapes and lone surrogates', (s) => {
  if (canonicalJsonLength(s) !== canonicalJson(s).length) throw new Error(JSON.stringify(s));
});
