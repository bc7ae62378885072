/**
 * The trace layer: the typed event union, the log with its levels, its canonical encoding
 * and its hash.
 */
export * from './events.ts';
export { TraceHash, traceHashOf, type TraceHashState } from './hash.ts';
export { encodeEvent, TraceLog, type TraceListener, type TraceLogOptions, type TraceLogSnapshot } from './log.ts';
