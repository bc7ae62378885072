/**
 * The checkpoint layer: the CheckpointCoordinator, pending and completed checkpoints,
 * checkpoint storage, failure counting, and what a subtask's snapshot holds.
 */
export * from './task-snapshot.ts';
export * from './pending-checkpoint.ts';
export * from './completed-checkpoint.ts';
export * from './failure-manager.ts';
export * from './shared-state-registry.ts';
export * from './coordinator.ts';
