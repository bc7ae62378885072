// Hostile scenario text gets a precise message at the right JSON path: depth, prototype
// names, numbers out of range or beyond 2^53, a missing job, duplicate keys, and sliding
// windows whose cost is known before the run.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, formatIssue, parseScenarioText, validateScenario } from '../../core/index.ts';

const items = [{ value: { k: 'a', v: 1 }, timestamp: 10 }];
const scenario = (over: Record<string, unknown> = {}, operators?: unknown[]) => ({
  format: 'weir/scenario@1',
  name: 'hostile',
  job: { operators: operators ?? [{ id: 's', type: 'sequence', items }, { id: 'out', type: 'sink', input: 's', sink: { type: 'print' } }] },
  ...over,
});
const issuesOf = (text: string): string[] => {
  const r = parseScenarioText(text, 'f.json');
  return r.ok ? [] : r.issues.map(formatIssue);
};

describe('nesting depth', () => {
  it('a record value nested 10,000 deep is refused with its path, without overflowing the stack', () => {
    const deep = '['.repeat(10_000) + '0' + ']'.repeat(10_000);
    const text = JSON.stringify(scenario()).replace('{"k":"a","v":1}', deep);
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^f\.json: \$\.job\.operators\[0\]\.items\[0\]\.value(\[0\])+: nested more than 128 levels deep/);
  });

  it('a million levels are refused the same way', () => {
    const text = JSON.stringify(scenario({ description: 'DEEP' })).replace('"DEEP"', '{"a":'.repeat(1_000_000) + '1' + '}'.repeat(1_000_000));
    expect(issuesOf(text)[0]).toMatch(/\$\.description(\.a)+: nested more than 128/);
  });

  it('128 levels, counting the scenario object, are accepted', () => {
    // $ -> job -> operators -> [0] -> items -> [0] -> value: the value's own lists start at level 7.
    const value = '['.repeat(128 - 6) + ']'.repeat(128 - 6);
    expect(issuesOf(JSON.stringify(scenario()).replace('{"k":"a","v":1}', value))).toEqual([]);
    const one = '['.repeat(128 - 5) + ']'.repeat(128 - 5);
    expect(issuesOf(JSON.stringify(scenario()).replace('{"k":"a","v":1}', one))[0]).toMatch(/nested more than 128/);
  });
});

describe('names that are also Object.prototype names are data', () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    it(`'${name}' as topic, operator id, late-output tag, side-output tag, table and expect keys`, () => {
      const text = `{"format":"weir/scenario@1","name":"p",
        "topics":{"${name}":{"partitions":1,"records":[{"value":{"k":"a","v":1},"timestamp":100},{"value":{"k":"a","v":2},"timestamp":20000,"at":0},{"value":{"k":"a","v":3},"timestamp":5,"at":1000}]}},
        "job":{"operators":[
          {"id":"${name}","type":"source","topic":"${name}","watermarks":{"strategy":"monotonous"}},
          {"id":"kb","type":"keyBy","input":"${name}","key":"k"},
          {"id":"win","type":"window","input":"kb","assigner":{"type":"tumbling","size":10},"aggregate":"count","lateOutput":"${name}"},
          {"id":"proc","type":"process","input":"kb","onElement":[{"sideOutput":"${name}","value":"v"}]},
          {"id":"t","type":"sink","input":"win","sink":{"type":"idempotent","table":"${name}","key":"\\"${name}\\""}},
          {"id":"p","type":"sink","input":"proc","sink":{"type":"print"}}]},
        "expect":{"sideOutputs":{"${name}":[{"value":1,"timestamp":100},{"value":2,"timestamp":20000},{"value":3,"timestamp":5},{"value":{"k":"a","v":3},"timestamp":5}]},
                  "tables":{"${name}":{"${name}":{"key":"a","window":{"start":20000,"end":20010},"value":1}}}}}`;
      const result = parseScenarioText(text, 'f.json');
      if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
      const sim = createSimulation({ scenario: result.scenario });
      sim.run();
      const report = sim.report();
      expect(Object.keys(report.sideOutputs)).toEqual([name]);
      expect(report.sideOutputs[name]).toHaveLength(4);
      expect(Object.keys(report.tables)).toEqual([name]);
      expect(Object.getPrototypeOf(report.sideOutputs)).toBe(null);
      expect(result.scenario.expect!.sideOutputs[name]!.committed).toHaveLength(4);
      expect(Object.keys(result.scenario.topics)).toEqual([name]);
    });
  }

  it('__proto__ as a state name is refused with a reason', () => {
    const ops = [
      { id: 's', type: 'sequence', items },
      { id: 'kb', type: 'keyBy', input: 's', key: 'k' },
      { id: 'p', type: 'process', input: 'kb', state: JSON.parse('{"__proto__": {"type": "value"}}'), onElement: [] },
    ];
    const r = validateScenario(scenario({}, ops), 'f.json');
    expect(r.ok ? [] : r.issues.map(formatIssue)).toContainEqual(expect.stringMatching(/state\.__proto__: '__proto__' cannot name a state/));
  });
});

describe('numbers', () => {
  it('out of range: the message gives the range', () => {
    const issues = issuesOf(JSON.stringify(scenario({}, [{ id: 's', type: 'sequence', items: [{ value: 1, timestamp: 1e300 }] }, { id: 'o', type: 'sink', input: 's', sink: { type: 'print' } }])));
    expect(issues).toEqual(['f.json: $.job.operators[0].items[0].timestamp: must be between -1000000000000000 and 1000000000000000, found 1e+300']);
    expect(issuesOf(JSON.stringify(scenario({ seed: 1.5 })))).toEqual(['f.json: $.seed: expected a whole number between -9007199254740991 and 9007199254740991, found number 1.5']);
  });

  it('an integer that JSON numbers cannot hold exactly (2^53 + 1) is caught, also inside a record value', () => {
    const text = JSON.stringify(scenario({ seed: 12345 })).replace('12345', '9007199254740993').replace('"v":1', '"v":-18014398509481987');
    const issues = issuesOf(text);
    expect(issues).toHaveLength(2);
    expect(issues[1]).toMatch(/^f\.json: \$\.seed: the integer 9007199254740993 cannot be held exactly.*would read as 9007199254740992$/);
    expect(issues[0]).toMatch(/^f\.json: \$\.job\.operators\[0\]\.items\[0\]\.value\.v: the integer -18014398509481987 cannot be held exactly/);
    // Exactly representable large integers and non-integers are not flagged.
    expect(issuesOf(JSON.stringify(scenario()).replace('"v":1', '"v":9007199254740992'))).toEqual([]);
    expect(issuesOf(JSON.stringify(scenario()).replace('"v":1', '"v":1e20'))).toEqual([]);
    expect(issuesOf(JSON.stringify(scenario()).replace('"v":1', '"v":2.5e3'))).toEqual([]);
  });

  it('a number beyond the largest double (JSON.parse makes it Infinity) and an inexact integer in exponent form are caught at their paths', () => {
    expect(issuesOf(JSON.stringify(scenario()).replace('"v":1', '"v":-1e999'))).toEqual([
      'f.json: $.job.operators[0].items[0].value.v: the number -1e999 is beyond the largest number JSON can carry here (about ±1.8e308): it would read as -Infinity',
    ]);
    expect(issuesOf(JSON.stringify(scenario()).replace('"v":1', '"v":9.007199254740993e15'))[0]).toMatch(/value\.v: the integer 9\.007199254740993e15 \(9007199254740993\) cannot be held exactly/);
  });
});

describe('structure', () => {
  it('a missing job says the field is missing', () => {
    expect(issuesOf('{"format":"weir/scenario@1","name":"p"}')).toEqual(['f.json: $.job: missing required field \'job\' (a job object {"name": …, "operators": [...]})']);
  });

  it('duplicate keys are reported at their path, at any level', () => {
    const text = JSON.stringify(scenario()).replace('"name":"hostile"', '"name":"a","name":"b"').replace('"k":"a"', '"k":"a","k":"b"');
    expect(issuesOf(text)).toEqual([
      'f.json: $.name: duplicate key "name": JSON.parse would keep only the last one; write each key once',
      'f.json: $.job.operators[0].items[0].value.k: duplicate key "k": JSON.parse would keep only the last one; write each key once',
    ]);
    // Equal keys in different objects, and keys that only look alike after escaping, are fine.
    expect(issuesOf('{"format":"weir/scenario@1","name":"p","job":{"name":"j","operators":[{"id":"s","type":"sequence","items":[{"value":{"a":1,"\\u0061b":2,"name":3},"timestamp":1}]},{"id":"o","type":"sink","input":"s","sink":{"type":"print"}}]}}')).toEqual([]);
    expect(issuesOf('{"format":"weir/scenario@1","name":"p","job":{"operators":[{"id":"s","type":"sequence","items":[{"value":{"a":1,"\\u0061":2},"timestamp":1}]},{"id":"o","type":"sink","input":"s","sink":{"type":"print"}}]}}')[0]).toMatch(/\$\.job\.operators\[0\]\.items\[0\]\.value\.a: duplicate key "a"/);
  });
});

describe('costs known before the run', () => {
  const sliding = (records: number, size: number, slide: number) => {
    const list = Array.from({ length: records }, (_, i) => ({ value: { k: 'a' }, timestamp: i }));
    return scenario({ topics: { t: { partitions: 1, records: list } } }, [
      { id: 's', type: 'source', topic: 't', watermarks: { strategy: 'monotonous' } },
      { id: 'kb', type: 'keyBy', input: 's', key: 'k' },
      { id: 'w', type: 'window', input: 'kb', assigner: { type: 'sliding', size, slide }, aggregate: 'count' },
      { id: 'o', type: 'sink', input: 'w', sink: { type: 'print' } },
    ]);
  };

  it('a sliding window whose assignments exceed the budget is refused, naming the numbers', () => {
    const r = validateScenario(sliding(200_000, 10_000, 1), 'f.json');
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([
      "f.json: $.job.operators[2].assigner.slide: operator 'w': a sliding window of size 10000 every 1 ms puts each record in 10000 windows, 2000000000 window assignments for the 200000 input records; at most 20000000: make the slide larger or the input smaller",
    ]);
    expect(validateScenario(sliding(2_000, 10_000, 1), 'f.json').ok).toBe(true);
  });

  it('limits are settable in run.limits, and validated', () => {
    const ok = validateScenario(scenario({ run: { limits: { maxSteps: 10, maxTraceEvents: 1000 } } }), 'f.json');
    expect(ok.ok && ok.scenario.run.limits).toEqual({ maxSteps: 10, maxTraceEvents: 1000 });
    const bad = validateScenario(scenario({ run: { limits: { maxSteps: 0, steps: 3 } } }), 'f.json');
    expect(bad.ok ? [] : bad.issues.map(formatIssue)).toEqual([
      "f.json: $.run.limits.steps: unknown field 'steps' (expected one of: maxSteps, maxQueueSize, maxTraceEvents, maxTraceBytes)",
      'f.json: $.run.limits.maxSteps: must be at least 1, found 0',
    ]);
  });
});

describe('expressions whose form says they cannot work', () => {
  const flatMap = (expr: string) =>
    issuesOf(JSON.stringify(scenario({}, [{ id: 's', type: 'sequence', items }, { id: 'f', type: 'flatMap', input: 's', expr }, { id: 'out', type: 'sink', input: 'f', sink: { type: 'print' } }])));

  it("a flatMap that can only give an object or a number is refused, with the fix; one that may give a list is not", () => {
    expect(flatMap('{k: k}')).toEqual(["f.json: $.job.operators[1].expr: operator 'f': a flatMap's expression gives the list of records to emit, and this one is always an object: wrap it in a list, [{k: k}]"]);
    expect(flatMap('v > 0 ? 1 : 2')[0]).toMatch(/always a number/);
    expect(flatMap('[k, k]')).toEqual([]);
    expect(flatMap('v > 0 ? [k] : []')).toEqual([]);
    expect(flatMap('split(k, "")')).toEqual([]);
  });
});

describe('expectations name what the job has', () => {
  it('an expect block about a sink the job does not have is refused at its path, naming the job\'s own', () => {
    const doc = JSON.parse(readFileSync('scenarios/idempotent-sink.json', 'utf8')) as Record<string, unknown>;
    doc['expect'] = { sinks: { outt: { count: 0 } }, tables: { cuonts: {} } };
    const result = validateScenario(doc, 'f.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map(formatIssue)).toEqual(["f.json: $.expect.sinks.outt: the job has no sink 'outt' (its sinks: 'out')"]);
  });
});
