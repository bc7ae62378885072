// The coverage of a check that found a violation counts the shrink's runs too, in a column of
// their own: the shrink of late-data.json's first run (two kill-taskmanagers) ends at a single
// kill-task, a type the campaign's one run never drew, and the table must not call it
// "never fired" beside a counterexample in which it fires.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Campaign } from '../../core/index.ts';
import { runCampaign } from '../../core/testing.ts';
import { smallJob } from './jobs.ts';

const LATE_DATA = new URL('../../scenarios/late-data.json', import.meta.url);

describe('the coverage of a shrunk violation', () => {
  const result = runCampaign(new Campaign(JSON.parse(readFileSync(LATE_DATA, 'utf8')), 'late-data.json', { runs: 20, seed: 0, maxFaults: 3 }));

  it("counts the campaign's runs and the shrink's apart", () => {
    expect(result.violated).toBe(true);
    const v = result.violation!;
    expect(v.drawn.map((f) => f['type'])).not.toContain('kill-task');
    expect(v.shrunk.map((f) => f['type'])).toEqual(['kill-task']);
    // The campaign's counts are the campaign's: its one run drew no kill-task.
    expect(result.coverage.types['kill-task']).toEqual({ planned: 0, fired: 0 });
    const shrink = result.coverage.shrink!;
    expect(shrink.runs).toBe(v.shrinkRuns);
    expect(shrink.types['kill-task']!.fired).toBeGreaterThan(0);
    for (const c of Object.values(shrink.types)) expect(c.fired).toBeLessThanOrEqual(c.planned);
  });

  it('never calls a fault type of the counterexample never fired', () => {
    for (const f of result.violation!.shrunk) expect(result.coverage.neverFired).not.toContain(f['type']);
    // What fired nowhere is still listed.
    expect(result.coverage.neverFired).toContain('network-delay');
  });

  it('has no shrink column when every run held', () => {
    const held = runCampaign(new Campaign(smallJob({ type: 'two-phase-commit', topic: 'results' }), '2pc.json', { runs: 5, seed: 5, maxFaults: 3 }));
    expect(held.violated).toBe(false);
    expect(held.coverage.shrink).toBeNull();
  });

  it('the readable table labels both columns and which runs they count', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'weir-shrink-cov-')), 'ce.json');
    const r = spawnSync(process.execPath, ['cli/weir.mjs', 'check', LATE_DATA.pathname, '--runs', '20', '--out', out], { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^coverage \(faults planned \/ fired, in the 1 campaign run and in the \d+ runs of the shrink\):$/m);
    expect(r.stdout).toMatch(/^ +campaign +shrink$/m);
    expect(r.stdout).toMatch(/^ {2}kill-task +0 \/ 0 +[1-9]\d* \/ [1-9]\d*$/m);
    expect(r.stdout).not.toMatch(/never fired: .*\bkill-task\b/);
  });
});
