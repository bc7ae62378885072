// Two configurations side by side (issue 10, item 6): the choices offered for B (one knob
// each, valid only), the diff of two runs' committed output as multisets (fast-check), and a
// session in Node comparing exactly-once with at-least-once under the scenario's fault.
import 'fake-indexeddb/auto';
import { fc, test as fcTest } from '@fast-check/vitest';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type RunReport } from '../../core/index.ts';
import { compareChoices, describeRow, diffRuns, firstDifferenceMs, tableSinksOf } from '../../playground/src/lib/compare-configs.ts';
import { applyKnob } from '../../playground/src/lib/knobs.ts';
import { MomentCursor, momentAt, eventsUpTo } from '../../playground/src/lib/moment.ts';
import { Session, type SessionEnv } from '../../playground/src/session.svelte.ts';

const scenario = (name: string): unknown => JSON.parse(readFileSync(`scenarios/${name}.json`, 'utf8'));
const valid = (data: unknown): boolean => validateScenario(data, 'f.json').ok;

function scenarioOf(data: unknown): ReturnType<typeof validateScenario> & { ok: true } {
  const checked = validateScenario(data, 'f.json');
  if (!checked.ok) throw new Error(checked.issues.map((i) => i.message).join('\n'));
  return checked;
}

function run(data: unknown): { report: RunReport; events: ReturnType<typeof createSimulation>['trace']['events'] } {
  const checked = validateScenario(data, 'f.json');
  if (!checked.ok) throw new Error(checked.issues.map((i) => i.message).join('\n'));
  const sim = createSimulation({ scenario: checked.scenario });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

describe('compareChoices', () => {
  it('offers one change per knob, each a valid scenario that differs from A only there', () => {
    const doc = scenario('two-phase-commit-lifecycle');
    const choices = compareChoices(doc, valid);
    expect(new Set(choices.map((c) => c.id)).size).toBe(choices.length);
    expect(choices.map((c) => c.label)).toEqual(
      expect.arrayContaining(['sink out: at-least-once instead of two-phase-commit', 'checkpoint mode at-least-once instead of exactly-once', 'unaligned checkpoints instead of aligned', 'parallelism 1 instead of 2']),
    );
    for (const c of choices) {
      const b = applyKnob(doc, c.change);
      expect(valid(b), c.label).toBe(true);
      expect(JSON.stringify(b), c.label).not.toBe(JSON.stringify(doc));
    }
    // A write-ahead log needs checkpoints: not offered where there are none.
    const plain = scenario('hello-map-filter');
    expect(compareChoices(plain, valid).some((c) => c.id.endsWith(':write-ahead-log'))).toBe(false);
    expect(compareChoices(plain, valid).some((c) => c.id === 'checkpointing:on')).toBe(true);
  });
});

describe('diffRuns', () => {
  const record = fc.record({ value: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom('a', 'b')), timestamp: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }) });
  const report = (records: { value: number | string; timestamp: number | null }[]): RunReport => ({ sinks: { out: { committed: records, uncommitted: [] } } }) as unknown as RunReport;

  fcTest.prop([fc.array(record, { maxLength: 30 }), record])('a run against itself differs nowhere; one record more in B is one row, only in B or duplicated in B', (records, extra) => {
    expect(diffRuns(report(records), report([...records].reverse()))[0]!.rows).toEqual([]);
    const rows = diffRuns(report(records), report([...records, extra]))[0]!.rows;
    expect(rows).toHaveLength(1);
    const before = records.filter((r) => JSON.stringify(r) === JSON.stringify({ value: extra.value, timestamp: extra.timestamp })).length;
    expect(rows[0]).toMatchObject({ value: extra.value, timestamp: extra.timestamp, inA: before, inB: before + 1, kind: before === 0 ? 'only-b' : 'more-in-b' });
    expect(describeRow(rows[0]!).text).toMatch(before === 0 ? /^only in B/ : /^duplicated in B/);
  });

  it('exactly-once against at-least-once under the scenario fault: B writes the replayed results twice', () => {
    const doc = scenario('two-phase-commit-lifecycle');
    const a = run(doc);
    const b = run(applyKnob(doc, { knob: 'sink', index: 3, value: 'at-least-once' }));
    const [out] = diffRuns(a.report, b.report);
    expect(out!.committedB - out!.committedA).toBe(out!.rows.reduce((n, r) => n + r.inB - r.inA, 0));
    expect(out!.rows.length).toBeGreaterThan(0);
    expect(out!.rows.every((r) => r.kind === 'more-in-b' && r.inA === 1 && r.inB === 2)).toBe(true);
    const first = firstDifferenceMs(a, b);
    expect(first).not.toBeNull();
    // B's at-least-once writes are visible at once: the first difference is B's first write of a record more often than A ever commits it.
    const inA = new Map<string, number>();
    for (const r of a.report.sinks['out']!.committed) inA.set(JSON.stringify(r.value), (inA.get(JSON.stringify(r.value)) ?? 0) + 1);
    let expected: number | null = null;
    for (const e of b.events) {
      if (e.tag !== 'sink.wrote') continue;
      const key = JSON.stringify(e.value);
      const left = inA.get(key) ?? 0;
      if (left === 0) {
        expected = e.timeMs;
        break;
      }
      inA.set(key, left - 1);
    }
    expect(first).toBe(expected);
    expect(firstDifferenceMs(a, a)).toBeNull();
  });
});

describe('diffRuns of an idempotent sink', () => {
  // idempotent-sink.json: the kill at 2,500 ms replays the window [0, 2000), so the sink upserts
  // those four rows twice; its table, what a reader sees, holds each once.
  const doc = scenario('idempotent-sink');
  const a = run(doc);
  const tablesA = tableSinksOf(scenarioOf(doc).scenario);

  it('finds an idempotent sink whatever its id, __proto__ too', () => {
    const renamed = JSON.parse(JSON.stringify(doc).replaceAll('"out"', '"__proto__"')) as unknown;
    const tables = tableSinksOf(scenarioOf(renamed).scenario);
    expect(Object.hasOwn(tables, '__proto__')).toBe(true);
    expect(tables['__proto__']).toBe(tablesA['out']);
  });

  it('is judged by its table: the same rows as an exactly-once sink, fewer than an at-least-once one', () => {
    expect(tablesA).toEqual({ out: expect.any(String) });
    const rowsA = Object.keys(a.report.tables[tablesA['out']!]!).length;
    expect(rowsA).toBe(16);
    expect(a.report.sinks['out']!.committed.length).toBeGreaterThan(rowsA);
    for (const [kind, same] of [['two-phase-commit', true], ['at-least-once', false]] as const) {
      const bDoc = applyKnob(doc, { knob: 'sink', index: 3, value: kind });
      const b = run(bDoc);
      const [out] = diffRuns(a.report, b.report, tablesA, tableSinksOf(scenarioOf(bDoc).scenario));
      expect(out, kind).toMatchObject({ sink: 'out', byTable: true, committedA: rowsA });
      if (same) expect(out!.rows, kind).toEqual([]);
      else {
        expect(out!.rows.length, kind).toBeGreaterThan(0);
        expect(out!.rows.every((r) => r.kind === 'more-in-b' && r.inA === 1 && r.inB === 2 && r.timestamp === null), kind).toBe(true);
      }
    }
    // Without saying which sink writes a table, its replayed upserts would read as duplicates.
    const b = run(applyKnob(doc, { knob: 'sink', index: 3, value: 'two-phase-commit' }));
    expect(diffRuns(a.report, b.report)[0]!.rows.every((r) => r.kind === 'more-in-a')).toBe(true);
  });
});

describe('MomentCursor', () => {
  it('reads the same moment as a fold from the start, forwards and back', () => {
    const { events } = run(scenario('checkpoint-recovery'));
    const cursor = new MomentCursor(events);
    for (const t of [0, 1200, 2600, 900, 5000, 5000, 100]) {
      const moment = cursor.at(t);
      const fresh = momentAt(events, eventsUpTo(events, t), t);
      expect({ ...moment, last: null }).toEqual({ ...fresh, last: null });
    }
  });
});

describe('a session compares two configurations', () => {
  const sessions: Session[] = [];
  let counter = 0;
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.dispose();
  });
  const env = (search: string): SessionEnv => {
    let clock = 0;
    return { location: { pathname: '/', search, hash: '' }, history: null, indexedDB, now: () => (clock += 1), pause: () => Promise.resolve() };
  };

  it('runs B on the same seed and plan, again after a fault is added, and forgets it with another scenario', async () => {
    const s = new Session({ env: env('?scenario=two-phase-commit-lifecycle&run=end'), dbName: `weir-test-compare-${++counter}` });
    sessions.push(s);
    await s.start();
    const choice = s.compareOptions.find((c) => c.label === 'sink out: at-least-once instead of two-phase-commit')!;
    await s.compareWith(choice.id);
    const first = s.configComparison!;
    expect(first.problem).toBeNull();
    expect(first.diff[0]!.rows.every((r) => r.kind === 'more-in-b')).toBe(true);
    expect(first.b!.report.traceHash).toBe(run(applyKnob(scenario('two-phase-commit-lifecycle'), choice.change)).report.traceHash);
    // A fault added to A joins B's plan too.
    s.transport.seek(1200);
    await s.breakAt('kill-task', s.outcome?.kind === 'done' ? s.outcome.run.report.jobGraph.vertices[1]!.id + '#0' : '');
    const second = s.configComparison!;
    expect(second.b!.report.faults.length).toBe(first.b!.report.faults.length + 1);
    expect(second.b!.report.traceHash).not.toBe(first.b!.report.traceHash);
    s.pick('late-data');
    expect(s.configComparison).toBeNull();
  });
});
