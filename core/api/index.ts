/**
 * The api layer: how jobs are described, as scenario files (and, later, the DataStream API).
 */
export * from './scenario/index.ts';
