// An `expect` block names sinks, tables, side outputs and dedup operators; one the job does not
// have is refused at its path, with the job's own names, instead of failing after the run
// ("found 0") or, with `count: 0`, passing for nothing.
import { describe, expect, it } from 'vitest';
import { formatIssue, validateScenario, type JsonValue } from '../../core/index.ts';

const operators: JsonValue[] = [
  { id: 'src', type: 'sequence', items: [{ value: { k: 'a', n: 1 }, timestamp: 0 }] },
  { id: 'byK', type: 'keyBy', input: 'src', key: 'k' },
  { id: 'perSecond', type: 'window', input: 'byK', assigner: { type: 'tumbling', size: 1000 }, aggregate: 'count', lateOutput: 'late' },
  { id: 'odd', type: 'process', input: 'src', onElement: [{ if: 'n % 2 == 1', then: [{ sideOutput: 'odds', value: '$' }] }] },
  { id: 'once', type: 'dedup', input: 'byK', key: 'k', bloom: { expectedItems: 100, falsePositiveRate: 0.01 } },
  { id: 'out', type: 'sink', input: 'perSecond', sink: { type: 'print' } },
  { id: 'table', type: 'sink', input: 'odd', sink: { type: 'idempotent', table: 'counts', key: 'k' } },
  { id: 'dropped', type: 'sink', input: 'once', sink: { type: 'print' } },
];

function issues(expectations: Record<string, JsonValue>): string[] {
  const result = validateScenario({ format: 'weir/scenario@1', name: 'names', job: { name: 'j', operators }, expect: expectations }, 'f.json');
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('expect names what the job has', () => {
  it('accepts the sinks, tables, side outputs (a window lateOutput, a nested sideOutput action) and dedup operators the job has', () => {
    expect(issues({ sinks: { out: { count: 0 }, table: {}, dropped: { count: 1 } }, tables: { counts: {} }, sideOutputs: { late: [], odds: [] }, dedup: { once: { dropped: 0 } } })).toEqual([]);
  });

  it('refuses a sink the job does not have, even with count 0, listing its sinks', () => {
    expect(issues({ sinks: { nosuch: { count: 0 } } })).toEqual(["f.json: $.expect.sinks.nosuch: the job has no sink 'nosuch' (its sinks: 'out', 'table', 'dropped')"]);
  });

  it('refuses a side output nothing writes and a dedup operator the job does not have; a table is not checked (a sink knob may change its kind)', () => {
    expect(issues({ tables: { count: {} }, sideOutputs: { lates: [] }, dedup: { out: { dropped: 1 } } })).toEqual([
      "f.json: $.expect.sideOutputs.lates: the job has no side output 'lates' (its side outputs: 'late', 'odds'; a window's or an intervalJoin's lateOutput and a process function's sideOutput action make them)",
      "f.json: $.expect.dedup.out: the job has no dedup operator 'out' (its dedup operators: 'once')",
    ]);
  });

  it('names a sink id that is not a plain word at its bracketed path', () => {
    expect(issues({ sinks: { 'o u t': { count: 1 } } })).toEqual([`f.json: $.expect.sinks["o u t"]: the job has no sink 'o u t' (its sinks: 'out', 'table', 'dropped')`]);
  });
});
