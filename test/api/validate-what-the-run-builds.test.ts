// What the run builds before it starts, validation builds too (ValidationOptions), so that
// `weir validate` and `weir run` give the same answer: a generated topic whose value
// expression fails on one record, and a JobGraph that only the client's parallelism breaks.
import { describe, expect, it } from 'vitest';
import { createSimulation, formatIssue, JobGraphError, validateScenario, type JsonValue, type ValidationOptions } from '../../core/index.ts';

const generated = (value: string): JsonValue => ({
  format: 'weir/scenario@1',
  name: 'generated',
  topics: { clicks: { partitions: 1, generator: { count: 20, interval: 10, keys: 2, value } } },
  job: {
    name: 'j',
    operators: [
      { id: 'src', type: 'source', topic: 'clicks', watermarks: { strategy: 'monotonous' } },
      { id: 'out', type: 'sink', input: 'src', sink: { type: 'print' } },
    ],
  },
});

function issues(input: JsonValue, options: ValidationOptions): string[] {
  const result = validateScenario(input, 'f.json', options);
  return result.ok ? [] : result.issues.map(formatIssue);
}

describe('a generator whose value expression fails on a record', () => {
  const failing = generated('{user: key, page: 10 / (i - 5)}');
  const said = "f.json: $.topics.clicks.generator.value: topic 'clicks': the generator's value failed with seed 0: division by zero (10 / 0)";

  it('is refused with generateTopics, at the path and with the message the run gives', () => {
    expect(issues(failing, { client: { parallelism: null }, generateTopics: true })).toEqual([said]);
    const shapeOnly = validateScenario(failing, 'f.json', { client: { parallelism: null } });
    expect(shapeOnly.ok).toBe(true);
    if (!shapeOnly.ok) return;
    let thrown: unknown = null;
    try {
      createSimulation({ scenario: shapeOnly.scenario });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(JobGraphError);
    expect(`f.json: ${(thrown as JobGraphError).path}: ${(thrown as JobGraphError).message}`).toBe(said);
  });

  it('generates without a client too, and a generator that never fails passes', () => {
    expect(issues(failing, { generateTopics: true })).toEqual([said]);
    expect(issues(generated('{user: key, page: 10 / (i + 1)}'), { client: { parallelism: null }, generateTopics: true })).toEqual([]);
  });
});

describe('a JobGraph that only the client parallelism makes too large', () => {
  const job: JsonValue = {
    format: 'weir/scenario@1',
    name: 'p',
    job: {
      name: 'j',
      operators: [
        { id: 'numbers', type: 'sequence', items: [{ value: 1, timestamp: 0 }] },
        { id: 'triple', type: 'map', input: 'numbers', expr: '$ * 3' },
        { id: 'out', type: 'sink', input: 'triple', sink: { type: 'print' } },
      ],
    },
  };

  it('names the flag, not the file', () => {
    expect(issues(job, { client: { parallelism: 100000 } })).toEqual(["f.json: --parallelism 100000: operator 'triple' has parallelism 100000, above maxParallelism 32768"]);
    expect(issues(job, { client: { parallelism: 20000 } })).toEqual(['f.json: --parallelism 20000: the job has 20001 subtasks; a simulation runs at most 10000']);
    expect(issues(job, { client: { parallelism: 4 } })).toEqual([]);
  });

  it("names the file when the file's own parallelism is at fault, whatever the flag", () => {
    const own = structuredClone(job) as { job: { operators: Record<string, JsonValue>[] } };
    own.job.operators[1]!['parallelism'] = 20000;
    expect(issues(own as JsonValue, { client: { parallelism: 3 } })).toEqual(['f.json: $.job: the job has 20004 subtasks; a simulation runs at most 10000']);
  });
});
