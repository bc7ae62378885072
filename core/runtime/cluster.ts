/**
 * The simulated cluster: TaskManagers, each offering a number of task slots. As in
 * Flink's default slot sharing, one slot can hold one subtask of every vertex of a job,
 * so a job needs as many slots as its largest parallelism.
 */

export interface ClusterConfig {
  readonly taskManagers: number;
  /** 0: as many as the job needs (Flink's local environment sizes itself this way). */
  readonly slotsPerTaskManager: number;
  readonly networkLatencyMs: number;
  /** How long a job waits for enough slots before it fails (Flink: slot.request.timeout). */
  readonly slotRequestTimeoutMs: number;
  /** Buffers (credits) per channel: Flink's exclusive buffers per channel, default 2. */
  readonly buffersPerChannel: number;
  /** Elements per network buffer. */
  readonly bufferSize: number;
}

export interface Slot {
  /** e.g. `tm-1/slot-0` */
  readonly id: string;
  readonly taskManager: string;
}

export class Cluster {
  readonly slots: readonly Slot[];

  constructor(readonly config: ClusterConfig, slotsNeeded: number) {
    const perTm = config.slotsPerTaskManager === 0 ? Math.ceil(slotsNeeded / config.taskManagers) : config.slotsPerTaskManager;
    const slots: Slot[] = [];
    for (let tm = 1; tm <= config.taskManagers; tm++) {
      for (let s = 0; s < perTm; s++) slots.push({ id: `tm-${tm}/slot-${s}`, taskManager: `tm-${tm}` });
    }
    this.slots = slots;
  }
}
