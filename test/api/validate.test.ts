import { describe, expect, it } from 'vitest';
import { formatIssue, parseScenarioText, validateScenario, type JsonValue } from '../../core/index.ts';

const base = (operators: JsonValue[], extra: Record<string, JsonValue> = {}): JsonValue => ({
  format: 'weir/scenario@1',
  name: 'test',
  job: { name: 'job', operators },
  ...extra,
});
const seq = { id: 'src', type: 'sequence', items: [{ value: 1, timestamp: 0 }] };
const sink = (input = 'src') => ({ id: 'out', type: 'sink', input, sink: { type: 'print' } });

function issues(input: JsonValue): string[] {
  const result = validateScenario(input, 'f.json');
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('validateScenario', () => {
  it('accepts a minimal scenario and fills in defaults', () => {
    const result = validateScenario(base([seq, sink()]), 'f.json');
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.scenario.seed).toBe(0);
      expect(result.scenario.config.autoWatermarkIntervalMs).toBe(200);
      expect(result.scenario.cluster.networkLatencyMs).toBe(1);
    }
  });

  const cases: [string, JsonValue, RegExp][] = [
    ['a wrong format', { ...(base([seq, sink()]) as object), format: 'weir/scenario@2' }, /f\.json: \$\.format: expected "weir\/scenario@1"/],
    ['an unknown operator type', base([seq, { id: 'x', type: 'teleport', input: 'src' }, sink('x')]), /\$\.job\.operators\[1\]\.type: unknown operator type 'teleport'/],
    ['a dangling input', base([seq, sink('nowhere')]), /\$\.job\.operators\[1\]\.input: operator 'out' reads from 'nowhere', which is not an operator/],
    [
      'a cycle',
      base([seq, { id: 'a', type: 'map', input: 'b', expr: '$' }, { id: 'b', type: 'map', input: 'a', expr: '$' }, sink()]),
      /the operators form a cycle: (a -> b -> a|b -> a -> b)/,
    ],
    ['a duplicate id', base([seq, { id: 'src', type: 'map', input: 'src', expr: '$' }, sink()]), /duplicate operator id 'src'/],
    ['parallelism below 1', base([seq, { id: 'm', type: 'map', input: 'src', expr: '$', parallelism: 0 }, sink('m')]), /\$\.job\.operators\[1\]\.parallelism: must be between 1 and/],
    [
      'parallelism above maxParallelism',
      base([seq, { id: 'm', type: 'map', input: 'src', expr: '$', parallelism: 9 }, sink('m')], { config: { maxParallelism: 8 } }),
      /\$\.job\.operators\[1\]\.parallelism: must be at most config\.maxParallelism \(8\), found 9/,
    ],
    ['an expression that does not parse (with its column)', base([seq, { id: 'm', type: 'map', input: 'src', expr: 'v * (2 +' }, sink('m')]), /\$\.job\.operators\[1\]\.expr: operator 'm': expression does not parse: .*column \d+/],
    ['a misspelt field', base([seq, { id: 'm', type: 'map', input: 'src', exrp: '$' }, sink('m')]), /\$\.job\.operators\[1\]\.exrp: unknown field 'exrp'/],
    ['reading from a sink', base([seq, sink(), { id: 'm', type: 'map', input: 'out', expr: '$' }]), /reads from the sink 'out'/],
    ['no sink', base([seq, { id: 'm', type: 'map', input: 'src', expr: '$' }]), /the job has no sink/],
    ['a sequence with parallelism 2', base([{ ...seq, parallelism: 2 }, sink()]), /parallelism is 1, found 2/],
    ['a bad sequence item', base([{ id: 'src', type: 'sequence', items: [{ val: 1 }] }, sink()]), /\$\.job\.operators\[0\]\.items\[0\]: an item needs "value"/],
    ['an unknown sink type', base([seq, { id: 'out', type: 'sink', input: 'src', sink: { type: 'kafka' } }]), /\.sink\.type: unknown sink type 'kafka' \(known: print, two-phase-commit, write-ahead-log, idempotent, at-least-once\)/],
    ['a two-phase-commit sink without a topic', base([seq, { id: 'out', type: 'sink', input: 'src', sink: { type: 'two-phase-commit' } }]), /\.sink\.topic: missing required field 'topic'/],
    [
      'a transaction timeout of 0',
      base([seq, { id: 'out', type: 'sink', input: 'src', sink: { type: 'two-phase-commit', topic: 'o', transactionTimeout: 0 } }]),
      /\.sink\.transactionTimeout: .*at least 1/,
    ],
    ['an idempotent sink without a key', base([seq, { id: 'out', type: 'sink', input: 'src', sink: { type: 'idempotent', table: 't' } }]), /\.sink\.key: an idempotent sink upserts rows by a key/],
    ['an idempotent sink without a table', base([seq, { id: 'out', type: 'sink', input: 'src', sink: { type: 'idempotent', key: 'k' } }]), /\.sink\.table: missing required field 'table'/],
    ['a write-ahead-log sink without checkpointing', base([seq, { id: 'out', type: 'sink', input: 'src', sink: { type: 'write-ahead-log', topic: 'o' } }]), /\.sink\.type: a write-ahead-log sink .* set config\.checkpointing/],
    [
      'a sink writing to the topic its source reads',
      base([{ id: 's', type: 'source', topic: 't', watermarks: { strategy: 'monotonous' } }, { id: 'out', type: 'sink', input: 's', sink: { type: 'at-least-once', topic: 't' } }], { topics: { t: { partitions: 1, records: [] } } }),
      /operators\[1\]\.sink\.topic: sink 'out' writes to topic 't', which source 's' reads/,
    ],
    [
      'a sink writing to a topic with input records',
      base([seq, { id: 'out', type: 'sink', input: 'src', sink: { type: 'at-least-once', topic: 't' } }], { topics: { t: { partitions: 1, records: [{ partition: 0, value: 1 }] } } }),
      /\.sink\.topic: sink 'out' writes to topic 't', which \$\.topics gives input records/,
    ],
    ['an unknown field of a sink', base([seq, { id: 'out', type: 'sink', input: 'src', sink: { type: 'at-least-once', topic: 'o', table: 'x' } }]), /\.sink\.table: unknown field/],
    [
      'a watermark strategy missing its bound',
      base([{ id: 's', type: 'source', topic: 't', watermarks: { strategy: 'bounded-out-of-orderness' } }, sink('s')], { topics: { t: { partitions: 1, records: [] } } }),
      /\$\.job\.operators\[0\]\.watermarks\.maxOutOfOrderness: the bounded-out-of-orderness strategy needs its bound/,
    ],
    [
      'a source of an unknown topic',
      base([{ id: 's', type: 'source', topic: 'nope', watermarks: { strategy: 'monotonous' } }, sink('s')]),
      /\$\.job\.operators\[0\]\.topic: operator 's' reads topic 'nope', which is not in \$\.topics/,
    ],
    [
      'a topic record in a partition that does not exist',
      base([{ id: 's', type: 'source', topic: 't', watermarks: { strategy: 'monotonous' } }, sink('s')], { topics: { t: { partitions: 2, records: [{ partition: 2, value: 1 }] } } }),
      /\$\.topics\.t\.records\[0\]\.partition: must be between 0 and 1, found 2/,
    ],
    [
      'a topic whose append times go back',
      base([{ id: 's', type: 'source', topic: 't', watermarks: { strategy: 'monotonous' } }, sink('s')], {
        topics: { t: { partitions: 1, records: [{ value: 1, at: 10 }, { value: 2, at: 5 }] } },
      }),
      /\$\.topics\.t\.records\[1\]\.at: partition 0 is append-only/,
    ],
    [
      'a window on an unkeyed stream',
      base([seq, { id: 'w', type: 'window', input: 'src', assigner: { type: 'tumbling', size: 1000 }, aggregate: 'count' }, sink('w')]),
      /\$\.job\.operators\[1\]\.input: operator 'w': a window needs a keyed stream .*put a keyBy between them/,
    ],
    [
      'a window size of 0',
      base([seq, { id: 'k', type: 'keyBy', input: 'src', key: '$' }, { id: 'w', type: 'window', input: 'k', assigner: { type: 'tumbling', size: 0 }, aggregate: 'count' }, sink('w')]),
      /\$\.job\.operators\[2\]\.assigner\.size: /,
    ],
    [
      'a process function with a timer on an unkeyed stream',
      base([seq, { id: 'p', type: 'process', input: 'src', onElement: [{ emit: '$' }, { if: 'true', then: [{ timer: 'event', at: '$timestamp' }] }] }, sink('p')]),
      /\$\.job\.operators\[1\]\.input: operator 'p': a timer action \(onElement\[1\]\.then\[0\]\) needs a keyed stream \(keyed state and timers are per key\), but its input 'src' is a sequence; put a keyBy between them/,
    ],
    [
      'a process function with keyed state on an unkeyed stream',
      base([seq, { id: 'p', type: 'process', input: 'src', state: { n: { type: 'value' } }, onElement: [{ emit: '$' }] }, sink('p')]),
      /operator 'p': keyed state \('n'\) needs a keyed stream/,
    ],
    ['a union of one stream', base([seq, { id: 'u', type: 'union', input: ['src'] }, sink('u')]), /a union reads a list of at least two operator ids/],
  ];
  for (const [what, input, expected] of cases) {
    it(`names the file, the path and the problem for ${what}`, () => {
      const found = issues(input);
      expect(found.length).toBeGreaterThan(0);
      expect(found.join('\n')).toMatch(expected);
      for (const line of found) expect(line).toMatch(/^f\.json: \$/);
    });
  }

  it('reports bad JSON with its position', () => {
    const result = parseScenarioText('{"format": ', 'broken.json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatIssue(result.issues[0]!)).toMatch(/^broken\.json: \$: not valid JSON/);
  });

  it('reports every mistake at once, not just the first', () => {
    const found = issues(base([{ id: 'src', type: 'sequence', items: [] }, { id: 'm', type: 'map', input: 'src', expr: '(' }, { id: 'o', type: 'sink', input: 'zzz', sink: { type: 'print' } }]));
    expect(found.length).toBeGreaterThanOrEqual(2);
  });
});
