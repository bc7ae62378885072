// The readable summary of `weir run` says how many of the plan's faults fired and names
// those that never did: such a fault leaves no line in the timeline, and before this the
// run printed FINISHED as if it had survived it. In process.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/entry.ts';
import { faultLines } from '../../cli/timeline-faults.ts';
import type { FaultSpec, RunReport } from '../../core/index.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'weir-fault-summary-'));
const recovery = JSON.parse(readFileSync(join(ROOT, 'scenarios', 'checkpoint-recovery.json'), 'utf8')) as Record<string, unknown>;

async function run(faults: unknown[]): Promise<{ code: number; stdout: string }> {
  const path = join(tmp, `s${Math.random().toString(36).slice(2)}.json`);
  const scenario = { ...recovery, faults };
  delete (scenario as Record<string, unknown>)['expect'];
  writeFileSync(path, JSON.stringify(scenario));
  let stdout = '';
  const code = await main(['run', path], { out: (t) => void (stdout += t), err: () => undefined });
  return { code, stdout };
}

describe('the summary line about faults', () => {
  it('names a fault whose time never came, and when the run ended', async () => {
    const r = await run([{ type: 'kill-task', operator: 'counts', subtask: 0, at: 1_000_000_000_000 }]);
    expect(r.code).toBe(0);
    const end = /^virtual time (\d+) ms$/m.exec(r.stdout)![1];
    expect(r.stdout).toMatch(/^status {7}FINISHED$/m);
    expect(r.stdout).toContain(`\nfaults       0 of 1 fired; $.faults[0] kill-task at t=1000000000000 never fired (the run ended at t=${end})\n`);
  });

  it('counts the faults that fired, and names only the others', async () => {
    const r = await run([
      { type: 'kill-task', operator: 'counts', subtask: 0, at: 2500 },
      { type: 'kill-task', operator: 'counts', subtask: 1, afterRecords: 1_000_000_000 },
    ]);
    expect(r.stdout).toMatch(/^faults {7}1 of 2 fired; \$\.faults\[1\] kill-task after 1000000000 records never fired \(the run ended at t=\d+\)$/m);
    expect(r.stdout).not.toMatch(/\$\.faults\[0\].*never fired/);
  });

  it('says only the count when every fault fired, and nothing without faults', async () => {
    expect((await run([{ type: 'kill-task', operator: 'counts', subtask: 0, at: 2500 }])).stdout).toMatch(/^faults {7}1 of 1 fired$/m);
    expect((await run([])).stdout).not.toMatch(/^faults /m);
  });

  it('says what a checkpoint fault waited for', () => {
    const report = { virtualTime: 900, faults: [
      { type: 'crash-at', path: '$.faults[0]', fired: false, firedAt: null, point: 'commit' },
      { type: 'fail-checkpoint', path: '$.faults[1]', fired: false, firedAt: null },
    ] } as unknown as RunReport;
    const specs = [
      { type: 'crash-at', operator: 'out', subtask: 0, point: 'commit', checkpoint: 3, atMs: 0, afterRecords: null, path: '$.faults[0]' },
      { type: 'fail-checkpoint', checkpoint: 7, operator: null, subtask: 0, atMs: 0, afterRecords: null, path: '$.faults[1]' },
    ] as FaultSpec[];
    expect(faultLines(report, specs)).toEqual(['faults       0 of 2 fired; $.faults[0] crash-at at commit of checkpoint 3 never fired; $.faults[1] fail-checkpoint of checkpoint 7 never fired (the run ended at t=900)']);
  });
});
