// Flink's execution.buffer-timeout (`config.bufferTimeout`, `env.setBufferTimeout`): a
// partial network buffer waits until it is full, until the output flusher seals it every
// timeout ms, or until an event (a barrier, the end of the data) ends it. Without the field
// a partial buffer leaves at the end of its producer's step. The job below sends a record
// every 10 ms from a source to a map over a keyBy (a network hop of 1 ms) and prints it; the
// time of each print is the time its buffer arrived.
import { describe, expect, it } from 'vitest';
import { createSimulation, networkView, StreamExecutionEnvironment, validateScenario, type JsonValue } from '../../core/index.ts';
import { RandomStreams } from '../../core/kernel/random.ts';
import { Channel } from '../../core/runtime/channel.ts';
import { CheckpointBarrier, END_OF_DATA, END_OF_PARTITION, type NetworkElement } from '../../core/runtime/elements.ts';
import { InputGate } from '../../core/runtime/input-gate.ts';
import { RecordWriterOutput } from '../../core/runtime/outputs.ts';

interface Options {
  bufferTimeout?: number;
  count?: number;
  interval?: number;
  bufferSize?: number;
  checkpointing?: JsonValue;
  faults?: JsonValue[];
}

function scenario(o: Options): JsonValue {
  return {
    format: 'weir/scenario@1',
    name: 'buffer timeout',
    seed: 1,
    cluster: { networkLatency: 1, bufferSize: o.bufferSize ?? 64 },
    config: {
      parallelism: 1,
      ...(o.bufferTimeout === undefined ? {} : { bufferTimeout: o.bufferTimeout }),
      ...(o.checkpointing === undefined ? {} : { checkpointing: o.checkpointing }),
    },
    topics: { events: { partitions: 1, generator: { count: o.count ?? 20, interval: o.interval ?? 10, keys: 1, outOfOrderness: 0, value: '{n: i}' } } },
    job: {
      operators: [
        { id: 'events', type: 'source', topic: 'events', watermarks: { strategy: 'none' } },
        { id: 'byKey', type: 'keyBy', input: 'events', key: 'n % 1' },
        { id: 'm', type: 'map', input: 'byKey', expr: '$' },
        { id: 'out', type: 'sink', input: 'm', sink: { type: 'print' } },
      ],
    },
    ...(o.faults === undefined ? {} : { faults: o.faults }),
  };
}

function run(o: Options) {
  const result = validateScenario(scenario(o), 'buffer-timeout.json');
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'full' });
  sim.run();
  expect(sim.status).toBe('FINISHED');
  // When each record reached the map, in the order the sink printed them.
  const arrivals = sim.trace.events.flatMap((e) => (e.tag === 'sink.wrote' ? [[(e.value as { n: number }).n, e.timeMs]] : []));
  return { sim, arrivals };
}

const times = (arrivals: (number | null)[][]) => arrivals.map(([, t]) => t);

describe('buffer timeout', () => {
  it("without one, a partial buffer leaves at the end of its producer's step: each record arrives 1 ms after it was read", () => {
    const { arrivals } = run({});
    expect(arrivals).toEqual(Array.from({ length: 20 }, (_, i) => [i, i * 10 + 1]));
  });

  it('with 50 ms, the output flusher sends what has gathered every 50 ms from the deployment, and the end of the data sends the rest', () => {
    const { arrivals } = run({ bufferTimeout: 50 });
    // Records 0..4 (read at 0..40) leave with the flush at 50; the record read at 50 comes after that flush.
    expect(times(arrivals)).toEqual([...Array(5).fill(51), ...Array(5).fill(101), ...Array(5).fill(151), ...Array(5).fill(191)]);
    expect(arrivals.map(([n]) => n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('with -1, only full buffers and events leave: every record waits for the end of the data', () => {
    const { arrivals } = run({ bufferTimeout: -1 });
    expect(times(arrivals)).toEqual(Array(20).fill(191));
  });

  it('with -1, a full buffer leaves at once: with buffers of 4 records, each fourth record sends the buffer', () => {
    const { arrivals } = run({ bufferTimeout: -1, bufferSize: 4, count: 10 });
    expect(times(arrivals)).toEqual([31, 31, 31, 31, 71, 71, 71, 71, 91, 91]);
  });

  it('with 0, a record leaves as soon as a credit lets it; what is written while none is there goes in one buffer', () => {
    // 6 records read at t=0, 2 credits per channel: without a timeout they travel as one buffer.
    const burst = { count: 6, interval: 0 };
    expect(times(run(burst).arrivals)).toEqual(Array(6).fill(1));
    // The first two take a credit each; the other four wait in the buffer being written,
    // which leaves whole when a credit comes back (Flink's flush only asks for the buffer).
    expect(times(run({ ...burst, bufferTimeout: 0 }).arrivals)).toEqual([1, 1, 3, 3, 3, 3]);
  });

  it("a checkpoint barrier ends the buffer it is written into: with -1, the records before checkpoint 1's barrier leave with it", () => {
    const { sim, arrivals } = run({ bufferTimeout: -1, checkpointing: { interval: 55 } });
    const triggered = sim.trace.events.find((e) => e.tag === 'checkpoint.triggered' && e.checkpoint === 1)!;
    const received = sim.trace.events.find((e) => e.tag === 'barrier.received' && e.task === 'm#0' && e.checkpoint === 1)!;
    const before = arrivals.filter(([n]) => n! * 10 < triggered.timeMs);
    expect(before.length).toBeGreaterThan(0);
    // Read long before, they arrive together with the barrier, a ms after it left the source.
    expect(new Set(times(before))).toEqual(new Set([received.timeMs]));
    expect(received.timeMs).toBeLessThanOrEqual(triggered.timeMs + 3);
    expect(arrivals.filter(([n]) => n! * 10 >= triggered.timeMs + 10).every(([, t]) => t! > received.timeMs)).toBe(true);
    expect(sim.report().checkpoints.filter((c) => c.status === 'COMPLETED').length).toBeGreaterThan(0);
  });

  it("a restarted producer's flusher starts with its new attempt, and the old attempt's stops", () => {
    const kill = { type: 'kill-task', operator: 'events', subtask: 0, at: 75 };
    const { sim, arrivals } = run({ bufferTimeout: 50, checkpointing: { interval: 30 }, faults: [kill] });
    expect(sim.report().restarts).toHaveLength(1);
    const deployed = sim.trace.events.filter((e) => e.tag === 'task.status' && e.task === 'events#0' && e.status === 'RUNNING').map((e) => e.timeMs);
    expect(deployed).toHaveLength(2);
    const restartedAt = deployed[1]!;
    // After the restart, buffers arrive only at the new attempt's flushes (every 50 ms from its deployment) or at its end.
    const last = Math.max(...times(arrivals).map(Number));
    for (const t of times(arrivals).filter((t) => t! > restartedAt)) {
      expect(t === last || (t! - 1 - restartedAt) % 50 === 0, `a buffer arrived at ${t}, off the new attempt's flushes from ${restartedAt}`).toBe(true);
    }
    // The job's output is the whole input, once per record the restart did not replay (print is not transactional).
    expect(new Set(arrivals.map(([n]) => n))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i)));
  });

  it('the network view shows the records waiting in the partial buffer, and that none is sealed', () => {
    const result = validateScenario(scenario({ bufferTimeout: 50 }), 'view.json');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary' });
    while ((sim.kernel.nextTimeMs ?? Infinity) <= 45 && sim.step()) {
      /* up to t=45, before the flush at 50 */
    }
    const [channel] = networkView(sim.jobManager).channels;
    expect(channel).toMatchObject({ from: 'events#0', to: 'm#0', bufferTimeoutMs: 50, sealed: 0, pending: { records: 5 }, onTheWire: [] });
  });

  it('the output flusher sleeps while there is nothing to flush, and still flushes on its own beat', () => {
    // Four records, a second apart, and a flush every 7 ms from the deployment at 0: each
    // leaves at the first multiple of 7 after it was read (7, 1001, 2002) and arrives 1 ms
    // later; the last leaves with the end of the data.
    const { sim, arrivals } = run({ bufferTimeout: 7, count: 4, interval: 1000 });
    expect(times(arrivals)).toEqual([8, 1002, 2003, 3001]);
    // Ticking all along would take some 430 steps for the flushes alone.
    expect(sim.kernel.steps).toBeLessThan(60);
  });

  it('a flush at t comes before the steps at t: a record read at a flush instant waits for the next, however long the flusher slept', () => {
    // Records at 0, 100 and 200, a flush every 50 ms: the flush at 100 (the flusher slept
    // through it) comes before the source's step at 100, so that record leaves at 150.
    const { arrivals } = run({ bufferTimeout: 50, count: 3, interval: 100 });
    expect(times(arrivals)).toEqual([51, 151, 201]);
  });

  it('the same scenario and seed give the same trace; the timeout changes it', () => {
    const a = run({ bufferTimeout: 50 }).sim.trace.hash();
    expect(run({ bufferTimeout: 50 }).sim.trace.hash()).toBe(a);
    expect(run({ bufferTimeout: 20 }).sim.trace.hash()).not.toBe(a);
  });

  it('is validated: a whole number of ms, -1 or more', () => {
    for (const bad of [-2, 1.5, '100']) {
      const result = validateScenario({ ...(scenario({}) as object), config: { bufferTimeout: bad } } as JsonValue, 'bad.json');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues.map((i) => i.path)).toContain('$.config.bufferTimeout');
    }
  });

  it("an operator's own bufferTimeout holds for the channels out of it; the others keep the job's", () => {
    const file = scenario({}) as { config: Record<string, JsonValue>; job: { operators: Record<string, JsonValue>[] } };
    file.config['bufferTimeout'] = 50;
    // A second hop: m -> byKey2 -> out, whose channels leave from m, which sends only full buffers.
    file.job.operators.splice(3, 1, { id: 'byKey2', type: 'keyBy', input: 'm', key: 'n % 1' }, { id: 'out', type: 'sink', input: 'byKey2', sink: { type: 'print' } });
    file.job.operators[2]!['bufferTimeout'] = -1;
    const result = validateScenario(file as unknown as JsonValue, 'two-hops.json');
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    const sim = createSimulation({ scenario: result.scenario, traceLevel: 'full' });
    sim.run();
    expect(sim.jobGraph.edges.map((e) => [e.fromOperator, e.bufferTimeoutMs])).toEqual([
      ['events', 50],
      ['m', -1],
    ]);
    // The first hop flushes every 50 ms; the second holds everything until the end of the data.
    const created = sim.trace.events.filter((e) => e.tag === 'record.emitted' && e.operator === 'm').map((e) => e.timeMs);
    expect(created.slice(0, 6)).toEqual([51, 51, 51, 51, 51, 101]);
    const printed = sim.trace.events.filter((e) => e.tag === 'sink.wrote').map((e) => e.timeMs);
    expect(printed).toEqual(Array(20).fill(192));
  });

  it('is refused on a keyBy, a union and a sink: none of them sends records of its own', () => {
    for (const at of [1, 3]) {
      const file = scenario({}) as { job: { operators: Record<string, JsonValue>[] } };
      file.job.operators[at]!['bufferTimeout'] = 10;
      const result = validateScenario(file as unknown as JsonValue, 'bad.json');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.issues.map((i) => [i.path, /keyBy is not an operator|a sink sends nothing/.test(i.message)])).toEqual([[`$.job.operators[${at}].bufferTimeout`, true]]);
    }
  });

  it('DataStream.setBufferTimeout sets it for the channels out of that operator, in place of the environment\'s', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2).setBufferTimeout(100);
    env
      .fromElements(1, 2, 3)
      .map((v) => v)
      .setBufferTimeout(20)
      .rebalance()
      .map((v) => v)
      .rebalance()
      .print();
    const sim = createSimulation({ streamGraph: env.getStreamGraph('job') });
    expect(sim.jobGraph.edges.map((e) => e.bufferTimeoutMs)).toEqual([100, 20, 100]);
    sim.run();
    expect(sim.status).toBe('FINISHED');
    expect(() => env.fromElements(1).map((v) => v).setBufferTimeout(-3)).toThrow(/setBufferTimeout/);
  });

  it('env.setBufferTimeout sets it from the DataStream API, with the same checks', () => {
    const env = StreamExecutionEnvironment.getExecutionEnvironment();
    expect(env.getBufferTimeout()).toBeNull();
    expect(() => env.setBufferTimeout(-2)).toThrow(/setBufferTimeout/);
    expect(() => env.setBufferTimeout(0.5)).toThrow(/setBufferTimeout/);
    env.setBufferTimeout(100);
    env.fromElements(1, 2, 3).print();
    expect(env.getStreamGraph('job').config.bufferTimeoutMs).toBe(100);
  });
});

describe('buffer timeout: a barrier placed before the end of the partition in an output buffer', () => {
  // A producer that finished while backpressured still holds its end of the data and of the
  // partition; a savepoint at the consumer puts its barrier before the end. The buffers that
  // those events ended must still end with them, or the end of the partition never leaves.
  const drain = (channel: Channel): NetworkElement[] => {
    const sent: NetworkElement[] = [];
    for (let i = 0; i < 100 && channel.sendable; i++) {
      channel.credits = 1;
      sent.push(...channel.take());
    }
    return sent;
  };
  for (const bufferTimeout of [null, -1, 0, 100]) {
    it(`bufferTimeout ${bufferTimeout}: the end of the partition still leaves, after the barrier`, () => {
      const channel = new Channel(0, 'src#0', 'map#0', 0, 1, 1, 64, 1, bufferTimeout);
      channel.credits = 0;
      const writer = new RecordWriterOutput({ type: 'forward' }, [channel], 128, new RandomStreams(1).stream('p'), () => {});
      for (let i = 0; i < 3; i++) writer.collect({ value: i, timestamp: i });
      writer.endOfData();
      writer.endOfPartition();
      const gate = new InputGate();
      gate.add(channel);
      expect(gate.placeBeforeEnd(0, new CheckpointBarrier(1, 0, 'aligned', true))).toBe(true);
      const sent = drain(channel);
      expect(channel.pending).toEqual([]);
      expect(sent.map((e) => (e instanceof CheckpointBarrier ? 'barrier' : e === END_OF_DATA ? 'end of data' : e === END_OF_PARTITION ? 'end' : 'record'))).toEqual(['record', 'record', 'record', 'end of data', 'barrier', 'end']);
    });
  }
});
