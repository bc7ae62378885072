/**
 * The state layer: keyed state organised by key group, and timers.
 */
export * from './keyed-state.ts';
export * from './timers.ts';
export * from './snapshot.ts';
export * from './keyed-snapshot.ts';
export * from './aggregating-state.ts';
export * from './ttl-config.ts';
export * from './ttl-state.ts';
export * from './operator-state.ts';
