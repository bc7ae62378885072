/**
 * The trace events that tell a student why (level full only): window.created and
 * window.purged, timer.registered and timer.fired, state.updated. Checked on shipped
 * scenarios and small jobs for what they must say and in which order: a window is created
 * before it fires and cleaned up after its last firing, a late record comes after its
 * windows were cleaned up, every timer that fires was registered first, and each state
 * change says what was written. At level summary none of them is kept.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { createSimulation, parseScenarioText, validateScenario, type JsonValue, type Scenario, type TraceEvent } from '../../core/index.ts';

const STORY_TAGS = ['window.created', 'window.purged', 'timer.registered', 'timer.fired', 'state.updated'] as const;

function shipped(name: string): Scenario {
  const result = parseScenarioText(readFileSync(`scenarios/${name}.json`, 'utf8'), name);
  if (!result.ok) throw new Error(`${name} does not validate`);
  return result.scenario;
}

function trace(scenario: Scenario, level: 'summary' | 'full' = 'full'): { events: readonly TraceEvent[]; restarts: number } {
  const sim = createSimulation({ scenario, traceLevel: level });
  sim.run();
  return { events: sim.trace.events, restarts: sim.report().restarts.length };
}

type Of<T extends TraceEvent['tag']> = Extract<TraceEvent, { tag: T }>;
const of = <T extends TraceEvent['tag']>(events: readonly TraceEvent[], tag: T): Of<T>[] => events.filter((e): e is Of<T> => e.tag === tag);
const windowId = (e: { task: string; attempt: number; key: JsonValue; start: number; end: number }) => `${e.task}@${e.attempt}/${JSON.stringify(e.key)}/[${e.start},${e.end})`;

describe('windows: created, fired, cleaned up', () => {
  it("a window's own timers are not traced: its opening, firing and cleanup tell the same", () => {
    const { events } = trace(shipped('window-types'));
    expect(of(events, 'window.created').length).toBeGreaterThan(5);
    expect(of(events, 'timer.registered')).toEqual([]);
    expect(of(events, 'timer.fired')).toEqual([]);
  });

  const { events } = trace(shipped('late-data'));

  it('every window fired was created before, and cleaned up after its last firing', () => {
    const created = new Map<string, number>();
    const cleaned = new Map<string, number>();
    events.forEach((e, i) => {
      if (e.tag === 'window.created') created.set(windowId(e), i);
      if (e.tag === 'window.purged' && e.cleanup) cleaned.set(windowId(e), i);
    });
    const fired = of(events, 'window.fired');
    expect(fired.length).toBeGreaterThan(3);
    for (const f of fired) {
      const i = events.indexOf(f);
      expect(created.get(windowId(f))).toBeLessThan(i);
      expect(cleaned.get(windowId(f))).toBeGreaterThan(i);
    }
    expect([...cleaned.keys()].sort()).toEqual([...created.keys()].sort());
  });

  it('the late record comes after the cleanup of the window it belonged to', () => {
    const late = of(events, 'record.late');
    expect(late).toHaveLength(1);
    const lateAt = events.indexOf(late[0]!);
    const cleanup = events.findIndex((e) => e.tag === 'window.purged' && e.cleanup && e.start <= late[0]!.timestamp! && late[0]!.timestamp! < e.end && JSON.stringify(e.key) === JSON.stringify('a'));
    expect(cleanup).toBeGreaterThan(-1);
    expect(cleanup).toBeLessThan(lateAt);
  });

  it('a purging count trigger empties the window without cleaning it up', () => {
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'count',
        job: {
          name: 'count',
          operators: [
            { id: 'src', type: 'sequence', items: [1, 2, 3, 4, 5].map((v) => ({ value: { k: 'a', v } })) },
            { id: 'k', type: 'keyBy', input: 'src', key: 'k' },
            { id: 'w', type: 'window', input: 'k', assigner: { type: 'count', size: 2 }, aggregate: { sum: 'v' } },
            { id: 'out', type: 'sink', input: 'w', sink: { type: 'print' } },
          ],
        },
      },
      'count.json',
    );
    if (!result.ok) throw new Error('does not validate');
    const { events } = trace(result.scenario);
    expect(of(events, 'window.purged').map((e) => e.cleanup)).toEqual([false, false]);
    // Opened again after each purge: by elements 1, 3 and 5.
    expect(of(events, 'window.created')).toHaveLength(3);
  });
});

describe('timers and state of a process function', () => {
  const { events } = trace(shipped('keyed-state-and-timers'));

  it('every timer that fires was registered before, by the same subtask, for the same key and time', () => {
    const fired = of(events, 'timer.fired');
    expect(fired.length).toBeGreaterThan(2);
    for (const f of fired) {
      const i = events.indexOf(f);
      const registered = events.findIndex((e) => e.tag === 'timer.registered' && e.task === f.task && e.timestamp === f.timestamp && JSON.stringify(e.key) === JSON.stringify(f.key) && e.namespace === f.namespace);
      expect(registered).toBeGreaterThan(-1);
      expect(registered).toBeLessThan(i);
    }
  });

  it('state changes say which state, how, and what was written', () => {
    const changes = of(events, 'state.updated');
    const kinds = new Set(changes.map((c) => `${c.state}:${c.change}`));
    expect(kinds).toEqual(new Set(['count:update', 'last:update', 'pages:add', 'count:clear', 'last:clear', 'pages:clear']));
    const firstCount = changes.find((c) => c.state === 'count' && c.change === 'update')!;
    expect(firstCount.value).toBe(1);
    expect(changes.find((c) => c.change === 'clear')!.value).toBe(null);
  });

  it('a map state put and remove carry the entry', () => {
    const result = validateScenario(
      {
        format: 'weir/scenario@1',
        name: 'map',
        job: {
          name: 'map',
          operators: [
            { id: 'src', type: 'sequence', items: [{ value: { k: 'a', page: 'home' } }, { value: { k: 'a', page: 'cart' } }] },
            { id: 'k', type: 'keyBy', input: 'src', key: 'k' },
            { id: 'p', type: 'process', input: 'k', state: { seen: { type: 'map' } }, onElement: [{ put: 'seen', key: 'page', value: 'true' }, { remove: 'seen', key: '"home"' }] },
            { id: 'out', type: 'sink', input: 'p', sink: { type: 'print' } },
          ],
        },
      },
      'map.json',
    );
    if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'));
    const changes = of(trace(result.scenario).events, 'state.updated').map((c) => [c.change, c.entry, c.value]);
    expect(changes).toEqual([
      ['put', 'home', true],
      ['remove', 'home', null],
      ['put', 'cart', true],
      ['remove', 'home', null],
    ]);
  });
});

describe('levels', () => {
  it('at level summary none of them is kept, and the run is the same', () => {
    for (const name of ['late-data', 'keyed-state-and-timers', 'window-join-and-cogroup']) {
      const summary = trace(shipped(name), 'summary').events;
      expect(summary.filter((e) => (STORY_TAGS as readonly string[]).includes(e.tag))).toEqual([]);
      const full = trace(shipped(name)).events.filter((e) => summary.some((s) => s.tag === e.tag));
      expect(full.map((e) => e.tag)).toEqual(summary.map((e) => e.tag));
    }
  });

  it('in every shipped scenario without restarts, each timer that fires was registered first', () => {
    const names = readdirSync('scenarios').filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    let checked = 0;
    for (const name of names) {
      const { events, restarts } = trace(shipped(name));
      if (restarts > 0 || events.some((e) => e.tag === 'job.restored')) continue;
      const registered = new Set<string>();
      for (const e of events) {
        if (e.tag !== 'timer.registered' && e.tag !== 'timer.fired') continue;
        const id = `${e.task}@${e.attempt}/${e.domain}/${e.timestamp}/${JSON.stringify(e.key)}/${e.namespace}`;
        if (e.tag === 'timer.registered') registered.add(id);
        else {
          expect(registered.has(id), `${name}: ${id} fired unregistered`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });
});
