// "Find" in the playground: the same campaign as `weir check` (same runs, seed, limit, same
// shrunk plan and counterexample), stoppable, and the instant a faulty run's output first
// differs from the fault-free one; the session opens the counterexample and stands there.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Campaign, createSimulation, validateScenario, type JsonValue } from '../../core/index.ts';
import { runCampaign } from '../../core/testing.ts';
import { counterexampleDescription, describePlanFault, differenceText, findCounterexample, firstExtraRecordMs, firstFaultMs } from '../../playground/src/lib/find.ts';
import { compactJson } from '../../playground/src/lib/format.ts';
import { Session } from '../../playground/src/session.svelte.ts';

const load = (name: string) => JSON.parse(readFileSync(`scenarios/${name}.json`, 'utf8')) as Record<string, unknown>;
const quick = { now: () => performance.now(), pause: () => Promise.resolve() };

function runOf(data: unknown, seed: number, faults: boolean) {
  const result = validateScenario(faults ? data : { ...(data as object), faults: [] }, 'x.json');
  if (!result.ok) throw new Error('invalid');
  const sim = createSimulation({ scenario: result.scenario, seed });
  sim.run();
  return { report: sim.report(), events: sim.trace.events };
}

describe('findCounterexample', () => {
  it("finds what weir check finds: the same runs, the same shrunk plan, the same counterexample", async () => {
    for (const [name, seed, maxFaults] of [['checkpoint-recovery', 0, 3], ['exactly-once-vs-at-least-once', 5, 2], ['two-phase-commit-lifecycle', 1, 1]] as const) {
      const data = load(name);
      const file = `scenarios/${name}.json`;
      const cli = runCampaign(new Campaign(data, file, { runs: 30, seed, maxFaults }));
      const answer = await findCounterexample({ data, file, runs: 30, seed, maxFaults }, quick);
      if (!answer.ok) throw new Error(answer.message);
      expect(answer.summary).toMatchObject({ runs: cli.runs, violated: cli.violated, lost: cli.lost, duplicated: cli.duplicated, unexpected: cli.unexpected, shrinkSteps: cli.shrinkSteps });
      expect(answer.summary.plan).toEqual(cli.violation?.shrunk ?? null);
      expect(answer.summary.counterexample).toEqual(cli.counterexample);
    }
  });

  it('stops when asked, and says how many runs held', async () => {
    const data = load('two-phase-commit-lifecycle');
    let progressed = 0;
    // No faults at all: every run holds, so only the stop ends it early.
    const answer = await findCounterexample(
      { data, file: 'two-phase-commit-lifecycle.json', runs: 1000, seed: 0, maxFaults: 0 },
      { ...quick, sliceMs: 0, onProgress: () => progressed++, shouldStop: () => progressed >= 2 },
    );
    if (!answer.ok) throw new Error(answer.message);
    expect(answer.summary).toMatchObject({ stopped: true, violated: false, runs: 2 });
  });

  it('says why a scenario cannot be checked, without throwing', async () => {
    const answer = await findCounterexample({ data: { format: 'weir/scenario@1' }, file: 'bad.json', runs: 10, seed: 0, maxFaults: 1 }, quick);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.message).toContain('bad.json');
  });
});

describe('where a faulty run first differs', () => {
  it('is the first committed record the fault-free run has no more of: the window [0, 2000) written again after the restart', () => {
    const data = load('checkpoint-recovery');
    const reference = runOf(data, 1, false);
    const faulty = runOf(data, 1, true);
    const t = firstExtraRecordMs(reference.report, faulty.events);
    expect(t).not.toBeNull();
    // The kill is at 2500 and the restart at 3000: the duplicates come from the replay after it.
    expect(t!).toBeGreaterThanOrEqual(3000);
    const before = faulty.events.filter((e) => e.tag === 'sink.wrote' && e.timeMs < t!).length;
    expect(before).toBeGreaterThan(0);
    expect(firstExtraRecordMs(reference.report, reference.events)).toBeNull();
    expect(firstFaultMs(faulty.events)).toBe(2500);
  });

  it('ignores an idempotent sink writing a row again: its table is the same (read as a plain sink, the rewrite would count)', () => {
    const data = load('idempotent-sink');
    const reference = runOf(data, 1, false);
    const faulty = runOf(data, 1, true);
    const both = firstExtraRecordMs(reference.report, faulty.events);
    expect(both).not.toBeNull();
    expect(firstExtraRecordMs(reference.report, faulty.events, ['out'])).toBeNull();
  });
});

describe('the session', () => {
  const sessions: Session[] = [];
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.dispose();
  });

  it('finds, opens the counterexample, runs it and stands where its output first differs', async () => {
    let clock = 0;
    const s = new Session({
      env: { location: { pathname: '/', search: '?scenario=checkpoint-recovery&run=end', hash: '' }, history: null, indexedDB, now: () => (clock += 1), pause: () => Promise.resolve() },
      dbName: 'weir-test-find',
    });
    sessions.push(s);
    await s.start();
    await s.find(20, 0, 3);
    expect(s.finding).toBe(false);
    const answer = s.found?.answer;
    if (answer?.ok !== true || !answer.summary.violated) throw new Error('expected a violation');
    await s.openCounterexample();
    expect(s.scenarioName).toMatch(/^file\//);
    expect(s.outcome?.kind).toBe('done');
    expect(s.firstDifferenceMs).not.toBeNull();
    expect(s.transport.timeMs).toBe(s.firstDifferenceMs);
    // Its description is its own plan and finding, not the lesson's (which tells of counts#1 dying).
    const description = String((s.entry?.data as { description?: unknown }).description);
    const lesson = String((JSON.parse(readFileSync('scenarios/checkpoint-recovery.json', 'utf8')) as { description: string }).description);
    expect(description).not.toBe(lesson);
    for (const f of answer.summary.plan ?? []) expect(description).toContain(describePlanFault(f));
    expect(description).toMatch(/exactly-once breaks: .*(written twice|lost|never writes)/);
    // And the narration at the jump point says what differs there.
    expect(s.firstDifferenceText).toMatch(/^sink \S+ writes .*(a second time|never writes)|^the first fault strikes here/);
    expect(s.transport.noteAt(s.transport.timeMs)).toBe(s.firstDifferenceText);
    // The counterexample fails its own expectation, as `weir run` of it does.
    const cx = answer.summary.counterexample as JsonValue;
    const run = runOf(cx, (cx as { seed?: number }).seed ?? 0, true);
    expect(s.outcome?.kind === 'done' ? s.outcome.run.report.traceHash : '').toBe(run.report.traceHash);
  });
});

describe('a counterexample in words', () => {
  const summary = { runs: 20, violated: true, stopped: false, lost: 0, duplicated: 2, unexpected: 0, shrinkSteps: 4, plan: [{ type: 'crash-at', operator: 'out', subtask: 0, at: 1234, after: 3 }], counterexample: null };

  it('describes the plan and what the oracle found', () => {
    const text = counterexampleDescription(summary, 'scenarios/checkpoint-recovery.json');
    expect(text).toContain('scenarios/checkpoint-recovery.json (20 runs of `weir check`, the plan shrunk in 4 steps)');
    expect(text).toContain('exactly-once breaks: 2 records written twice.');
    expect(text).toContain('- `crash-at` on out#0 at 1,234 ms (after: 3)');
    expect(counterexampleDescription({ ...summary, duplicated: 0, lost: 1 }, 'f.json')).toContain('1 record lost');
  });

  it('says what differs at the first difference', () => {
    const value = { key: 'k2', count: 3 };
    expect(differenceText({ timeMs: 5, sink: 'out', value, duplicate: true }, 0)).toBe(
      `sink out writes ${compactJson(value, 80)} a second time: the run without faults writes it fewer times`,
    );
    expect(differenceText({ timeMs: 5, sink: 'out', value: 7, duplicate: false }, 0)).toBe('sink out writes 7, which the run without faults never writes');
    expect(differenceText(null, 2)).toBe('the first fault strikes here; 2 records the run without faults writes are never written');
    expect(differenceText(null, 0)).toBeNull();
  });
});
