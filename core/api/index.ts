/**
 * The api layer: how jobs are described, as scenario files and with the DataStream API.
 * Both produce the same StreamGraph.
 */
export * from './scenario/index.ts';
export * from './datastream/index.ts';
