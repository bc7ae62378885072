// The job graph view's layout and scene: every subtask placed inside its chain's box, one
// path per channel the engine builds, tokens where the network sample says they are.
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createSimulation, validateScenario, type JsonValue, type NetworkView, type RunReport, type TraceEvent } from '../../core/index.ts';
import { layoutJobGraph, pointAlong, type Point } from '../../playground/src/lib/graph-layout.ts';
import { graphScene } from '../../playground/src/lib/graph-scene.ts';
import { momentAt, MomentCursor } from '../../playground/src/lib/moment.ts';
import { networkAt, NetworkRecorder } from '../../playground/src/lib/network-timeline.ts';

function runOf(file: string) {
  const result = validateScenario(JSON.parse(readFileSync(file, 'utf8')) as JsonValue, file);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  const sim = createSimulation({ scenario: result.scenario, traceLevel: 'full' });
  const recorder = new NetworkRecorder();
  while (sim.step()) recorder.observe(sim);
  recorder.observe(sim);
  return { sim, report: sim.report(), network: recorder.finish() };
}

const jobGraph = (vertices: [string, number][], edges: [string, string, string][]): RunReport['jobGraph'] => ({
  name: 'test',
  vertices: vertices.map(([id, parallelism]) => ({ id, name: id, parallelism, maxParallelism: 128, operators: [id] })),
  edges: edges.map(([source, target, partitioner]) => ({ source, target, partitioner })),
});


const NONE = { records: 0, watermarks: 0, barriers: [], end: false };

/** A network sample at `timeMs` with one channel a#0 -> b#0 (2 buffers, nothing held), changed by `over`. */
function oneChannel(timeMs: number, over: Partial<NetworkView['channels'][number]>): NetworkView {
  const channel = { id: 0, from: 'a#0', to: 'b#0', input: 1 as const, buffers: 2, credits: 2, pending: NONE, bufferTimeoutMs: null, sealed: 0, waitingForCredit: false, onTheWire: [], queued: NONE, queuedBuffers: 0, blocked: false };
  return { timeMs, subtasks: [], channels: [{ ...channel, ...over }] };
}

describe('layoutJobGraph', () => {
  it('places every subtask inside its vertex, without overlaps, in index order from the top', () => {
    const layout = layoutJobGraph(jobGraph([['src', 2], ['map', 3], ['sink', 3]], [['src', 'map', 'hash'], ['map', 'sink', 'forward']]));
    expect(layout.subtasks.map((s) => s.id)).toEqual(['src#0', 'src#1', 'map#0', 'map#1', 'map#2', 'sink#0', 'sink#1', 'sink#2']);
    for (const s of layout.subtasks) {
      const v = layout.vertices.find((x) => x.id === s.vertex)!;
      expect(s.x - s.width / 2).toBeGreaterThanOrEqual(v.x - v.width / 2);
      expect(s.x + s.width / 2).toBeLessThanOrEqual(v.x + v.width / 2);
      expect(s.y - s.height / 2).toBeGreaterThanOrEqual(v.y - v.height / 2);
      expect(s.y + s.height / 2).toBeLessThanOrEqual(v.y + v.height / 2);
      for (const o of layout.subtasks) {
        if (o === s) continue;
        const apart = Math.abs(s.x - o.x) >= (s.width + o.width) / 2 || Math.abs(s.y - o.y) >= (s.height + o.height) / 2;
        expect(apart, `${s.id} and ${o.id} overlap`).toBe(true);
      }
    }
    for (const v of ['src', 'map', 'sink']) {
      const ys = layout.subtasks.filter((s) => s.vertex === v).map((s) => s.y);
      expect([...ys].sort((a, b) => a - b)).toEqual(ys);
    }
    // Left to right: producers before consumers.
    const x = (v: string) => layout.vertices.find((b) => b.id === v)!.x;
    expect(x('src')).toBeLessThan(x('map'));
    expect(x('map')).toBeLessThan(x('sink'));
  });

  it('draws a path per channel: all-to-all for hash, one-to-one for forward, the pointwise pattern for rescale', () => {
    const layout = layoutJobGraph(jobGraph([['a', 2], ['b', 3], ['c', 3], ['d', 6]], [['a', 'b', 'hash'], ['b', 'c', 'forward'], ['c', 'd', 'rescale']]));
    const pairs = (from: string) => layout.channels.filter((c) => c.from.startsWith(`${from}#`)).map((c) => c.pair);
    expect(pairs('a')).toHaveLength(6);
    expect(pairs('b')).toEqual(['b#0->c#0', 'b#1->c#1', 'b#2->c#2']);
    expect(pairs('c')).toEqual(['c#0->d#0', 'c#0->d#1', 'c#1->d#2', 'c#1->d#3', 'c#2->d#4', 'c#2->d#5']);
    for (const c of layout.channels) {
      const from = layout.subtasks.find((s) => s.id === c.from)!;
      const to = layout.subtasks.find((s) => s.id === c.to)!;
      expect(c.points[0]!.x).toBeCloseTo(from.x + from.width / 2);
      expect(c.points[c.points.length - 1]!.x).toBeCloseTo(to.x - to.width / 2);
    }
    expect(new Set(layout.channels.map((c) => c.key)).size).toBe(layout.channels.length);
  });

  it('matches the channels the engine builds for a shipped scenario', () => {
    const { report, network } = runOf('scenarios/checkpoint-recovery.json');
    const layout = layoutJobGraph(report.jobGraph);
    const built = new Set(network.views.flatMap((v) => v.channels.map((c) => `${c.from}->${c.to}`)));
    expect(new Set(layout.channels.map((c) => c.pair))).toEqual(built);
  });
});

describe('pointAlong', () => {
  const polyline = fc.array(fc.record({ x: fc.integer({ min: -500, max: 500 }), y: fc.integer({ min: -500, max: 500 }) }), { minLength: 2, maxLength: 8 });
  const along = (points: readonly Point[], p: Point) => {
    // Distance from the start, along the line, of the point p on it.
    let best = Infinity;
    let bestAt = 0;
    let walked = 0;
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      const t = len === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / (len * len)));
      const d = Math.hypot(a.x + (b.x - a.x) * t - p.x, a.y + (b.y - a.y) * t - p.y);
      if (d < best - 1e-9) {
        best = d;
        bestAt = walked + t * len;
      }
      walked += len;
    }
    return { off: best, at: bestAt, total: walked };
  };

  test.prop([polyline, fc.double({ min: 0, max: 1, noNaN: true })])('puts the point on the line, that fraction of its length from the start', (points, f) => {
    const p = pointAlong(points, f);
    const { off, at, total } = along(points, p);
    expect(off).toBeLessThan(1e-6 * Math.max(1, total));
    if (total > 0) expect(Math.abs(at - f * total)).toBeLessThan(1e-6 * total + 1e-6);
  });

  it('ends at the ends', () => {
    const points = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }];
    expect(pointAlong(points, 0)).toEqual({ x: 0, y: 0 });
    expect(pointAlong(points, 1)).toEqual({ x: 10, y: 10 });
    expect(pointAlong(points, 0.5)).toEqual({ x: 10, y: 0 });
  });
});

describe('graphScene with reduced motion', () => {
  // A buffer on the wire is one token when it holds one kind of element (key `CHANNEL:wI:0`).
  const loneWireTokens = (scene: ReturnType<typeof graphScene>) =>
    scene.channels.flatMap((c) => {
      const byBuffer = new Map<string, typeof c.tokens>();
      for (const t of c.tokens) {
        const m = /^(.*:w\d+):\d+$/.exec(t.key);
        if (m !== null) byBuffer.set(m[1]!, [...(byBuffer.get(m[1]!) ?? []), t]);
      }
      return [...byBuffer.values()].filter((ts) => ts.length === 1).map((ts) => ({ at: ts[0]!.at, middle: pointAlong(c.path.points, 0.5) }));
    });

  it('keeps a buffer on the wire at the middle of its channel, where it glides otherwise', () => {
    const { sim, report, network } = runOf('scenarios/backpressure.json');
    const layout = layoutJobGraph(report.jobGraph);
    const cursor = new MomentCursor(sim.trace.events);
    let seen = 0;
    let glided = 0;
    for (let t = 0; t <= report.virtualTime; t++) {
      const moment = cursor.at(t);
      for (const tok of loneWireTokens(graphScene(layout, moment, networkAt(network, t), t, true))) {
        seen++;
        expect(tok.at).toEqual(tok.middle);
      }
      for (const tok of loneWireTokens(graphScene(layout, moment, networkAt(network, t), t))) if (tok.at.x !== tok.middle.x || tok.at.y !== tok.middle.y) glided++;
    }
    expect(seen).toBeGreaterThan(0);
    expect(glided).toBeGreaterThan(0);
  });
});

describe('graphScene', () => {
  it('shows what the run did: backpressure with tokens at both ends, then every subtask FINISHED', () => {
    const { sim, report, network } = runOf('scenarios/backpressure.json');
    const layout = layoutJobGraph(report.jobGraph);
    const events = sim.trace.events;
    const at = (t: number) => {
      const count = events.filter((e) => e.timeMs <= t).length;
      return graphScene(layout, momentAt(events, count, t), networkAt(network, t), t);
    };
    const early = at(60);
    expect(early.nodes.find((n) => n.box.id === 'readings#0')).toMatchObject({ status: 'RUNNING', tone: 'running', backPressured: true });
    expect(early.channels.some((c) => c.waitingForCredit && c.credits === 0)).toBe(true);
    const kinds = early.channels.flatMap((c) => c.tokens.map((t) => t.kind));
    expect(kinds).toContain('records');
    const end = at(report.virtualTime);
    for (const n of end.nodes) expect(n).toMatchObject({ status: 'FINISHED', icon: '✓', backPressured: false });
    expect(end.channels.every((c) => c.tokens.length === 0)).toBe(true);
  });

  it('draws a subtask back-pressured exactly during its task.backpressure episodes: the ms it is drawn so add up to the report', () => {
    for (const name of ['backpressure', 'traffic-peak']) {
      const { sim, report, network } = runOf(`scenarios/${name}.json`);
      const layout = layoutJobGraph(report.jobGraph);
      const cursor = new MomentCursor(sim.trace.events);
      const drawn = new Map<string, number>();
      // The moment at t holds the events of ms t, so a subtask drawn back-pressured at t stays so for all of that ms.
      for (let t = 0; t <= report.virtualTime; t++) {
        for (const n of graphScene(layout, cursor.at(t), networkAt(network, t), t).nodes) if (n.backPressured) drawn.set(n.box.id, (drawn.get(n.box.id) ?? 0) + 1);
      }
      const expected = new Map(report.tasks.filter((t) => t.backPressuredTimeMs > 0).map((t) => [t.id, t.backPressuredTimeMs]));
      expect(expected.size, name).toBeGreaterThan(0);
      expect(drawn, name).toEqual(expected);
    }
  });

  it('takes back-pressure from the trace, with no network sample at all; a flip of an older attempt does not count', () => {
    const layout = layoutJobGraph(jobGraph([['a', 1], ['b', 1]], [['a', 'b', 'forward']]));
    const events = [
      { tag: 'task.status', timeMs: 0, task: 'a#0', attempt: 1, status: 'RUNNING' },
      { tag: 'task.backpressure', timeMs: 5, task: 'a#0', attempt: 1, backPressured: true, downstream: 'b#0' },
      { tag: 'task.backpressure', timeMs: 7, task: 'a#0', attempt: 1, backPressured: false },
      { tag: 'task.status', timeMs: 8, task: 'a#0', attempt: 2, status: 'RUNNING' },
      { tag: 'task.backpressure', timeMs: 9, task: 'a#0', attempt: 1, backPressured: true, downstream: 'b#0' },
    ] as TraceEvent[];
    const node = (t: number) => graphScene(layout, momentAt(events, events.filter((e) => e.timeMs <= t).length, t), null, t).nodes.find((n) => n.box.id === 'a#0')!;
    expect(node(4).backPressured).toBe(false);
    expect(node(5)).toMatchObject({ backPressured: true, label: expect.stringContaining('backpressured: waiting for credit from b#0') });
    expect(node(6).backPressured).toBe(true);
    expect(node(7).backPressured).toBe(false);
    expect(node(9)).toMatchObject({ attempt: 2, backPressured: false });
  });

  it('draws a buffer on the wire between the two ends, further along the later it is', () => {
    const layout = layoutJobGraph(jobGraph([['a', 1], ['b', 1]], [['a', 'b', 'forward']]));
    const view = (t: number): NetworkView =>
      oneChannel(t, { credits: 1, onTheWire: [{ records: 5, watermarks: 0, barriers: [], end: false, sentMs: 100, arrivesMs: 110, priority: false }], blocked: true });
    const xs = [100, 105, 110].map((t) => graphScene(layout, null, view(t), t).channels[0]!.tokens[0]!.at.x);
    expect(xs[0]).toBeLessThan(xs[1]!);
    expect(xs[1]).toBeLessThan(xs[2]!);
    const scene = graphScene(layout, null, view(105), 105);
    expect(scene.channels[0]).toMatchObject({ blocked: true, live: true, credits: 1, buffers: 2 });
    expect(scene.channels[0]!.label).toContain('alignment');
    expect(scene.channels[0]!.tokens[0]).toMatchObject({ kind: 'records', text: '5' });
  });

  it('says why written records wait with a buffer timeout: a partial buffer until it is full or flushed', () => {
    const layout = layoutJobGraph(jobGraph([['a', 1], ['b', 1]], [['a', 'b', 'hash']]));
    const channel = (bufferTimeoutMs: number | null, sealed: number): NetworkView => oneChannel(40, { pending: { records: 4, watermarks: 1, barriers: [], end: false }, bufferTimeoutMs, sealed });
    const label = (t: number | null, sealed = 0) => graphScene(layout, null, channel(t, sealed), 40).channels[0]!.label;
    expect(label(100)).toContain('in a partial buffer, until it is full or the output flusher sends it (every 100 ms)');
    expect(label(-1)).toContain('in a partial buffer, until it is full (buffer timeout -1)');
    expect(label(100, 2)).toContain('(3 of them in a partial buffer');
    expect(label(100, 5)).not.toContain('partial buffer');
    expect(label(null)).not.toContain('partial buffer');
    const note = (t: number | null) => graphScene(layout, null, channel(t, 0), 40).channels[0]!.bufferNote;
    expect([note(100), note(-1), note(0), note(null)]).toEqual(['flushed every 100 ms', 'full buffers only', 'flushed after each record', null]);
  });

  it('shows a channel that does not exist now as not connected, with no tokens', () => {
    const layout = layoutJobGraph(jobGraph([['a', 1], ['b', 1]], [['a', 'b', 'forward']]));
    const scene = graphScene(layout, null, null, 0);
    expect(scene.channels[0]).toMatchObject({ live: false, tokens: [] });
    expect(scene.nodes[0]).toMatchObject({ status: 'CREATED', tone: 'waiting' });
  });
});

describe('NetworkRecorder', () => {
  it('thins its samples past its limit, keeping one per two ms, then four, and the same everywhere', () => {
    const make = () => {
      const { network } = (() => {
        const result = validateScenario(JSON.parse(readFileSync('scenarios/traffic-peak.json', 'utf8')) as JsonValue, 'traffic-peak.json');
        if (!result.ok) throw new Error('invalid');
        const sim = createSimulation({ scenario: result.scenario, traceLevel: 'summary' });
        const recorder = new NetworkRecorder(100);
        while (sim.step()) recorder.observe(sim);
        return { network: recorder.finish() };
      })();
      return network;
    };
    const a = make();
    expect(a.resolutionMs).toBeGreaterThan(1);
    expect(a.times.length).toBeLessThanOrEqual(100);
    for (let i = 1; i < a.times.length; i++) expect(a.times[i]! - a.times[i - 1]!).toBeGreaterThanOrEqual(a.resolutionMs / 2);
    expect(JSON.stringify(make())).toBe(JSON.stringify(a));
  });
});
