/**
 * The playground's session: which scenario is open, the seed, the last run, and whether the
 * browser lets us keep settings. One reactive object that the components read and call;
 * the components hold no logic of their own. Big immutable values (the run's report and
 * trace) live in `$state.raw` and are replaced whole; views over them are `$derived`.
 *
 * Browser globals (location, history, indexedDB, the clock, the pause between run slices)
 * come in through `SessionEnv`, so Node tests drive a session with fake-indexeddb.
 */
import { parseSeed, readAddress, writeAddress } from './lib/address.ts';
import { faultAt, withFaults, type AddedFault, type BreakKind } from './lib/breaking.ts';
import { compareRuns, type Comparison } from './lib/comparison.ts';
import { CORE_ENGINE, checkScenario, inPageRunner, type Checked, type Engine, type RunOutcome, type RunProgress, type Runner } from './lib/engine.ts';
import { describeThrown } from './lib/format.ts';
import { DEFAULT_SCENARIO, findEntry, SHIPPED_SCENARIOS, type CatalogEntry } from './scenarios.ts';
import { Transport } from './transport.svelte.ts';
import { openStorage, type WeirStorage } from './storage/db.ts';
import type { LastOpened } from './storage/schema.ts';

export interface SessionEnv {
  location: { readonly pathname: string; readonly search: string; readonly hash: string };
  /** Null where the address cannot be changed (then the page still works). */
  history: { replaceState(data: unknown, unused: string, url?: string | null): void } | null;
  /** The browser's IndexedDB, or undefined when there is none or it may not be used. */
  indexedDB: IDBFactory | undefined;
  /** Wall clock in ms, for slicing runs only (never reaches the engine). */
  now: () => number;
  /** Yields to the browser between run slices. */
  pause: () => Promise<void>;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  /** The browser's requestAnimationFrame, for play; absent in tests that do not play. */
  requestFrame?: (callback: (nowMs: number) => void) => unknown;
}

export interface SessionOptions {
  env: SessionEnv;
  catalog?: readonly CatalogEntry[];
  engine?: Engine;
  /** What runs a scenario: the browser passes a Web Worker's; absent, runs go in this thread. */
  runner?: Runner;
  /** IndexedDB database name (tests use their own). */
  dbName?: string;
}

export type StorageStatus =
  | { kind: 'opening' }
  | { kind: 'ready' }
  /** The browser refused storage, or lost it: the page works, settings are not kept. */
  | { kind: 'refused'; message: string };

export class Session {
  readonly catalog: readonly CatalogEntry[];
  readonly #env: SessionEnv;
  readonly #engine: Engine;
  readonly #runner: Runner;
  readonly #dbName: string | undefined;

  /** False until the address and saved settings have been read. */
  ready = $state(false);
  scenarioName = $state('');
  /** The seed as typed; `seed` is its value, or null when it is not a valid seed. */
  seedText = $state('0');
  running = $state(false);
  progress = $state.raw<RunProgress | null>(null);
  outcome = $state.raw<RunOutcome | null>(null);
  storage = $state.raw<StorageStatus>({ kind: 'opening' });
  /** What storage last confirmed it holds. */
  saved = $state.raw<LastOpened | null>(null);
  /** Problems with the address the page was opened with. */
  notices = $state.raw<readonly string[]>([]);
  /**
   * The finished run against the same scenario and seed without any fault: which records a
   * failure lost, duplicated or changed, sink by sink. Null when the run had no faults.
   */
  comparison = $state.raw<Comparison | null>(null);
  /** Faults added from the page, in the order added: they join the scenario's plan. */
  addedFaults = $state.raw<readonly AddedFault[]>([]);

  /** The cursor over the last finished run: time slider, play, pause, step. */
  readonly transport: Transport;
  /** `t=MS` of the address the page was opened with, for the run it starts. */
  #openAtMs: number | null = null;

  readonly entry: CatalogEntry | null;
  /** The JSON that Run runs: the open scenario with the faults added from the page. */
  readonly runData: unknown;
  readonly checked: Checked | null;
  readonly seed: number | null;
  /** The seed the open scenario asks for (its `seed`, else 0). */
  readonly scenarioSeed: number;
  readonly canRun: boolean;

  #storage: WeirStorage | null = null;
  #storageOpened: Promise<WeirStorage | null> | null = null;
  #saving: Promise<void> = Promise.resolve();
  #generation = 0;
  #stopRequested = false;

  constructor(options: SessionOptions) {
    this.catalog = options.catalog ?? SHIPPED_SCENARIOS;
    this.#env = options.env;
    this.#engine = options.engine ?? CORE_ENGINE;
    this.#runner = options.runner ?? inPageRunner(this.#engine, options.env.now, options.env.pause);
    this.#dbName = options.dbName;
    this.transport = new Transport(options.env.requestFrame === undefined ? {} : { requestFrame: options.env.requestFrame });
    this.entry = $derived(this.catalog.find((e) => e.name === this.scenarioName) ?? null);
    this.runData = $derived(this.entry === null ? null : withFaults(this.entry.data, this.addedFaults));
    this.checked = $derived(this.entry === null ? null : checkScenario(this.#engine, this.runData, this.entry.file));
    this.seed = $derived(parseSeed(this.seedText));
    this.scenarioSeed = $derived(this.entry === null ? 0 : seedOf(this.checked, this.entry.data));
    this.canRun = $derived(this.ready && !this.running && this.checked?.ok === true && this.seed !== null);
  }

  /**
   * Opens what the address asks for (and runs it on `run=end`); else what was last opened
   * in this browser; else the default scenario.
   */
  async start(): Promise<void> {
    const address = readAddress(this.#env.location.search);
    const opening = this.#openStorage();
    const notices: string[] = [];
    let target: { name: string; seed: number | null } | null = null;
    const named = findEntry(this.catalog, address.scenario);
    if (address.scenario !== null) {
      if (named !== null) target = { name: named.name, seed: address.seed };
      else notices.push(`There is no shipped scenario named “${address.scenario}”.`);
    }
    if (address.badSeed !== null) {
      notices.push(`“${address.badSeed}” is not a seed (a whole number); the scenario's own seed is used.`);
    }
    if (target === null) {
      const storage = await opening;
      const last = storage === null ? null : await this.#load(storage);
      if (last !== null && this.#has(last.scenario)) target = { name: last.scenario, seed: last.seed };
    }
    if (target === null) {
      const fallback = this.#has(DEFAULT_SCENARIO) ? DEFAULT_SCENARIO : (this.catalog[0]?.name ?? '');
      target = { name: fallback, seed: null };
    }
    this.notices = notices;
    this.scenarioName = target.name;
    this.seedText = String(target.seed ?? this.scenarioSeed);
    this.ready = true;
    const runNow = address.runToEnd && target.name === named?.name && this.canRun;
    if (runNow) this.#openAtMs = address.timeMs;
    this.#remember(runNow);
    if (runNow) await this.run();
  }

  /**
   * Breaks the job at the transport's time: the fault joins the plan and the run is
   * simulated again from the start; the view then stands where the fault struck.
   */
  async breakAt(kind: BreakKind, task: string): Promise<void> {
    if (this.running || !this.transport.loaded) return;
    const atMs = this.transport.timeMs;
    this.addedFaults = [...this.addedFaults, faultAt(kind, task, atMs)];
    await this.#rerunAt(atMs);
  }

  /** Takes an added fault out of the plan again, and simulates again. */
  async removeFault(index: number): Promise<void> {
    if (this.running || index < 0 || index >= this.addedFaults.length) return;
    const atMs = this.transport.timeMs;
    this.addedFaults = this.addedFaults.filter((_, i) => i !== index);
    await this.#rerunAt(atMs);
  }

  async #rerunAt(atMs: number): Promise<void> {
    this.#openAtMs = atMs;
    await this.run();
  }

  /** Opens another scenario, with its own seed. */
  pick(name: string): void {
    if (!this.#has(name) || name === this.scenarioName) return;
    this.#abandonRun();
    this.addedFaults = [];
    this.scenarioName = name;
    this.seedText = String(this.scenarioSeed);
    this.outcome = null;
    this.#remember(false);
  }

  setSeedText(text: string): void {
    if (text === this.seedText) return;
    this.#abandonRun();
    this.seedText = text;
    if (this.seed !== null) this.#remember(false);
  }

  /** Runs the open scenario with the seed to its end. */
  async run(): Promise<void> {
    const entry = this.entry;
    const checked = this.checked;
    const data = this.runData;
    const seed = this.seed;
    if (!this.canRun || entry === null || checked === null || !checked.ok || seed === null) return;
    const generation = ++this.#generation;
    this.#stopRequested = false;
    this.running = true;
    this.progress = { steps: 0, virtualTimeMs: 0, traceEvents: 0 };
    const outcome = await this.#runner({
      scenario: checked.scenario,
      data,
      name: entry.name,
      file: entry.file,
      seed,
      onProgress: (progress) => {
        if (generation === this.#generation) this.progress = progress;
      },
      shouldStop: () => this.#stopRequested,
      isAbandoned: () => generation !== this.#generation,
    });
    if (outcome === null || generation !== this.#generation) return;
    if (outcome.kind === 'done') this.transport.load(outcome.run.events, outcome.run.report.virtualTime, this.#openAtMs);
    this.#openAtMs = null;
    this.comparison = null;
    this.outcome = outcome;
    if (outcome.kind === 'done' && checked.scenario.faults.length > 0) {
      const reference = await this.#runner({
        scenario: { ...checked.scenario, faults: [] },
        data: { ...(data as object), faults: [] },
        name: entry.name,
        file: entry.file,
        seed,
        isAbandoned: () => generation !== this.#generation,
      });
      if (reference === null || generation !== this.#generation || reference.kind !== 'done') return;
      this.comparison = compareRuns(checked.scenario, reference.run.report, outcome.run.report);
    }
    this.running = false;
    this.progress = null;
    if (outcome.kind === 'done' && !outcome.run.stoppedEarly) this.#syncAddress(true);
  }

  /** Stops a run between two slices, keeping what it did. */
  stop(): void {
    if (this.running) this.#stopRequested = true;
  }

  /** Resolves when every setting asked to be saved so far has been saved (or refused). */
  whenSaved(): Promise<void> {
    return this.#saving;
  }

  /** Closes storage (tests; a page just goes away). */
  async dispose(): Promise<void> {
    this.#abandonRun();
    await this.#saving;
    this.#storage?.close();
    this.#storage = null;
  }

  #has(name: string): boolean {
    return this.catalog.some((e) => e.name === name);
  }

  #abandonRun(): void {
    if (!this.running) return;
    this.#generation++;
    this.running = false;
    this.progress = null;
  }

  /** Puts the open scenario and seed in the address and in storage. */
  #remember(runToEnd: boolean): void {
    this.#syncAddress(runToEnd);
    const seed = this.seed;
    if (this.scenarioName === '' || seed === null) return;
    const value: LastOpened = { scenario: this.scenarioName, seed };
    this.#saving = this.#saving.then(() => this.#save(value));
  }

  #syncAddress(runToEnd: boolean): void {
    const seed = this.seed;
    const history = this.#env.history;
    if (history === null || this.scenarioName === '' || seed === null) return;
    const url = writeAddress(this.#env.location, { scenario: this.scenarioName, seed, runToEnd });
    try {
      history.replaceState(null, '', url);
    } catch {
      // Some embedded frames forbid it; the page works without a shareable address.
    }
  }

  #openStorage(): Promise<WeirStorage | null> {
    this.#storageOpened ??= openStorage({
      indexedDB: this.#env.indexedDB,
      ...(this.#dbName === undefined ? {} : { name: this.#dbName }),
      ...(this.#env.setTimeout === undefined ? {} : { setTimeout: this.#env.setTimeout }),
      onLost: (message) => {
        this.#storage = null;
        this.storage = { kind: 'refused', message };
      },
    }).then((result) => {
      if (!result.ok) {
        this.storage = { kind: 'refused', message: result.message };
        return null;
      }
      this.#storage = result.storage;
      this.storage = { kind: 'ready' };
      return result.storage;
    });
    return this.#storageOpened;
  }

  async #load(storage: WeirStorage): Promise<LastOpened | null> {
    try {
      const last = await storage.loadLastOpened();
      this.saved = last;
      return last;
    } catch (error) {
      this.storage = { kind: 'refused', message: `reading settings failed: ${describeThrown(error)}` };
      return null;
    }
  }

  async #save(value: LastOpened): Promise<void> {
    await this.#openStorage();
    const storage = this.#storage;
    if (storage === null) return;
    try {
      await storage.saveLastOpened(value);
      this.saved = value;
    } catch (error) {
      this.storage = { kind: 'refused', message: `saving settings failed: ${describeThrown(error)}` };
    }
  }
}

/** A scenario's own seed: the validated one, else a readable `seed` field, else 0. */
function seedOf(checked: Checked | null, data: unknown): number {
  if (checked?.ok === true) return checked.scenario.seed;
  if (typeof data === 'object' && data !== null) {
    const seed = (data as Record<string, unknown>)['seed'];
    if (typeof seed === 'number' && Number.isSafeInteger(seed)) return seed;
  }
  return 0;
}
