/**
 * Operator (non-keyed) list state in scenario files, after Flink's CheckpointedFunction
 * docs (the BufferingSink example) and its OperatorStateStore: a process function on a
 * stream that is not keyed keeps a list per subtask, which a checkpoint saves and a restore
 * gives back; on a rescale `list` items are dealt out among the new subtasks and
 * `union-list` items go to every one of them. Flink's ProcessFunction has no key, so no
 * keyed state and no timers, which validation refuses with the place.
 */
import { describe, expect, it, test } from 'vitest';
import { createSimulation, formatIssue, validateScenario, type JsonValue, type RunReport, type Scenario } from '../../../core/index.ts';

type Obj = Record<string, JsonValue>;

// Records 0..59 every 50 ms on six partitions (so every subtask reads some, at parallelism 2 and 3); the buffer flushes every third record of a subtask.
const BUFFER: Obj = {
  id: 'batch',
  type: 'process',
  input: 'src',
  operatorState: { pending: { type: 'list' } },
  onElement: [
    { add: 'pending', value: 'n' },
    { if: 'len(state.pending) >= 3', then: [{ emit: '{batch: state.pending}' }, { clear: 'pending' }] },
  ],
};

function scenario(extra: Obj = {}, config: Obj = {}, op: Obj = BUFFER): Scenario {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'operator state',
      seed: 5,
      config: { parallelism: 2, ...config },
      topics: { events: { partitions: 6, generator: { count: 60, interval: 50, keys: 6, value: '{n: i}' } } },
      job: {
        name: 'buffering',
        operators: [
          { id: 'src', type: 'source', topic: 'events', watermarks: { strategy: 'monotonous' } },
          op,
          { id: 'out', type: 'sink', input: op['id']!, sink: { type: 'two-phase-commit', topic: 'out' } },
        ],
      },
      ...extra,
    } as JsonValue,
    'ops.json',
  );
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  return result.scenario;
}

function run(s: Scenario): RunReport {
  const sim = createSimulation({ scenario: s });
  sim.run();
  return sim.report();
}

/** Every record number in the committed batches, sorted; each batch's size. */
const numbers = (r: RunReport): number[] => r.sinks['out']!.committed.flatMap((x) => (x.value as { batch: number[] }).batch).sort((a, b) => a - b);
const sizes = (r: RunReport): number[] => r.sinks['out']!.committed.map((x) => (x.value as { batch: number[] }).batch.length);

describe('operator list state in a scenario (a non-keyed process function)', () => {
  const clean = run(scenario());

  it('buffers per subtask and flushes in batches; what is left at the end stays in the buffer', () => {
    expect(clean.status).toBe('FINISHED');
    expect(sizes(clean).every((n) => n === 3)).toBe(true);
    expect(numbers(clean).length).toBe(60 - (60 % 3 === 0 ? 0 : 60 % 3));
    expect(new Set(numbers(clean)).size).toBe(numbers(clean).length);
    // The graph has no hash edge: the stream is not keyed.
    expect(clean.jobGraph.edges.map((e) => e.partitioner)).not.toContain('hash');
  });

  it('a kill after a checkpoint: the buffer comes back from the checkpoint, and every record is committed once', () => {
    const faulty = run(scenario({ faults: [{ type: 'kill-task', operator: 'batch', subtask: 0, at: 1000 }] }, { checkpointing: { interval: 400 }, restartStrategy: { type: 'fixed-delay', attempts: 3, delay: 20 } }));
    expect(faulty.status).toBe('FINISHED');
    expect(faulty.restarts.length).toBe(1);
    // Checkpoint 2 (at 800) holds record 15 in subtask 0's buffer: a restore that lost it would lose the record.
    expect(faulty.restarts[0]!.restoredFrom).toBe(2);
    expect(numbers(faulty)).toEqual(numbers(run(scenario({}, { checkpointing: { interval: 400 } }))));
  });

  const rescaled = (mode: 'list' | 'union-list'): RunReport =>
    run(
      scenario(
        { actions: [{ at: 1010, type: 'stop-with-savepoint' }, { at: 1300, type: 'resume', parallelism: 3 }] },
        {},
        { ...BUFFER, operatorState: { pending: { type: mode } } },
      ),
    );

  it('list (split) state rescaled from 2 to 3 subtasks: the saved items are dealt out, none lost, none doubled', () => {
    const report = rescaled('list');
    expect(report.status).toBe('FINISHED');
    expect(report.jobGraph.vertices.find((v) => v.operators.includes('batch'))!.parallelism).toBe(3);
    const all = numbers(report);
    expect(new Set(all).size).toBe(all.length);
    // Records before the savepoint (at 1010: 0..20) were in batches or in the saved buffers, which the new subtasks flush with their next records.
    expect(all.filter((n) => n <= 20)).toEqual(Array.from({ length: 21 }, (_, i) => i));
    // Only what the end leaves buffered is missing: at most 2 per subtask.
    expect(all.length).toBeGreaterThanOrEqual(60 - 2 * 3);
  });

  it('union-list state rescaled from 2 to 3: every new subtask gets every saved item, so they are emitted more than once', () => {
    const split = numbers(rescaled('list'));
    const union = numbers(rescaled('union-list'));
    expect(union.length).toBeGreaterThan(split.length);
    const counts = new Map<number, number>();
    for (const n of union) counts.set(n, (counts.get(n) ?? 0) + 1);
    expect([...counts.values()].some((c) => c >= 2)).toBe(true);
  });

  it('a keyed process function may keep operator state beside its keyed state', () => {
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'both',
        config: { parallelism: 1 },
        job: {
          name: 'both',
          operators: [
            { id: 'src', type: 'sequence', items: [1, 2, 1, 3].map((value, i) => ({ value, timestamp: i })) },
            { id: 'byKey', type: 'keyBy', input: 'src', key: '$' },
            { id: 'both', type: 'process', input: 'byKey', state: { count: { type: 'value', initial: 0 } }, operatorState: { seen: { type: 'list' } }, onElement: [{ set: 'count', to: 'state.count + 1' }, { add: 'seen', value: 'key' }, { emit: '{key: key, count: state.count, seenHere: len(state.seen)}' }] },
            { id: 'out', type: 'sink', input: 'both', sink: { type: 'print' } },
          ],
        },
      } as JsonValue,
      'both.json',
    );
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const out = run(result.scenario).sinks['out']!.committed.map((r) => r.value);
    expect(out).toEqual([
      { key: 1, count: 1, seenHere: 1 },
      { key: 2, count: 1, seenHere: 2 },
      { key: 1, count: 2, seenHere: 3 },
      { key: 3, count: 1, seenHere: 4 },
    ]);
  });

  it('the same seed twice gives the same report', () => {
    expect(run(scenario())).toEqual(clean);
  });
});

describe('mistakes in operator state, each at its path', () => {
  function problems(op: Obj): string[] {
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'bad',
        job: { name: 'bad', operators: [{ id: 'src', type: 'sequence', items: [{ value: 1, timestamp: 0 }] }, { id: 'p', type: 'process', input: 'src', onElement: [{ emit: '$' }], ...op }, { id: 'out', type: 'sink', input: 'p', sink: { type: 'print' } }] },
      } as JsonValue,
      'bad.json',
    );
    return result.ok ? [] : result.issues.map(formatIssue);
  }
  const at = 'bad.json: $.job.operators[1]';

  test('a type that is not a list, a bad name, an unknown field, not an object', () => {
    expect(problems({ operatorState: { buf: { type: 'map' } } })).toEqual([
      `${at}.operatorState.buf.type: operator state is a list: "list" (Flink's getListState: on restore the items are dealt out among the subtasks) or "union-list" (getUnionListState: every subtask gets them all), found the string "map"`,
    ]);
    expect(problems({ operatorState: { __proto__: { type: 'list' } } as unknown as Obj })[0]).toBeUndefined();
    expect(problems({ operatorState: JSON.parse('{"__proto__": {"type": "list"}}') as Obj })[0]).toContain(`${at}.operatorState.__proto__: an operator state name is a plain name`);
    expect(problems({ operatorState: { 'my-buf': { type: 'list' } } })[0]).toContain('an operator state name is a plain name');
    expect(problems({ operatorState: { buf: { type: 'list', size: 3 } } })[0]).toContain(`${at}.operatorState.buf.size: unknown field 'size'`);
    expect(problems({ operatorState: ['buf'] })[0]).toContain(`${at}.operatorState: expected an object of operator list states`);
  });

  test('a name that is also a keyed state', () => {
    expect(problems({ operatorState: { n: { type: 'list' } }, state: { n: { type: 'value' } } })).toContain(
      `${at}.operatorState.n: 'n' names a keyed state already; keyed and operator state share the names expressions read (state.n): choose another name`,
    );
  });

  test('operator state takes the list verbs only; an undeclared one is named with the declared ones', () => {
    expect(problems({ operatorState: { buf: { type: 'list' } }, onElement: [{ put: 'buf', key: '"a"', value: '1' }] })[0]).toContain("'put' works on map state, but 'buf' is a list state");
    expect(problems({ operatorState: { buf: { type: 'list' } }, onElement: [{ add: 'bfu', value: '1' }] })[0]).toContain("state 'bfu' is not declared (declared: buf)");
  });

  test('a process function on a stream that is not keyed may not have onTimer', () => {
    expect(problems({ operatorState: { buf: { type: 'list' } }, onTimer: [{ emit: '1' }] })).toEqual([
      `${at}.input: operator 'p': onTimer needs a keyed stream (keyed state and timers are per key), but its input 'src' is a sequence; put a keyBy between them`,
    ]);
  });
});
