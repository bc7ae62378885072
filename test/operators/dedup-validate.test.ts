// Validation of the dedup operator and of `expect.dedup`: each mistake names its JSON
// path and what is wrong.
import { describe, expect, it } from 'vitest';
import { checkExpectations, createSimulation, formatIssue, validateScenario, type JsonValue } from '../../core/index.ts';

const seq = { id: 'src', type: 'sequence', items: [{ value: { id: 'a' }, timestamp: 0 }, { value: { id: 'a' }, timestamp: 1 }, { value: { id: 'b' }, timestamp: 2 }] };
const sink = { id: 'out', type: 'sink', input: 'd', sink: { type: 'print' } };
const base = (dedup: Record<string, JsonValue>, extra: Record<string, JsonValue> = {}): JsonValue => ({
  format: 'weir/scenario@1',
  name: 'dedup',
  job: { name: 'job', operators: [seq, { id: 'd', type: 'dedup', input: 'src', key: 'id', ...dedup }, sink] },
  ...extra,
});

function issues(input: JsonValue): string[] {
  const result = validateScenario(input, 'f.json');
  return result.ok ? [] : result.issues.map(formatIssue);
}

const at = '\\$\\.job\\.operators\\[1\\]';

describe('validating dedup', () => {
  it('accepts a Bloom filter and an exact set', () => {
    const bloom = validateScenario(base({ bloom: { expectedItems: 1000, falsePositiveRate: 0.01 } }), 'f.json');
    expect(bloom.ok && bloom.scenario.job.operators[1]).toMatchObject({ type: 'dedup', key: 'id', filter: { mode: 'bloom', expectedItems: 1000, falsePositiveRate: 0.01 } });
    const exact = validateScenario(base({ exact: true }), 'f.json');
    expect(exact.ok && exact.scenario.job.operators[1]).toMatchObject({ type: 'dedup', filter: { mode: 'exact' } });
  });

  const cases: [string, Record<string, JsonValue>, RegExp][] = [
    ['neither bloom nor exact', {}, new RegExp(`f\\.json: ${at}\\.bloom: operator 'd' needs 'bloom': .*or "exact": true`)],
    ['both bloom and exact', { bloom: { expectedItems: 10, falsePositiveRate: 0.1 }, exact: true }, new RegExp(`${at}: operator 'd': give either 'bloom' .* not both`)],
    ['exact that is not true', { exact: false }, new RegExp(`${at}\\.exact: expected true .*found boolean false`)],
    ['bloom that is not an object', { bloom: 1000 }, new RegExp(`${at}\\.bloom: expected a Bloom filter description`)],
    ['a missing expectedItems', { bloom: { falsePositiveRate: 0.1 } }, new RegExp(`${at}\\.bloom\\.expectedItems: missing required field 'expectedItems'`)],
    ['expectedItems 0', { bloom: { expectedItems: 0, falsePositiveRate: 0.1 } }, new RegExp(`${at}\\.bloom\\.expectedItems: must be between 1 and`)],
    ['fractional expectedItems', { bloom: { expectedItems: 10.5, falsePositiveRate: 0.1 } }, new RegExp(`${at}\\.bloom\\.expectedItems: expected a whole number between 1 and 100000000, found number 10\\.5`)],
    ['a missing falsePositiveRate', { bloom: { expectedItems: 10 } }, new RegExp(`${at}\\.bloom\\.falsePositiveRate: missing required field`)],
    ['falsePositiveRate 0', { bloom: { expectedItems: 10, falsePositiveRate: 0 } }, new RegExp(`${at}\\.bloom\\.falsePositiveRate: expected a probability strictly between 0 and 1 .*found number 0`)],
    ['falsePositiveRate 1', { bloom: { expectedItems: 10, falsePositiveRate: 1 } }, new RegExp(`${at}\\.bloom\\.falsePositiveRate: expected a probability strictly between 0 and 1`)],
    ['falsePositiveRate as a string', { bloom: { expectedItems: 10, falsePositiveRate: '1%' } }, new RegExp(`${at}\\.bloom\\.falsePositiveRate: expected a probability .*found the string "1%"`)],
    ['a misspelt bloom field', { bloom: { expectedItems: 10, falsePositiveRate: 0.1, hashes: 3 } }, new RegExp(`${at}\\.bloom\\.hashes: unknown field 'hashes'`)],
    ['a filter too big to simulate', { bloom: { expectedItems: 100_000_000, falsePositiveRate: 0.001 } }, new RegExp(`${at}\\.bloom: a Bloom filter for 100000000 items .* needs 1437758757 bits; a simulation allows at most 268435456`)],
    ['a key that does not parse', { key: 'id +', exact: true }, new RegExp(`${at}\\.key: operator 'd': expression does not parse`)],
    ['a missing key', { key: undefined as unknown as JsonValue, exact: true }, new RegExp(`${at}\\.key: missing required field 'key'`)],
    ['a misspelt field', { exact: true, exat: true }, new RegExp(`${at}\\.exat: unknown field 'exat'`)],
  ];
  for (const [what, fields, pattern] of cases) {
    it(`reports ${what}`, () => {
      const input = base(fields) as { job: { operators: Record<string, JsonValue>[] } };
      if ('key' in fields && fields['key'] === undefined) delete input.job.operators[1]!['key'];
      const found = issues(input as unknown as JsonValue);
      expect(found.some((i) => pattern.test(i)), found.join('\n')).toBe(true);
    });
  }

  it('is no longer "not supported by this version"', () => {
    expect(issues(base({ exact: true }))).toEqual([]);
  });

  it('allows a network-delay into a dedup at equal parallelism (its input is hash-partitioned, not chained)', () => {
    const input = base({ exact: true }, { faults: [{ type: 'network-delay', from: 'src', to: 'd', extra: 5, for: 10, at: 0 }] });
    expect(issues(input)).toEqual([]);
  });
});

describe('expect.dedup', () => {
  const withExpect = (dedup: JsonValue): JsonValue => base({ bloom: { expectedItems: 10, falsePositiveRate: 0.1 } }, { expect: { dedup } });

  it('reports a counter that is not a whole number, an unknown counter, and an empty block', () => {
    const found = issues(withExpect({ d: { dropped: -1, falsePositive: 0 }, e: {} })).join('\n');
    expect(found).toMatch(/\$\.expect\.dedup\.d\.dropped: must be at least 0, found -1/);
    expect(found).toMatch(/\$\.expect\.dedup\.d\.falsePositive: unknown field 'falsePositive'/);
    expect(found).toMatch(/\$\.expect\.dedup\.e: expected at least one of keysSeen, dropped, falsePositives, memoryBytes/);
  });

  it('refuses before the run a dedup the job does not have', () => {
    expect(issues(withExpect({ nope: { dropped: 0 } }))).toEqual(["f.json: $.expect.dedup.nope: the job has no dedup operator 'nope' (its dedup operators: 'd')"]);
  });

  it('is checked against the report, naming the counter that differs', () => {
    const result = validateScenario(withExpect({ d: { keysSeen: 2, dropped: 5, falsePositives: 0 } }), 'f.json');
    if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
    const sim = createSimulation({ scenario: result.scenario });
    sim.run();
    const failures = checkExpectations(result.scenario.expect!, sim.report()).map((f) => `${f.path}: ${f.message}`);
    expect(failures).toEqual(['$.expect.dedup.d.dropped: expected 5, the run\'s bloom dedup shows 1']);
  });
});
