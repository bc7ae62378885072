/**
 * The graph layer: StreamGraph, JobGraph, chaining, parallelism and key groups.
 */
export * from './stream-graph.ts';
export * from './job-graph.ts';
export * from './key-groups.ts';
export * from './job-config.ts';
