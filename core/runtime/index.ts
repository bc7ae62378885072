/**
 * The runtime layer: Client, JobManager, cluster and slots, tasks and channels.
 */
export { Client } from './client.ts';
export { Cluster, type ClusterConfig, type Slot } from './cluster.ts';
export { JobManager } from './job-manager.ts';
export { Network, PRIORITY } from './network.ts';
export { FaultInjectedError, type FaultHooks, type TaskCrashPoint } from './fault-hooks.ts';
export { StreamTask, TASK_BATCH, type TaskHost, type TaskMetrics } from './task.ts';
export { CheckpointBarrier } from './elements.ts';
export { Channel } from './channel.ts';
export { targetIndexes } from './network.ts';
export { networkView, type NetworkView, type ChannelView, type SubtaskNetworkView, type BufferOnTheWire, type ElementCounts } from './network-view.ts';
export { subtaskStateView, windowOfNamespaceText, type SubtaskStateView, type OperatorStateView, type StateEntryView, type TimerView, type WindowBounds } from './subtask-state-view.ts';
