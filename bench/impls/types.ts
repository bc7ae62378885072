/**
 * The one interface a benchmark implementation fills in. `run` processes the whole input
 * for one workload and delivers every result to the sink; the runner times `run` alone,
 * then asks the sink for outputs and checksum and compares them with the reference table.
 */
import type { BenchInput } from '../input.ts';
import type { BenchSink } from '../sink.ts';
import type { Workload } from '../workloads.ts';

/** Extra fields an implementation adds to its benchmark line (checkpoint statistics, say). */
export type RunExtras = Readonly<Record<string, number | string>>;

export interface Implementation {
  /** The `impl` field of the benchmark lines (`plain`, `rxjs`, `weir`, ...). */
  readonly name: string;
  /** One line for the readable table's legend. */
  readonly description: string;
  /** The workloads it runs; absent: all of W1–W3. The runner plans nothing else for it. */
  readonly workloads?: readonly Workload[];
  /**
   * Another registered implementation that the child also times, in the same process and
   * interleaved with this one, so that the line can give the ratio between the two
   * (`ratioToBaseline`) without the drift between separate processes. Both must give the
   * same answer.
   */
  readonly baseline?: string;
  /**
   * Runs `workload` over `input`, synchronously, to the end of the input.
   * W1: `sink.value(v)` per kept value. W2/W3: `sink.window(...)` per fired (key, window),
   * `sink.late()` per dropped late record. May return extra fields for the line; the
   * child reports those of the median run.
   */
  run(workload: Workload, input: BenchInput, sink: BenchSink): RunExtras | void;
}

/** The workloads `impl` runs. */
export function workloadsOf(impl: Implementation, all: readonly Workload[]): Workload[] {
  return all.filter((w) => impl.workloads === undefined || impl.workloads.includes(w));
}
