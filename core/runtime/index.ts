/**
 * The runtime layer: Client, JobManager, cluster and slots, tasks and channels.
 */
export { Client } from './client.ts';
export { Cluster, type ClusterConfig, type Slot } from './cluster.ts';
export { JobManager, PRIORITY } from './job-manager.ts';
export { StreamTask, TASK_BATCH, type TaskHost, type TaskMetrics } from './task.ts';
export { Channel } from './channel.ts';
