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
import { faultAt, taskManagerFaultAt, withFaults, type AddedFault, type BreakKind } from './lib/breaking.ts';
import { asBranchHistory, describeChange, goTo, mergeHistories, newHistory, nodeById, recordChange, type BranchHistory } from './lib/branches.ts';
import type { TabChannel, TabMessage } from './lib/tab-channel.ts';
import { inPageInspector, type Inspection, type Inspector } from './lib/inspect.ts';
import { counterexampleDescription, differenceText, firstExtraRecord, firstFaultMs, inPageFinder, type FindAnswer, type Finder, type FindProgress } from './lib/find.ts';
import { compareRuns, type Comparison } from './lib/comparison.ts';
import { compareChoices, diffRuns, firstDifferenceMs, tableSinksOf, type CompareChoice, type SinkDiff } from './lib/compare-configs.ts';
import { applyKnob } from './lib/knobs.ts';
import { CORE_ENGINE, checkScenario, inPageRunner, type Checked, type Engine, type FinishedRun, type RunOutcome, type RunProgress, type Runner } from './lib/engine.ts';
import { describeThrown } from './lib/format.ts';
import { DEFAULT_SCENARIO, findEntry, SHIPPED_SCENARIOS, type CatalogEntry } from './scenarios.ts';
import { Transport } from './transport.svelte.ts';
import { DraftEditor, unreadableDraft } from './editor.svelte.ts';
import { readScenarioFile, readSharedLink, scenarioKey, SHARED_FILE, SHARED_PLACE, type Opened } from './lib/open-scenario.ts';
import { encodeShare, SHARE_ADDRESS_MAX_CHARS, sharedAddress, sharedData, withoutShared } from './lib/share.ts';
import { openStorage, type WeirStorage } from './storage/db.ts';
import type { LastOpened } from './storage/schema.ts';

/** A subtask's state read at one moment: which subtask, in which attempt, at which time. */
export interface InspectionAt {
  readonly task: string;
  readonly attempt: number;
  readonly timeMs: number;
  readonly result: Inspection;
}

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
  /** The channel to this page's other tabs (BroadcastChannel); absent or null: this tab alone. */
  tabs?: TabChannel | null;
}

export interface SessionOptions {
  env: SessionEnv;
  catalog?: readonly CatalogEntry[];
  engine?: Engine;
  /** What runs a scenario: the browser passes a Web Worker's; absent, runs go in this thread. */
  runner?: Runner;
  /** What reads a subtask's state at a time: the browser passes the same Web Worker's. */
  inspector?: Inspector;
  /** What runs `weir check`'s search: the browser passes the same Web Worker's. */
  finder?: Finder;
  /** IndexedDB database name (tests use their own). */
  dbName?: string;
}

/** A link or file that could not be opened: where it came from, and its problems as the CLI prints them. */
export interface OpenProblems {
  source: 'link' | 'file';
  /** The file's name, or how messages name a link. */
  place: string;
  issues: readonly string[];
}

/** The open scenario (A) against one other configuration of it (B), same seed and fault plan. */
export interface ConfigComparison {
  readonly choice: CompareChoice;
  /** B's run; null when it could not run, with `problem` saying why. */
  readonly b: FinishedRun | null;
  readonly problem: string | null;
  readonly diff: readonly SinkDiff[];
  /** When the two committed outputs first part; null when they commit the same. */
  readonly firstDifferenceMs: number | null;
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
  readonly #inspector: Inspector;
  readonly #finder: Finder;
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
  /** The subtask picked in the job graph: its state is shown, and it can be broken. */
  selectedTask = $state<string | null>(null);
  /** Its keyed state and timers at `timeMs` of the last run, read by replaying the run. */
  inspection = $state.raw<InspectionAt | null>(null);
  /** The search for a fault plan that breaks exactly-once (`weir check`), while it runs, and its answer. */
  finding = $state(false);
  findProgress = $state.raw<FindProgress | null>(null);
  found = $state.raw<{ readonly scenario: string; readonly answer: FindAnswer } | null>(null);
  /**
   * For a run with faults: when its output first differs from the run without (the first
   * committed record the fault-free run has no more of; else the first fault). Null: no faults.
   */
  firstDifferenceMs = $state<number | null>(null);
  /** What differs there, in words ("sink out writes … a second time"), when the runs say. */
  firstDifferenceText = $state<string | null>(null);
  /** Faults added from the page, in the order added: they join the scenario's plan. */
  addedFaults = $state.raw<readonly AddedFault[]>([]);
  /** The open scenario against another configuration of it, run on the same seed and plan; null: none asked for. */
  configComparison = $state.raw<ConfigComparison | null>(null);
  /** True while configuration B runs. */
  comparingConfigs = $state(false);
  /** Every plan tried on the open scenario, as a tree; its current node is `addedFaults`. Kept in storage per scenario. */
  branches = $state.raw<BranchHistory>(newHistory());
  /** Whether the last finished run ran an edited draft rather than the shipped file. */
  ranDraft = $state(false);
  /**
   * The scenario open from a `#s=` link or a file, which is not shipped; kept while the page
   * lives, so the picker can go back to it. It is never saved as the last opened scenario.
   */
  shared = $state.raw<CatalogEntry | null>(null);
  /** Why the link or file last opened could not be (the open scenario stayed open). */
  openProblems = $state.raw<OpenProblems | null>(null);

  /** The cursor over the last finished run: time slider, play, pause, step. */
  readonly transport: Transport;
  /** The scenario editor: a draft of the open scenario, which Run runs (its last valid version). */
  readonly editor: DraftEditor;
  /** `t=MS` of the address the page was opened with, for the run it starts. */
  #openAtMs: number | null = null;

  readonly entry: CatalogEntry | null;
  /** The JSON that Run runs: the open scenario (or its draft) with the faults added from the page. */
  readonly runData: unknown;
  readonly checked: Checked | null;
  readonly seed: number | null;
  /** The seed the open scenario asks for (its `seed`, else 0). */
  readonly scenarioSeed: number;
  readonly canRun: boolean;
  /** The other configurations the open scenario can be compared with (one knob changed, still valid). */
  readonly compareOptions: readonly CompareChoice[];

  #storage: WeirStorage | null = null;
  #storageOpened: Promise<WeirStorage | null> | null = null;
  #saving: Promise<void> = Promise.resolve();
  #generation = 0;
  #inspections = 0;
  #stopFinding = false;
  /** The next run is a counterexample just opened: its view starts where it first differs. */
  #jumpToDifference = false;
  /** What the last finished run ran: its JSON, file and seed, for inspections of it. */
  #ran: { data: unknown; file: string; seed: number } | null = null;
  #stopRequested = false;
  #stopListening: () => void = () => undefined;
  /** The comparison asked for (a choice id): run again with every run of A, so B keeps A's plan. */
  #compareChoice: string | null = null;

  constructor(options: SessionOptions) {
    this.catalog = options.catalog ?? SHIPPED_SCENARIOS;
    this.#env = options.env;
    this.#engine = options.engine ?? CORE_ENGINE;
    this.#runner = options.runner ?? inPageRunner(this.#engine, options.env.now, options.env.pause);
    this.#inspector = options.inspector ?? inPageInspector(this.#engine);
    this.#finder = options.finder ?? inPageFinder(options.env.now, options.env.pause);
    this.#dbName = options.dbName;
    this.transport = new Transport(options.env.requestFrame === undefined ? {} : { requestFrame: options.env.requestFrame });
    this.editor = new DraftEditor({
      checkerFor: (file) => (data) => {
        const checked = checkScenario(this.#engine, data, file);
        return checked.ok ? [] : checked.issues;
      },
      onKeep: (scenario, text) => this.#keepDraft(scenario, text),
      ...(options.env.setTimeout === undefined ? {} : { setTimeout: options.env.setTimeout }),
    });
    this.entry = $derived(this.shared?.name === this.scenarioName ? this.shared : (this.catalog.find((e) => e.name === this.scenarioName) ?? null));
    this.runData = $derived(this.entry === null ? null : withFaults((this.editor.runnableFor(this.entry.name) ?? this.entry).data, this.addedFaults));
    this.checked = $derived(this.entry === null ? null : checkScenario(this.#engine, this.runData, this.entry.file));
    this.seed = $derived(parseSeed(this.seedText));
    this.scenarioSeed = $derived(this.entry === null ? 0 : seedOf(this.checked, this.entry.data));
    this.canRun = $derived(this.ready && !this.running && this.checked?.ok === true && this.seed !== null);
    this.compareOptions = $derived(this.entry === null || this.checked?.ok !== true ? [] : compareChoices(this.runData, (data) => checkScenario(this.#engine, data, this.entry?.file ?? '').ok));
    const tabs = options.env.tabs;
    if (tabs) this.#stopListening = tabs.subscribe((message) => this.#fromAnotherTab(message));
  }

  /** Another tab kept a draft or a tree of fault plans: this tab shows the newest, and loses none of its own. */
  #fromAnotherTab(message: TabMessage): void {
    if (message.type === 'draft') {
      this.editor.receiveKept(message.scenario, message.text);
      return;
    }
    const theirs = asBranchHistory(message.history);
    if (theirs !== null && message.scenario === this.scenarioName) this.branches = mergeHistories(this.branches, theirs);
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
    // `#s=DATA` in place of `scenario=NAME` (CONTRACT section 4); a link that cannot be opened shows why, and the page opens what it would have.
    const link = sharedData(this.#env.location.hash);
    const linked = link === null ? null : this.#accept(readSharedLink(link), 'link', SHARED_PLACE);
    if (linked !== null) {
      this.shared = linked;
      target = { name: linked.name, seed: address.seed };
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
    // An address that runs a scenario runs the shipped file (CONTRACT section 4); a kept draft of it is offered.
    const runAsked = address.runToEnd && (target.name === named?.name || target.name === linked?.name);
    if (!runAsked) notices.push(...(await this.#loadDrafts(await opening)));
    this.notices = notices;
    this.scenarioName = target.name;
    this.#loadBranches();
    this.#openEditor(!runAsked);
    this.seedText = String(target.seed ?? this.scenarioSeed);
    this.ready = true;
    const runNow = runAsked && this.canRun;
    if (runNow) this.#openAtMs = address.timeMs;
    this.#remember(runNow);
    if (runNow) await this.run();
    if (runAsked) {
      const more = await this.#loadDrafts(await opening);
      this.notices = [...this.notices, ...more];
      this.editor.offerKept();
    }
  }

  /**
   * Breaks the job at the transport's time: the fault joins the plan and the run is
   * simulated again from the start; the view then stands where the fault struck.
   */
  async breakAt(kind: BreakKind, task: string): Promise<void> {
    if (this.running || !this.transport.loaded) return;
    const atMs = this.transport.timeMs;
    this.#changePlan([...this.addedFaults, faultAt(kind, task, atMs)], atMs);
    await this.#rerunAt(atMs);
  }

  /** Kills a TaskManager at the transport's time (`kill-taskmanager`), as breakAt does a subtask. */
  async breakTaskManager(taskManager: string): Promise<void> {
    if (this.running || !this.transport.loaded) return;
    const atMs = this.transport.timeMs;
    this.#changePlan([...this.addedFaults, taskManagerFaultAt(taskManager, atMs)], atMs);
    await this.#rerunAt(atMs);
  }

  /**
   * Searches for a fault plan that breaks exactly-once for the open scenario, as `weir check
   * FILE --runs N --seed S --max-faults K` does (the file's own faults are dropped).
   */
  async find(runs: number, seed: number, maxFaults: number): Promise<void> {
    const entry = this.entry;
    if (this.finding || this.running || entry === null || this.checked?.ok !== true) return;
    const scenario = entry.name;
    this.finding = true;
    this.found = null;
    this.#stopFinding = false;
    this.findProgress = { done: 0, runs, shrinking: false };
    const answer = await this.#finder(
      { data: this.runData, file: entry.file, runs, seed, maxFaults },
      (progress) => {
        if (this.finding) this.findProgress = progress;
      },
      () => this.#stopFinding,
    );
    this.finding = false;
    this.findProgress = null;
    if (scenario === this.scenarioName) this.found = { scenario, answer };
  }

  /** Stops the search after the run it is making (its answer says how many held). */
  stopFinding(): void {
    if (this.finding) this.#stopFinding = true;
  }

  /** Opens the counterexample the search found, runs it, and stands the view where its output first differs. */
  async openCounterexample(): Promise<void> {
    const found = this.found?.answer;
    if (found?.ok !== true || found.summary.counterexample === null || this.running) return;
    const described = { ...(found.summary.counterexample as object), description: counterexampleDescription(found.summary, this.entry?.file ?? 'the scenario') };
    const text = JSON.stringify(described, null, 2);
    if (!this.openFile('counterexample.json', new TextEncoder().encode(text))) return;
    this.#jumpToDifference = true;
    await this.run();
  }

  /** Picks a subtask of the job graph (null: none). */
  select(task: string | null): void {
    this.selectedTask = task === this.selectedTask ? null : task;
    if (this.selectedTask === null) this.inspection = null;
  }

  /**
   * Reads the picked subtask's state at `timeMs` of the last run, keyed by (task, attempt,
   * time): an answer that comes back after a newer question, or for a time or an attempt the
   * cursor has left, is dropped, so the panel never shows another moment than the cursor's.
   */
  async inspectAt(timeMs: number): Promise<void> {
    const task = this.selectedTask;
    const ran = this.#ran;
    if (task === null || ran === null || this.outcome?.kind !== 'done') return;
    const asked = ++this.#inspections;
    const attempt = this.#attemptAt(task);
    const result = await this.#inspector({ ...ran, timeMs, task });
    const current = asked === this.#inspections && task === this.selectedTask && timeMs === this.transport.timeMs && attempt === this.#attemptAt(task);
    if (current) this.inspection = { task, attempt, timeMs, result };
  }

  /** The attempt of `task` at the transport's cursor, from the trace (1 before it is deployed). */
  #attemptAt(task: string): number {
    return this.transport.moment?.subtasks.find((s) => s.id === task)?.attempt ?? 1;
  }

  /** Takes an added fault out of the plan again, and simulates again. */
  async removeFault(index: number): Promise<void> {
    if (this.running || index < 0 || index >= this.addedFaults.length) return;
    const atMs = this.transport.timeMs;
    this.#changePlan(this.addedFaults.filter((_, i) => i !== index), atMs);
    await this.#rerunAt(atMs);
  }

  /**
   * Goes back to a plan tried before (a node of `branches`): its faults become the plan,
   * the run is simulated again, and the view stands where it stood when that plan was made.
   * Changing anything from there starts a branch.
   */
  async goToBranch(id: number): Promise<void> {
    const node = nodeById(this.branches, id);
    if (this.running || node === undefined || id === this.branches.current) return;
    this.addedFaults = node.faults;
    this.#setBranches(goTo(this.branches, id));
    await this.#rerunAt(node.atMs);
  }

  #changePlan(faults: readonly AddedFault[], atMs: number): void {
    const change = describeChange(this.addedFaults, faults);
    this.addedFaults = faults;
    this.#setBranches(recordChange(this.branches, faults, change, atMs));
  }

  #setBranches(history: BranchHistory): void {
    this.branches = history;
    const scenario = this.scenarioName;
    this.#saving = this.#saving.then(async () => {
      await this.#openStorage();
      const storage = this.#storage;
      if (storage === null) return;
      try {
        const stored = await storage.saveBranches(scenario, history);
        // Another tab may have kept plans this one has not seen: show them too.
        if (scenario === this.scenarioName) this.branches = mergeHistories(this.branches, stored);
        this.#env.tabs?.post({ type: 'branches', scenario, history: stored });
      } catch (error) {
        this.storage = { kind: 'refused', message: `saving the tried fault plans failed: ${describeThrown(error)}` };
      }
    });
  }

  /**
   * The tree kept for the scenario just opened, standing at its root (the scenario as
   * written: opening a scenario runs its file); a damaged one is skipped with a notice.
   */
  #loadBranches(): void {
    const scenario = this.scenarioName;
    this.branches = newHistory();
    this.#saving = this.#saving.then(async () => {
      const storage = await this.#openStorage();
      if (storage === null) return;
      try {
        const kept = await storage.loadBranches(scenario);
        if (scenario !== this.scenarioName || this.branches.nodes.length > 1) return;
        if (kept === 'damaged') this.notices = [...this.notices, `The fault plans kept for “${scenario}” could not be read and were skipped.`];
        else if (kept !== null) this.branches = goTo(kept, kept.nodes[0]!.id);
      } catch (error) {
        this.notices = [...this.notices, `The fault plans kept for “${scenario}” could not be read (${describeThrown(error)}).`];
      }
    });
  }

  async #rerunAt(atMs: number): Promise<void> {
    this.#openAtMs = atMs;
    await this.run();
  }

  /**
   * Runs configuration B (the open scenario with `choiceId`'s change) beside the last run,
   * on the same seed and fault plan; each later run of A runs B again. Null puts it away.
   */
  async compareWith(choiceId: string | null): Promise<void> {
    if (this.running || this.comparingConfigs) return;
    this.#compareChoice = choiceId;
    if (choiceId === null) {
      this.configComparison = null;
      return;
    }
    const current = this.outcome?.kind === 'done' && this.#ran !== null && this.#ran.data === this.runData && this.#ran.seed === this.seed;
    if (current) await this.#runB(this.#generation);
    else await this.run();
  }

  async #runB(generation: number): Promise<void> {
    const choice = this.compareOptions.find((c) => c.id === this.#compareChoice);
    const entry = this.entry;
    const seed = this.seed;
    const a = this.outcome;
    // The scenario A ran: the run under way, or the last one when nothing changed since.
    const checkedA = this.checked;
    if (choice === undefined || entry === null || seed === null || a?.kind !== 'done' || checkedA?.ok !== true) {
      this.configComparison = null;
      return;
    }
    const data = applyKnob(this.runData, choice.change);
    const checked = checkScenario(this.#engine, data, entry.file);
    if (!checked.ok) {
      this.configComparison = { choice, b: null, problem: checked.issues.join('\n'), diff: [], firstDifferenceMs: null };
      return;
    }
    this.comparingConfigs = true;
    const b = await this.#runner({ scenario: checked.scenario, data, name: entry.name, file: entry.file, seed, isAbandoned: () => generation !== this.#generation });
    this.comparingConfigs = false;
    if (b === null || generation !== this.#generation) return;
    if (b.kind !== 'done') {
      this.configComparison = { choice, b: null, problem: b.kind === 'error' ? b.message : b.issues.join('\n'), diff: [], firstDifferenceMs: null };
      return;
    }
    const tablesA = tableSinksOf(checkedA.scenario);
    const tablesB = tableSinksOf(checked.scenario);
    const tableSinkIds = [...Object.keys(tablesA), ...Object.keys(tablesB).filter((id) => !Object.hasOwn(tablesA, id))];
    this.configComparison = { choice, b: b.run, problem: null, diff: diffRuns(a.run.report, b.run.report, tablesA, tablesB), firstDifferenceMs: firstDifferenceMs(a.run, b.run, tableSinkIds) };
  }

  /** Opens another scenario, with its own seed. */
  pick(name: string): void {
    if (!this.#has(name) || name === this.scenarioName) return;
    this.#abandonRun();
    this.addedFaults = [];
    this.selectedTask = null;
    this.inspection = null;
    this.found = null;
    this.scenarioName = name;
    this.#forgetComparison();
    this.#loadBranches();
    this.#openEditor(true);
    this.seedText = String(this.scenarioSeed);
    this.outcome = null;
    this.#remember(false);
  }

  /**
   * Opens a lesson from the picker and runs it, so that the transport is there at once,
   * standing at t=0 for play (a draft that does not validate is opened and not run).
   */
  async pickLesson(name: string): Promise<void> {
    if (!this.#has(name) || name === this.scenarioName) return;
    this.pick(name);
    if (!this.canRun) return;
    this.#openAtMs = 0;
    await this.run();
  }

  /**
   * Opens a scenario file from the person's disk (its bytes; its name names it in messages),
   * validated as `weir validate` would. One that is not valid is listed in `openProblems`
   * and the open scenario stays open. Resolves to whether it opened.
   */
  openFile(name: string, bytes: Uint8Array): boolean {
    const entry = this.#accept(readScenarioFile(name, bytes), 'file', name);
    if (entry !== null) this.#openShared(entry, null);
    return entry !== null;
  }

  /** Opens a `#s=` link pasted into this page's address bar (only the fragment changed, so the page did not reload). */
  async followLink(hash: string): Promise<void> {
    const data = sharedData(hash);
    if (data === null || !this.ready) return;
    const entry = this.#accept(readSharedLink(data), 'link', SHARED_PLACE);
    if (entry === null) return;
    const address = readAddress(this.#env.location.search);
    this.#openShared(entry, address.seed);
    if (address.runToEnd) await this.run();
  }

  /**
   * The address that opens what Run would run now (the open scenario with its edits and the
   * faults added from the page) with the seed, run to its end: `?seed=N&run=end#s=DATA`.
   * Null when no scenario is open.
   */
  shareLink(): string | null {
    this.editor.flush();
    if (this.entry === null || this.runData === null) return null;
    return sharedAddress(this.#env.location, { data: encodeShare(this.runData), seed: this.seed ?? this.scenarioSeed, runToEnd: true });
  }

  /** Puts away the problems of a link or file that could not be opened. */
  dismissOpenProblems(): void {
    this.openProblems = null;
  }

  setSeedText(text: string): void {
    if (text === this.seedText) return;
    this.#abandonRun();
    this.seedText = text;
    if (this.seed !== null) this.#remember(false);
  }

  /** Runs the open scenario with the seed to its end. */
  async run(): Promise<void> {
    this.editor.flush();
    const entry = this.entry;
    const checked = this.checked;
    const data = this.runData;
    const seed = this.seed;
    if (!this.canRun || entry === null || checked === null || !checked.ok || seed === null) return;
    const generation = ++this.#generation;
    const draft = this.editor.edited;
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
    this.#ran = { data, file: entry.file, seed };
    this.inspection = null;
    if (outcome.kind === 'done') this.transport.load(outcome.run.events, outcome.run.report.virtualTime, this.#openAtMs);
    this.#openAtMs = null;
    this.comparison = null;
    this.firstDifferenceMs = null;
    this.firstDifferenceText = null;
    this.ranDraft = draft;
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
      const tables = checked.scenario.job.operators.flatMap((op) => (op.type === 'sink' && op.sink.type === 'idempotent' ? [op.id] : []));
      const extra = firstExtraRecord(reference.run.report, outcome.run.events, tables);
      this.firstDifferenceMs = extra?.timeMs ?? firstFaultMs(outcome.run.events);
      this.firstDifferenceText = this.firstDifferenceMs === null ? null : differenceText(extra, this.comparison.verdict.lost);
      if (this.firstDifferenceMs !== null && this.firstDifferenceText !== null) this.transport.note = { timeMs: this.firstDifferenceMs, text: this.firstDifferenceText };
      if (this.#jumpToDifference && this.firstDifferenceMs !== null) this.transport.seek(this.firstDifferenceMs);
    }
    this.#jumpToDifference = false;
    if (outcome.kind === 'done' && this.#compareChoice !== null) await this.#runB(generation);
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
    this.#stopListening();
    this.#abandonRun();
    await this.#saving;
    this.#storage?.close();
    this.#storage = null;
  }

  #has(name: string): boolean {
    return this.catalog.some((e) => e.name === name) || this.shared?.name === name;
  }

  /** True when the open scenario came from a link or a file. */
  #sharedOpen(): boolean {
    return this.shared !== null && this.scenarioName === this.shared.name;
  }

  /** The entry for a link or file that validated; otherwise null, with its problems in `openProblems`. */
  #accept(opened: Opened, source: OpenProblems['source'], place: string): CatalogEntry | null {
    if (!opened.ok) {
      this.openProblems = { source, place, issues: opened.issues };
      return null;
    }
    this.openProblems = null;
    // Named by content, so two links never share a draft, and never a shipped scenario's name.
    const name = `${source === 'link' ? 'shared' : 'file'}/${scenarioKey(opened.text)}`;
    return { name, file: source === 'link' ? SHARED_FILE : place, data: opened.data };
  }

  #openShared(entry: CatalogEntry, seed: number | null): void {
    this.#abandonRun();
    this.addedFaults = [];
    this.shared = entry;
    this.scenarioName = entry.name;
    this.#forgetComparison();
    this.#loadBranches();
    this.#openEditor(true);
    this.seedText = String(seed ?? this.scenarioSeed);
    this.outcome = null;
    this.#remember(false);
  }

  #forgetComparison(): void {
    this.#compareChoice = null;
    this.configComparison = null;
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
    // A link or a file is not shipped: it must not take the place of what the person last opened here.
    if (this.scenarioName === '' || seed === null || this.#sharedOpen()) return;
    const value: LastOpened = { scenario: this.scenarioName, seed };
    this.#saving = this.#saving.then(() => this.#save(value));
  }

  #syncAddress(runToEnd: boolean): void {
    const seed = this.seed;
    const history = this.#env.history;
    if (history === null || this.scenarioName === '' || seed === null) return;
    // An edited draft is not the shipped file that `run=end` runs: a reload opens the draft instead.
    const url = this.#sharedOpen()
      ? this.#sharedUrl(seed, runToEnd)
      : writeAddress({ ...this.#env.location, hash: withoutShared(this.#env.location.hash) }, { scenario: this.scenarioName, seed, runToEnd: runToEnd && !this.editor.edited });
    try {
      history.replaceState(null, '', url);
    } catch {
      // Some embedded frames forbid it; the page works without a shareable address.
    }
  }

  /** A link or file's address holds the scenario itself (with its edits), so a reload opens it again. */
  #sharedUrl(seed: number, runToEnd: boolean): string {
    const entry = this.entry;
    const data = entry === null ? '' : encodeShare((this.editor.runnableFor(entry.name) ?? entry).data);
    return data.length > SHARE_ADDRESS_MAX_CHARS
      ? sharedAddress(this.#env.location, { data: null, seed, runToEnd: false })
      : sharedAddress(this.#env.location, { data, seed, runToEnd });
  }

  #openEditor(draft: boolean): void {
    const entry = this.entry;
    if (entry !== null) this.editor.open(entry, draft);
  }

  /** Hands the saved drafts to the editor; says which could not be read (they are skipped). */
  async #loadDrafts(storage: WeirStorage | null): Promise<string[]> {
    if (storage === null) return [];
    try {
      const { drafts, damaged } = await storage.loadDrafts();
      const notices = damaged.map((key) => `A saved draft (“${key}”) could not be read and was skipped.`);
      const readable = drafts.filter((d) => {
        if (!this.#has(d.scenario)) return false;
        const why = unreadableDraft(d.text);
        if (why !== null) notices.push(`The saved draft of “${d.scenario}” could not be read (${why}) and was skipped; the shipped file is open.`);
        return why === null;
      });
      this.editor.keepAll(readable);
      return notices;
    } catch (error) {
      return [`Saved drafts could not be read (${describeThrown(error)}); the shipped files are open.`];
    }
  }

  /** Keeps the editor's draft of `scenario` in storage (null: forgets it). */
  #keepDraft(scenario: string, text: string | null): void {
    this.#syncAddress(false);
    this.#saving = this.#saving.then(async () => {
      await this.#openStorage();
      const storage = this.#storage;
      if (storage === null) return;
      try {
        if (text === null) await storage.deleteDraft(scenario);
        else await storage.saveDraft({ scenario, text });
        this.#env.tabs?.post({ type: 'draft', scenario, text });
      } catch (error) {
        this.storage = { kind: 'refused', message: `saving the draft failed: ${describeThrown(error)}` };
      }
    });
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
