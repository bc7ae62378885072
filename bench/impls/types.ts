/**
 * The one interface a benchmark implementation fills in. `run` processes the whole input
 * for one workload and delivers every result to the sink; the runner times `run` alone,
 * then asks the sink for outputs and checksum and compares them with the reference table.
 */
import type { BenchInput } from '../input.ts';
import type { BenchSink } from '../sink.ts';
import type { Workload } from '../workloads.ts';

export interface Implementation {
  /** The `impl` field of the benchmark lines (`plain`, `rxjs`, `weir`, ...). */
  readonly name: string;
  /** One line for the readable table's legend. */
  readonly description: string;
  /**
   * Runs `workload` over `input`, synchronously, to the end of the input.
   * W1: `sink.value(v)` per kept value. W2/W3: `sink.window(...)` per fired (key, window),
   * `sink.late()` per dropped late record.
   */
  run(workload: Workload, input: BenchInput, sink: BenchSink): void;
}
