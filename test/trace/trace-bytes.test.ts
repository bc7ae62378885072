// The trace's size is bounded, not only its event count: events carry values (at level
// full each state.updated carries the state's new value), so a state that doubles with
// each record makes a huge trace in a few hundred events. The limit counts the words the
// trace hash reads anyway, four bytes each, and stops the run with exit 4.
import { describe, expect, it } from 'vitest';
import { LimitExceededError } from '../../core/kernel/index.ts';
import { TraceLog, type TraceEvent } from '../../core/trace/index.ts';
import { weir } from '../cli/in-process.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'weir-trace-bytes-'));

const ended = (timeMs: number, reason: string): TraceEvent => ({ tag: 'run.ended', timeMs, status: 'FINISHED', reason });

/** A keyed process function whose state holds itself twice: it doubles with each record. */
function doublingScenario(keys: number, records: number, limits?: Record<string, number>): string {
  const file = join(tmp, `doubling-${keys}-${records}-${limits === undefined ? 'default' : Object.values(limits).join('-')}.json`);
  const scenario = {
    format: 'weir/scenario@1',
    name: 'doubling state',
    topics: { t: { partitions: 1, generator: { count: records, interval: 1, keys, value: '{key: key, i: i}' } } },
    job: {
      name: 'j',
      operators: [
        { id: 'src', type: 'source', topic: 't', watermarks: { strategy: 'bounded-out-of-orderness', maxOutOfOrderness: 10 } },
        { id: 'k', type: 'keyBy', input: 'src', key: 'key' },
        { id: 'p', type: 'process', input: 'k', state: { s: { type: 'value', initial: [] } }, onElement: [{ set: 's', to: '{l: state.s, r: state.s}' }] },
        { id: 'o', type: 'sink', input: 'p', sink: { type: 'print' } },
      ],
    },
    ...(limits === undefined ? {} : { run: { limits } }),
  };
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe('TraceLog maxBytes', () => {
  it('counts four bytes per hashed word and stops at the event that passes the limit, naming it', () => {
    const free = new TraceLog({ level: 'full' });
    free.emit(ended(1, 'x'));
    const one = free.bytes;
    expect(one).toBeGreaterThan(0);
    expect(one % 4).toBe(0);
    free.emit(ended(2, 'x'.repeat(1000)));
    // A string is hashed two UTF-16 code units to a word: 1000 of them are 500 words, 'x' is 1.
    expect(free.bytes - one).toBe(one + 4 * 499);

    const log = new TraceLog({ level: 'full', maxBytes: one * 2 });
    log.emit(ended(1, 'x'));
    log.emit(ended(1, 'x'));
    let error: unknown;
    try {
      log.emit(ended(7, 'y'));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LimitExceededError);
    expect((error as LimitExceededError).limit).toBe('maxTraceBytes');
    expect((error as Error).message).toBe(
      `limit maxTraceBytes = ${one * 2} reached after 2 trace events of ${one * 2} bytes, at a run.ended event of ${one} bytes (t=7 ms); if the run is meant to be that large, raise it with weir run --max-trace-bytes N or the scenario's run.limits.maxTraceBytes, or record fewer events with --trace-level summary or off`,
    );
  });

  it('holds whether or not the log keeps its events, and does not change the hash', () => {
    const kept = new TraceLog({ level: 'full', maxBytes: 10_000 });
    const counted = new TraceLog({ level: 'full', retain: false, maxBytes: 100 });
    const unbounded = new TraceLog({ level: 'full' });
    kept.emit(ended(1, 'x'));
    unbounded.emit(ended(1, 'x'));
    expect(kept.hash()).toBe(unbounded.hash());
    expect(() => counted.emit(ended(1, 'x'.repeat(200)))).toThrow(/limit maxTraceBytes = 100 reached/);
  });

  it('at level summary the advice is only what would help: off, or raising the limit', () => {
    const log = new TraceLog({ level: 'summary', maxBytes: 4 });
    expect(() => log.emit(ended(1, 'x'))).toThrow(/raise it with weir run --max-trace-bytes N or the scenario's run\.limits\.maxTraceBytes, or record fewer events with --trace-level off$/);
    const events = new TraceLog({ level: 'summary', maxEvents: 1 });
    events.emit(ended(1, 'x'));
    expect(() => events.emit(ended(1, 'x'))).toThrow(/run\.limits\.maxTraceEvents, or record fewer events with --trace-level off$/);
  });
});

describe('weir run and a trace that grows faster than its events', () => {
  it('a state doubling per record in 10 keys (cases/62) stops on maxTraceBytes in seconds, exit 4, saying what to change', async () => {
    const started = performance.now();
    const r = await weir('run', doublingScenario(10, 2000));
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^weir: the run stopped: limit maxTraceBytes = 1000000000 reached after \d+ trace events of \d+ bytes, at a state\.updated event of \d+ bytes \(t=\d+ ms\); if the run is meant to be that large, raise it with weir run --max-trace-bytes N or the scenario's run\.limits\.maxTraceBytes, or record fewer events with --trace-level summary or off\n$/);
    // It took 62 s and 3.2 GB, then a V8 abort, before the trace was bounded.
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);

  it("run.limits.maxTraceBytes and --max-trace-bytes set it, the flag beating the file; at summary the run ends as the job does", async () => {
    const file = doublingScenario(1, 30, { maxTraceBytes: 100_000 });
    const limited = await weir('run', file);
    expect(limited.code).toBe(4);
    expect(limited.stderr).toMatch(/limit maxTraceBytes = 100000 reached/);
    const raised = await weir('run', file, '--max-trace-bytes', '2000000000', '--json');
    // One key doubles until the value limit fails its task: a clean task failure, exit 0.
    expect(raised.code).toBe(0);
    expect(JSON.parse(raised.stdout).status).toBe('FAILED');
    expect((await weir('run', file, '--trace-level', 'summary')).code).toBe(0);
    expect((await weir('run', file, '--max-trace-bytes', '0')).stderr).toMatch(/--max-trace-bytes must be a whole number from 1 to/);
  }, 120_000);

  it('the shipped 100,000-record run stays far below the default', async () => {
    const r = await weir('run', join(ROOT, 'bench', 'scenarios', 'windowed-100k.json'), '--max-trace-bytes', '500000000', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).traceLevel).toBe('full');
    expect(readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8')).toContain('`windowed-100k` (100,000 records, 417,750 events at `full`) makes 143 MB');
  }, 120_000);
});
