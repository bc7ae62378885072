// Jobs for the tests of weir check.

export type Json = Record<string, unknown>;

/** 200 records, parallelism 2, checkpoints every 200 ms, a keyed window, one sink of `sink`. */
export function smallJob(sink: Json): Json {
  return {
    format: 'weir/scenario@1',
    name: 'small check job',
    seed: 1,
    config: { parallelism: 2, checkpointing: { interval: 200 }, restartStrategy: { type: 'fixed-delay', attempts: 5, delay: 100 } },
    topics: { events: { partitions: 2, generator: { count: 200, interval: 5, keys: 4, outOfOrderness: 0, value: '{key: key, n: i}' } } },
    job: {
      name: 'small',
      operators: [
        { id: 'src', type: 'source', topic: 'events', watermarks: { strategy: 'monotonous' } },
        { id: 'double', type: 'map', expr: '{key: key, n: n * 2}', input: 'src' },
        { id: 'byKey', type: 'keyBy', input: 'double', key: 'key' },
        { id: 'counts', type: 'window', input: 'byKey', assigner: { type: 'tumbling', size: 100 }, aggregate: 'count' },
        { id: 'out', type: 'sink', input: 'counts', sink },
      ],
    },
    // The input's own faults are dropped for the reference and replaced by drawn plans.
    faults: [{ type: 'kill-task', operator: 'counts', subtask: 0, at: 100 }],
  };
}
