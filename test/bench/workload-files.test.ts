// The benchmark's jobs are the scenario files bench/scenarios/w1-stateless.json,
// w2-keyed-window.json and w3-keyed-window-p4.json: they validate as `weir run` validates
// any file, their sample records are the first events of the benchmark input, and run on
// the input of WORKLOADS.md (bound to their topic and checksum sink) they give the documented
// outputs and checksums.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createSimulation, parseScenarioText } from '../../core/index.ts';
import { CHECKSUM_SINK, INPUT_TOPIC, weir, WORKLOAD_FILES, workloadScenario } from '../../bench/impls/weir.ts';
import { eventAt, generateInput } from '../../bench/input.ts';
import { expectedResult } from '../../bench/reference.ts';
import { BenchSink } from '../../bench/sink.ts';
import { WORKLOADS } from '../../bench/workloads.ts';

const N = 1_000;
const input = generateInput(N);
const text = (workload: keyof typeof WORKLOAD_FILES) => readFileSync(new URL(`../../bench/scenarios/${WORKLOAD_FILES[workload]}`, import.meta.url), 'utf8');

describe.each(WORKLOADS)('%s as a scenario file', (workload) => {
  test('validates through the normal scenario path, with the topic and sink the benchmark binds', () => {
    const parsed = parseScenarioText(text(workload), WORKLOAD_FILES[workload]);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(Object.keys(parsed.scenario.topics)).toEqual([INPUT_TOPIC]);
    expect(parsed.scenario.topics[INPUT_TOPIC]!.partitions).toBe(1);
    expect(parsed.scenario.job.operators.filter((op) => op.type === 'sink').map((op) => op.id)).toEqual([CHECKSUM_SINK]);
  });

  test('its sample records are the first events of the benchmark input', () => {
    const records = workloadScenario(workload).topics[INPUT_TOPIC]!.records[0]!;
    expect(records.length).toBeGreaterThan(0);
    records.forEach((r, i) => {
      expect(r.value).toEqual(eventAt(input, i));
      expect(r.timestamp).toBe(eventAt(input, i).ts);
    });
  });

  test(`on the input of N = ${N}, gives the documented outputs and checksum`, { timeout: 60_000 }, () => {
    const sink = new BenchSink();
    weir.run(workload, input, sink);
    expect(sink.result()).toEqual(expectedResult(workload, N));
  });
});

test('W3 is W2 with the window and the sink at parallelism 4', () => {
  const parallelism = (w: 'W2' | 'W3') => workloadScenario(w).job.operators.map((op) => [op.id, op.parallelism]);
  expect(parallelism('W2')).toEqual([['events', null], ['byKey', null], ['counts', null], ['checksum', null]]);
  expect(parallelism('W3')).toEqual([['events', null], ['byKey', null], ['counts', 4], ['checksum', 4]]);
});

describe('connectors: a host binds what the file declares, nothing else', () => {
  test('a topic it does not declare, a partition count it does not have, or a sink it does not have is refused', () => {
    const scenario = workloadScenario('W1');
    const topic = (partitions: number) => ({ name: INPUT_TOPIC, partitions: Array.from({ length: partitions }, () => ({ length: 0, appendTime: () => 0, read: () => ({ key: null, value: 0, timestamp: null }) })) });
    expect(() => createSimulation({ scenario, connectors: { topics: { other: topic(1) } } })).toThrow("connectors: the scenario declares no topic 'other'");
    expect(() => createSimulation({ scenario, connectors: { topics: { [INPUT_TOPIC]: topic(2) } } })).toThrow(`connectors: topic '${INPUT_TOPIC}' has 1 partitions in the scenario, and 2 as given`);
    expect(() => createSimulation({ scenario, connectors: { sinks: { triple: () => {} } } })).toThrow("connectors: the job has no sink 'triple'");
  });

  test("without connectors the file runs on its own sample and prints; with them the sample is not read and nothing is printed", () => {
    const scenario = workloadScenario('W1');
    const alone = createSimulation({ scenario });
    alone.run();
    const sample = scenario.topics[INPUT_TOPIC]!.records[0]!.map((r) => (r.value as { value: number }).value * 3 + 1).filter((v) => v % 4 !== 0);
    expect(alone.report().sinks[CHECKSUM_SINK]!.committed.map((r) => r.value)).toEqual(sample);
    const got: number[] = [];
    const bound = createSimulation({ scenario, connectors: { topics: { [INPUT_TOPIC]: { name: INPUT_TOPIC, partitions: [{ length: 2, appendTime: () => 0, read: (i) => ({ key: null, value: { key: 0, value: i + 1, ts: i }, timestamp: i }) }] } }, sinks: { [CHECKSUM_SINK]: (v) => void got.push(v as number) } } });
    bound.run();
    expect(got).toEqual([7]); // 1*3+1 = 4 is dropped, 2*3+1 = 7 kept
    expect(bound.report().sinks[CHECKSUM_SINK]).toBeUndefined();
  });
});
