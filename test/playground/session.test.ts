// The playground's session in Node: address, saved settings (fake-indexeddb), runs through
// the real engine, and the failure paths (refused storage, invalid scenario, engine error).
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type Simulation } from '../../core/index.ts';
import { CORE_ENGINE, type Engine } from '../../playground/src/lib/engine.ts';
import { catalogFromModules, SHIPPED_SCENARIOS, type CatalogEntry } from '../../playground/src/scenarios.ts';
import { Session, type SessionEnv } from '../../playground/src/session.svelte.ts';
import { openStorage } from '../../playground/src/storage/db.ts';

let counter = 0;
const sessions: Session[] = [];

interface FakeBrowser {
  env: SessionEnv;
  urls: string[];
}

/** A browser at `?search`, with fake-indexeddb unless `factory` says otherwise (null: none). */
function fakeBrowser(search = '', factory: IDBFactory | null = indexedDB): FakeBrowser {
  const urls: string[] = [];
  const location = { pathname: '/', search, hash: '' };
  let clock = 0;
  const env: SessionEnv = {
    location,
    history: {
      replaceState(_data, _unused, url) {
        if (typeof url !== 'string') return;
        urls.push(url);
        location.search = url.slice(url.indexOf('?'), url.includes('#') ? url.indexOf('#') : undefined);
      },
    },
    indexedDB: factory ?? undefined,
    now: () => (clock += 1),
    pause: () => Promise.resolve(),
  };
  return { env, urls };
}

function session(browser: FakeBrowser, dbName: string, options: { catalog?: CatalogEntry[]; engine?: Engine } = {}): Session {
  const created = new Session({ env: browser.env, dbName, ...options });
  sessions.push(created);
  return created;
}

const freshDb = (): string => `weir-test-session-${++counter}`;

function nodeHash(name: string, seed: number): string {
  const file = `scenarios/${name}.json`;
  const checked = validateScenario(JSON.parse(readFileSync(file, 'utf8')), file);
  if (!checked.ok) throw new Error(`${file} is not valid`);
  const sim = createSimulation({ scenario: checked.scenario, seed });
  sim.run();
  return sim.report().traceHash;
}

afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
});

describe('the shipped catalog', () => {
  it('holds every scenarios/*.json by base name and the training exercises as training/NAME, hello-map-filter among them', () => {
    const names = SHIPPED_SCENARIOS.map((e) => e.name);
    expect(names).toContain('hello-map-filter');
    expect(names).toEqual(expect.arrayContaining(['training/ride-cleansing', 'training/hourly-tips', 'training/long-ride-alerts', 'training/rides-and-fares']));
    expect(names).toEqual([...names].sort());
    expect(SHIPPED_SCENARIOS.every((e) => e.file === `scenarios/${e.name}.json`)).toBe(true);
  });
});

describe('Session.start', () => {
  it('opens hello-map-filter with its own seed when nothing is asked for or saved', async () => {
    const browser = fakeBrowser();
    const s = session(browser, freshDb());
    await s.start();
    expect(s.ready).toBe(true);
    expect(s.scenarioName).toBe('hello-map-filter');
    expect(s.seedText).toBe(String(s.scenarioSeed));
    expect(s.canRun).toBe(true);
    expect(s.outcome).toBeNull();
    expect(s.storage).toEqual({ kind: 'ready' });
    expect(browser.urls.at(-1)).toBe(`/?scenario=hello-map-filter&seed=${s.scenarioSeed}`);
  });

  it('restores the last opened scenario and seed from storage', async () => {
    const dbName = freshDb();
    const opened = await openStorage({ indexedDB, name: dbName });
    if (!opened.ok) throw new Error(opened.message);
    const other = SHIPPED_SCENARIOS.at(-1)?.name ?? 'hello-map-filter';
    await opened.storage.saveLastOpened({ scenario: other, seed: 9 });
    opened.storage.close();

    const s = session(fakeBrowser(), dbName);
    await s.start();
    expect(s.scenarioName).toBe(other);
    expect(s.seedText).toBe('9');
    expect(s.saved).toEqual({ scenario: other, seed: 9 });
  });

  it('saves what the person picks, and a new session restores it', async () => {
    const dbName = freshDb();
    const browser = fakeBrowser();
    const first = session(browser, dbName);
    await first.start();
    const other = SHIPPED_SCENARIOS.find((e) => e.name !== 'hello-map-filter')?.name ?? 'hello-map-filter';
    first.pick(other);
    first.setSeedText('12');
    first.setSeedText('12x'); // not a seed: not saved, address unchanged
    await first.whenSaved();
    expect(first.saved).toEqual({ scenario: other, seed: 12 });
    expect(browser.urls.at(-1)).toBe(`/?scenario=${other}&seed=12`);
    await first.dispose();

    const second = session(fakeBrowser(), dbName);
    await second.start();
    expect([second.scenarioName, second.seedText]).toEqual([other, '12']);
  });

  it('runs the scenario in the address to its end, with the hash Node computes', async () => {
    const dbName = freshDb();
    const browser = fakeBrowser('?scenario=hello-map-filter&seed=5&run=end');
    const s = session(browser, dbName);
    await s.start();
    const outcome = s.outcome;
    expect(outcome?.kind).toBe('done');
    if (outcome?.kind !== 'done') return;
    expect(outcome.seed).toBe(5);
    expect(outcome.run.report.traceHash).toBe(nodeHash('hello-map-filter', 5));
    expect(outcome.run.report.status).toBe('FINISHED');
    expect(outcome.run.events.length).toBeGreaterThan(0);
    expect(outcome.run.stoppedEarly).toBe(false);
    expect(browser.urls.at(-1)).toBe('/?scenario=hello-map-filter&seed=5&run=end');
    await s.whenSaved();
    expect(s.saved).toEqual({ scenario: 'hello-map-filter', seed: 5 });
  });

  it('opens a training exercise by its base name alone (CONTRACT section 4), under its full name', async () => {
    const s = session(fakeBrowser('?scenario=ride-cleansing&seed=0'), freshDb());
    await s.start();
    expect(s.scenarioName).toBe('training/ride-cleansing');
    expect(s.entry?.file).toBe('scenarios/training/ride-cleansing.json');
    expect(s.notices).toEqual([]);
  });

  it('says so when the address names no shipped scenario, and opens the default', async () => {
    const s = session(fakeBrowser('?scenario=nope&seed=x&run=end'), freshDb());
    await s.start();
    expect(s.scenarioName).toBe('hello-map-filter');
    expect(s.notices).toEqual([
      'There is no shipped scenario named “nope”.',
      '“x” is not a seed (a whole number); the scenario\'s own seed is used.',
    ]);
    expect(s.outcome).toBeNull();
  });
});

describe('when the browser refuses storage', () => {
  it('works without IndexedDB and says why settings are not kept', async () => {
    const s = session(fakeBrowser('', null), freshDb());
    await s.start();
    expect(s.storage).toEqual({ kind: 'refused', message: 'this browser offers no IndexedDB here' });
    expect(s.scenarioName).toBe('hello-map-filter');
    s.setSeedText('3');
    await s.whenSaved();
    expect(s.saved).toBeNull();
    await s.run();
    expect(s.outcome?.kind).toBe('done');
  });

  it('works when opening the database throws', async () => {
    const refusing = {
      open() {
        throw new DOMException('denied', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const s = session(fakeBrowser('', refusing), freshDb());
    await s.start();
    expect(s.storage).toEqual({ kind: 'refused', message: 'SecurityError: denied' });
    expect(s.ready).toBe(true);
  });
});

describe('Session.run', () => {
  it('gives the same hash as Simulation.run for every shipped scenario', async () => {
    for (const entry of SHIPPED_SCENARIOS) {
      const s = session(fakeBrowser(`?scenario=${entry.name}&seed=2`), freshDb());
      await s.start();
      await s.run();
      const outcome = s.outcome;
      expect(outcome?.kind, entry.name).toBe('done');
      if (outcome?.kind === 'done') expect(outcome.run.report.traceHash, entry.name).toBe(nodeHash(entry.name, 2));
    }
  });

  it('shows validation issues of an invalid scenario instead of running it', async () => {
    const catalog = catalogFromModules({
      '../../scenarios/broken.json': { format: 'weir/scenario@1', name: 'Broken', job: { name: 'j', operators: 'none' } },
    });
    const s = session(fakeBrowser('?scenario=broken&seed=1&run=end'), freshDb(), { catalog });
    await s.start();
    expect(s.scenarioName).toBe('broken');
    expect(s.checked?.ok).toBe(false);
    if (s.checked?.ok === false) {
      expect(s.checked.issues.length).toBeGreaterThan(0);
      expect(s.checked.issues[0]).toMatch(/^scenarios\/broken\.json: \$[.\w[\]]*: /);
    }
    expect(s.canRun).toBe(false);
    expect(s.outcome).toBeNull();
    expect(s.seedText).toBe('1');
  });

  it('turns an exception in the engine into an error outcome with the step', async () => {
    const engine: Engine = {
      validateScenario: CORE_ENGINE.validateScenario,
      createSimulation: (options) => {
        const sim = CORE_ENGINE.createSimulation(options);
        let steps = 0;
        return {
          ...sim,
          step: () => {
            if (++steps > 1) throw new RangeError('invariant broken at step 2');
            return sim.step();
          },
        } as Simulation;
      },
    };
    const s = session(fakeBrowser(), freshDb(), { engine });
    await s.start();
    await s.run();
    expect(s.outcome).toMatchObject({ kind: 'error', message: 'RangeError: invariant broken at step 2', steps: 1 });
    expect(s.running).toBe(false);
  });

  it('stops a long run between slices and keeps what it did', async () => {
    let s: Session | null = null;
    const engine: Engine = {
      validateScenario: CORE_ENGINE.validateScenario,
      createSimulation: (options) => {
        const sim = CORE_ENGINE.createSimulation(options);
        return { ...sim, step: () => true, report: () => sim.report() } as Simulation;
      },
    };
    const browser = fakeBrowser();
    let pauses = 0;
    browser.env.pause = () => {
      if (++pauses === 3) s?.stop();
      return Promise.resolve();
    };
    s = session(browser, freshDb(), { engine });
    await s.start();
    await s.run();
    expect(pauses).toBe(3);
    expect(s.outcome).toMatchObject({ kind: 'done', run: { stoppedEarly: true } });
    expect(s.running).toBe(false);
  });

  it('abandons a run when the person picks another seed', async () => {
    let s: Session | null = null;
    const engine: Engine = {
      validateScenario: CORE_ENGINE.validateScenario,
      createSimulation: (options) => ({ ...CORE_ENGINE.createSimulation(options), step: () => true }) as Simulation,
    };
    const browser = fakeBrowser();
    browser.env.pause = () => {
      s?.setSeedText('77');
      return Promise.resolve();
    };
    s = session(browser, freshDb(), { engine });
    await s.start();
    await s.run();
    expect(s.running).toBe(false);
    expect(s.outcome).toBeNull();
    expect(s.seedText).toBe('77');
  });
});
