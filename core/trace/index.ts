/**
 * The trace layer: the typed event union, the log with its levels, its canonical encoding
 * and its hash.
 */
export * from './events.ts';
export { Fnv64, fnv64Hex } from './hash.ts';
export { encodeEvent, TraceLog, type TraceListener, type TraceLogOptions, type TraceLogSnapshot } from './log.ts';
