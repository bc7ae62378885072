/**
 * What the parts of the JobManager share: the kernel and trace, the job's ExecutionGraph,
 * the network and cluster its attempts run on, and its CheckpointCoordinator. The
 * JobManager is the one facade; failover, slot requests, deployment, stop-with-savepoint
 * and the coordinator's gateway each do one of its jobs over this common view.
 */
import type { CheckpointCoordinator } from '../checkpoint/index.ts';
import type { Kernel } from '../kernel/index.ts';
import type { TraceLog } from '../trace/index.ts';
import type { Cluster, ClusterConfig } from './cluster.ts';
import type { ExecutionGraph } from './execution-graph.ts';
import type { Network } from './network.ts';
import type { TaskHost } from './task.ts';

export interface JobContext {
  readonly kernel: Kernel;
  readonly trace: TraceLog;
  readonly clusterConfig: ClusterConfig;
  readonly graph: ExecutionGraph;
  readonly network: Network;
  /** Set once, right after the coordinator is made with its gateway (which is made with this context). */
  readonly coordinator: CheckpointCoordinator | null;
  readonly failoverStrategy: 'region' | 'full';
  /** The current job's cluster (a `resume` starts a new one). */
  cluster(): Cluster;
  /** What every attempt is made with: the JobManager. */
  readonly host: TaskHost;
}
