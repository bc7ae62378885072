/**
 * A flatMap before a sliding window multiplies the records validation counted: the window
 * operator counts its assignments as the run goes and stops the run at the same bound,
 * exit 4, with the message validation gives (make the slide larger or the input smaller),
 * in seconds, where the run would otherwise go on for minutes.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { weir } from '../cli/in-process.ts';
import { MAX_WINDOW_ASSIGNMENTS } from '../../core/operators/index.ts';

const tmp = mkdtempSync(join(tmpdir(), 'weir-assign-'));

/** 200 records, each a list of `fanOut` numbers that the flatMap makes records of, into windows of size 1000 every 1 ms. */
function multiplied(fanOut: number): string {
  const path = join(tmp, `fan-out-${fanOut}.json`);
  const items = Array.from({ length: 200 }, (_, i) => ({ value: Array.from({ length: fanOut }, (_, j) => j), timestamp: i }));
  writeFileSync(
    path,
    JSON.stringify({
      format: 'weir/scenario@1',
      name: 'flatMap before a sliding window',
      job: {
        name: 'j',
        operators: [
          { id: 'src', type: 'sequence', items },
          { id: 'each', type: 'flatMap', input: 'src', expr: '$' },
          { id: 'k', type: 'keyBy', input: 'each', key: '$ % 2' },
          { id: 'w', type: 'window', input: 'k', assigner: { type: 'sliding', size: 1000, slide: 1 }, aggregate: 'count' },
          { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
        ],
      },
    }),
  );
  return path;
}

describe('window assignments past validation: a flatMap multiplies the input', () => {
  it('validation counts 200 records (200,000 assignments; the run would make 200,000,000), so it accepts the file', async () => {
    const r = await weir('validate', multiplied(1000));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the run stops at the bound with exit 4 and what to change, within seconds', async () => {
    const r = await weir('run', multiplied(1000), '--trace-level', 'off');
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      `weir: the run stopped: operator 'w': a sliding window of size 1000 every 1 ms puts each record in 1000 windows, and w#0 has made ${MAX_WINDOW_ASSIGNMENTS} window assignments (more records reached it than the input holds: an operator before it multiplies them); at most ${MAX_WINDOW_ASSIGNMENTS}: make the slide larger or the input smaller\n`,
    );
  }, 60_000);

  it('below the bound the same job runs to the end', async () => {
    const r = await weir('run', multiplied(10), '--trace-level', 'off');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('FINISHED');
  });
});
