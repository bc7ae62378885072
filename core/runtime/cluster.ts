/**
 * The simulated cluster: TaskManagers, each offering a number of task slots, and what
 * Flink's ResourceManager does with them. As in Flink's default slot sharing, one slot
 * can hold one subtask of every vertex of a job, so a job needs as many slots as its
 * largest parallelism; here slot sharing groups subtasks by index (every vertex's subtask
 * i shares slot i), so losing a TaskManager loses exactly the subtasks in its slots.
 *
 * A TaskManager that dies silently keeps its slots registered until its heartbeat times
 * out: until then slots are handed out on it as before (Flink's SlotPool knows no better),
 * and a deployment there fails. A replacement, when the cluster has one
 * (`replacementDelayMs`), registers under a new name with the same number of slots.
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
  /** How long a dead TaskManager goes unnoticed (Flink: heartbeat.timeout). */
  readonly heartbeatTimeoutMs: number;
  /** When a replacement for a lost TaskManager registers, after the loss is noticed; null: never. */
  readonly replacementDelayMs: number | null;
}

export interface Slot {
  /** e.g. `tm-1/slot-0` */
  readonly id: string;
  readonly taskManager: string;
}

export class TaskManager {
  /** Whether its process runs: a deployment onto a dead one fails. */
  alive = true;
  /** Whether its slots are offered: until its heartbeat times out after its death. */
  registered = true;
  readonly slots: readonly Slot[];
  constructor(
    readonly id: string,
    slotCount: number,
  ) {
    this.slots = Array.from({ length: slotCount }, (_, s) => ({ id: `${id}/slot-${s}`, taskManager: id }));
  }
}

export class Cluster {
  readonly taskManagers: TaskManager[] = [];
  readonly #byId = new Map<string, TaskManager>();
  readonly #slotsPerTm: number;
  /** Which slot each subtask index uses (slot sharing by index). */
  readonly #slotOfIndex = new Map<number, Slot>();
  /**
   * The next slot never handed out: TaskManager and slot positions. A slot, once given, stays
   * with its index until its TaskManager is unregistered, and one never comes back; new
   * TaskManagers join at the end. So every slot before this one is taken or unregistered, and the
   * first free registered slot is found from here: a job of n subtasks is placed in O(n), where a
   * search from the start for each subtask took O(n²) (ten seconds for 10,000 subtasks).
   */
  #nextTm = 0;
  #nextSlot = 0;

  constructor(
    readonly config: ClusterConfig,
    slotsNeeded: number,
  ) {
    this.#slotsPerTm = config.slotsPerTaskManager === 0 ? Math.ceil(slotsNeeded / config.taskManagers) : config.slotsPerTaskManager;
    for (let tm = 1; tm <= config.taskManagers; tm++) this.#add(new TaskManager(`tm-${tm}`, this.#slotsPerTm));
  }

  #add(tm: TaskManager): void {
    this.taskManagers.push(tm);
    this.#byId.set(tm.id, tm);
  }

  /** Slots of registered TaskManagers (also of a dead one whose heartbeat has not timed out). */
  get slots(): Slot[] {
    return this.taskManagers.filter((tm) => tm.registered).flatMap((tm) => tm.slots);
  }

  taskManager(id: string): TaskManager | undefined {
    return this.#byId.get(id);
  }

  /**
   * The slot for subtask index `index`, allocating a free one when it has none: null when
   * no registered slot is free (the job waits for resources).
   */
  slotFor(index: number): Slot | null {
    const have = this.#slotOfIndex.get(index);
    if (have !== undefined && this.taskManager(have.taskManager)!.registered) return have;
    const free = this.#nextFreeSlot();
    if (free === null) return null;
    this.#slotOfIndex.set(index, free);
    return free;
  }

  #nextFreeSlot(): Slot | null {
    for (; this.#nextTm < this.taskManagers.length; this.#nextTm++, this.#nextSlot = 0) {
      const tm = this.taskManagers[this.#nextTm]!;
      if (tm.registered && this.#nextSlot < tm.slots.length) return tm.slots[this.#nextSlot++]!;
    }
    return null;
  }

  /** Whether `indexes` can all have a slot now. */
  canPlace(indexes: readonly number[]): boolean {
    const alive = new Set(this.slots.map((s) => s.id));
    const placed = indexes.filter((i) => {
      const s = this.#slotOfIndex.get(i);
      return s !== undefined && alive.has(s.id);
    }).length;
    const usedAlive = [...this.#slotOfIndex.values()].filter((s) => alive.has(s.id)).length;
    return indexes.length - placed <= alive.size - usedAlive;
  }

  /** A TaskManager died: nobody knows yet, so its slots stay registered. */
  lose(id: string): void {
    const tm = this.taskManager(id);
    if (tm !== undefined) tm.alive = false;
  }

  /** A dead TaskManager's heartbeat timed out: its slots are gone. */
  unregister(id: string): void {
    const tm = this.taskManager(id);
    if (tm === undefined || !tm.registered) return;
    tm.registered = false;
    for (const [index, slot] of this.#slotOfIndex) if (slot.taskManager === id) this.#slotOfIndex.delete(index);
  }

  /** A replacement TaskManager registers; returns its id. */
  addTaskManager(): string {
    const tm = new TaskManager(`tm-${this.taskManagers.length + 1}`, this.#slotsPerTm);
    this.#add(tm);
    return tm.id;
  }
}
