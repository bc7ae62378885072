/**
 * Scenario actions: what a person operating the cluster does by hand, at given virtual
 * times. `savepoint` takes a savepoint and the job goes on (`flink savepoint`);
 * `stop-with-savepoint` takes one and stops the job, which ends FINISHED (`flink stop`);
 * `resume` submits the job again from the latest savepoint (`flink run -s`), optionally
 * with another parallelism, which is how Flink rescales: the savepoint's key groups are
 * redistributed over the new subtasks, and operator state is handed out again.
 */
import type { ActionSpec } from './api/index.ts';
import { buildJobGraph, JobGraphError, type JobGraph, type StreamGraph } from './graph/index.ts';
import type { Kernel, KernelEvent } from './kernel/index.ts';
import type { JobManager } from './runtime/index.ts';
import type { TraceLog } from './trace/index.ts';

interface ActionEvent extends KernelEvent {
  readonly type: 'action.fire';
  readonly action: number;
}

/** Priority of actions at equal time: after the JobManager's own work. */
const PRIORITY_ACTION = 35;

export class ActionPlayer {
  #next = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly trace: TraceLog,
    private readonly jobManager: JobManager,
    private readonly streamGraph: StreamGraph,
    private readonly actions: readonly ActionSpec[],
    private readonly clientParallelism: number | null,
    private readonly newJobId: () => string,
  ) {
    kernel.on('action.fire', (e) => this.#fire(this.actions[(e as ActionEvent).action]!, (e as ActionEvent).action));
    actions.forEach((a, action) => {
      const event: ActionEvent = { type: 'action.fire', action };
      kernel.schedule(a.atMs, PRIORITY_ACTION, event);
    });
  }

  /** Whether an action is still to come (the run must not end at a stop that a resume follows). */
  get pending(): boolean {
    return this.#next < this.actions.length;
  }

  #skip(action: ActionSpec, reason: string): void {
    this.trace.emit({ tag: 'action.skipped', timeMs: this.kernel.clock.nowMs, action: `${action.type} (${action.path})`, reason });
  }

  #fire(action: ActionSpec, index: number): void {
    const jm = this.jobManager;
    // `flink run -s` after `flink stop` waits for the stop to finish: so does a resume.
    if (action.type === 'resume' && jm.stopping) {
      const retry: ActionEvent = { type: 'action.fire', action: index };
      this.kernel.scheduleAfter(1, PRIORITY_ACTION, retry);
      return;
    }
    this.#next++;
    switch (action.type) {
      case 'savepoint':
        if (jm.ended) return this.#skip(action, `the job has already ended (${jm.status})`);
        jm.triggerSavepoint();
        return;
      case 'stop-with-savepoint':
        if (jm.ended) return this.#skip(action, `the job has already ended (${jm.status})`);
        jm.stopWithSavepoint();
        return;
      case 'resume': {
        if (!jm.ended) return this.#skip(action, 'the job is still running: its stop-with-savepoint failed, or there was none');
        if (jm.stoppedWith === null) return this.#skip(action, `the job ended ${jm.status} without being stopped with a savepoint: there is nothing to resume from`);
        let graph: JobGraph;
        try {
          graph = this.#rescaled(action.parallelism);
        } catch (e) {
          if (e instanceof JobGraphError) return this.#skip(action, e.message);
          throw e;
        }
        jm.resume(graph, this.newJobId());
        return;
      }
    }
  }

  /** The job's JobGraph at a new environment parallelism; max parallelism (the number of key groups) stays what the savepoint has. */
  #rescaled(parallelism: number | null): JobGraph {
    const old = this.jobManager.jobGraph;
    const maxParallelism = old.vertices[0]!.maxParallelism;
    const config = { ...this.streamGraph.config, parallelism: parallelism ?? this.streamGraph.config.parallelism, maxParallelism };
    const graph = buildJobGraph({ ...this.streamGraph, config }, { clientParallelism: this.clientParallelism });
    for (const v of graph.vertices) {
      if (v.maxParallelism !== maxParallelism) throw new JobGraphError(`resume: operator '${v.id}' would have maxParallelism ${v.maxParallelism}, the savepoint has ${maxParallelism}`);
    }
    return graph;
  }
}
