/**
 * The Client: what `flink run` is. It turns a program into a JobGraph (done before this
 * point), gives the job its JobID and submits it to the JobManager. The JobID comes from
 * the client's own seeded random stream, so it is the same on every run of a seed.
 */
import type { JobGraph } from '../graph/index.ts';
import type { Kernel } from '../kernel/index.ts';
import type { TraceLog } from '../trace/index.ts';
import type { JobManager } from './job-manager.ts';

export class Client {
  constructor(
    private readonly kernel: Kernel,
    private readonly trace: TraceLog,
  ) {}

  /** A new JobID: 32 hex digits, as Flink prints one, from the client's own seeded stream. */
  newJobId(): string {
    const random = this.kernel.random.stream('client');
    let jobId = '';
    for (let i = 0; i < 4; i++) jobId += random.nextUint32().toString(16).padStart(8, '0');
    return jobId;
  }

  /** Submits `jobGraph`; returns its JobID. */
  submit(jobGraph: JobGraph, jobManager: JobManager): string {
    const jobId = this.newJobId();
    const subtasks = jobGraph.vertices.reduce((n, v) => n + v.parallelism, 0);
    this.trace.emit({
      tag: 'job.submitted',
      timeMs: this.kernel.clock.nowMs,
      job: jobId,
      name: jobGraph.name,
      vertices: jobGraph.vertices.length,
      subtasks,
    });
    jobManager.submit(jobGraph, jobId);
    return jobId;
  }
}
