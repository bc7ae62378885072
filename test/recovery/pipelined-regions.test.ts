import { describe, expect, it } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { computePipelinedRegions, regionOf, type RegionChannel } from '../../core/recovery/index.ts';
import { SimulationAssertionError } from '../../core/kernel/index.ts';

const subtasksOf = (vertex: string, parallelism: number) => Array.from({ length: parallelism }, (_, i) => `${vertex}#${i}`);
const forward = (from: string, to: string, parallelism: number): RegionChannel[] =>
  Array.from({ length: parallelism }, (_, i) => ({ from: `${from}#${i}`, to: `${to}#${i}` }));
const allToAll = (from: string, p: number, to: string, q: number): RegionChannel[] =>
  subtasksOf(from, p).flatMap((a) => subtasksOf(to, q).map((b) => ({ from: a, to: b })));

describe('computePipelinedRegions (RestartPipelinedRegionFailoverStrategy regions)', () => {
  it('source(2) -forward-> map(2): one region per pipeline', () => {
    const subtasks = [...subtasksOf('source', 2), ...subtasksOf('map', 2)];
    const regions = computePipelinedRegions(subtasks, forward('source', 'map', 2));
    expect(regions).toEqual([
      ['source#0', 'map#0'],
      ['source#1', 'map#1'],
    ]);
    expect(regionOf(regions, 'map#1')).toEqual(['source#1', 'map#1']);
    expect(regionOf(regions, 'source#0')).toEqual(['source#0', 'map#0']);
  });

  it('a hash (all-to-all) edge anywhere joins the whole job into one region', () => {
    const subtasks = [...subtasksOf('source', 2), ...subtasksOf('map', 2), ...subtasksOf('window', 3)];
    const channels = [...forward('source', 'map', 2), ...allToAll('map', 2, 'window', 3)];
    expect(computePipelinedRegions(subtasks, channels)).toEqual([subtasks]);
  });

  it('a subtask without channels is a region of its own; regions follow the order of the subtask list', () => {
    const regions = computePipelinedRegions(['c', 'a', 'b', 'd'], [{ from: 'd', to: 'a' }]);
    expect(regions).toEqual([['c'], ['a', 'd'], ['b']]);
    expect(computePipelinedRegions([], [])).toEqual([]);
  });

  it('rejects duplicate subtasks, channels to unknown subtasks, and lookups of unknown subtasks', () => {
    expect(() => computePipelinedRegions(['a', 'a'], [])).toThrow(SimulationAssertionError);
    expect(() => computePipelinedRegions(['a'], [{ from: 'a', to: 'b' }])).toThrow(/not in the graph/);
    expect(() => regionOf([['a']], 'b')).toThrow(/no pipelined region/);
  });
});

/** A random execution graph: `n` subtasks and random channels between them. */
const graphArb = fc.integer({ min: 0, max: 30 }).chain((n) =>
  fc.record({
    subtasks: fc.constant(Array.from({ length: n }, (_, i) => `t${i}`)),
    channels:
      n === 0
        ? fc.constant([] as RegionChannel[])
        : fc.array(fc.record({ from: fc.nat(n - 1), to: fc.nat(n - 1) }).map(({ from, to }) => ({ from: `t${from}`, to: `t${to}` })), { maxLength: 40 }),
    order: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => `t${i}`), { minLength: n, maxLength: n }),
  }),
);

describe('computePipelinedRegions properties', () => {
  fcTest.prop([graphArb])('regions partition the subtasks, in subtask order, and no channel crosses two regions', ({ subtasks, channels, order }) => {
    const regions = computePipelinedRegions(order, channels);
    expect(regions.flat().sort()).toEqual([...subtasks].sort());
    const position = new Map(order.map((s, i) => [s, i]));
    for (const region of regions) {
      expect(region.length).toBeGreaterThan(0);
      const positions = region.map((s) => position.get(s)!);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    const firsts = regions.map((r) => position.get(r[0]!)!);
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    for (const { from, to } of channels) expect(regionOf(regions, from)).toBe(regionOf(regions, to));
  });

  fcTest.prop([graphArb])('each region is connected: the smallest partition with no crossing channel', ({ channels, order }) => {
    for (const region of computePipelinedRegions(order, channels)) {
      const members = new Set(region);
      const reached = new Set([region[0]!]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const { from, to } of channels) {
          if (!members.has(from)) continue;
          if (reached.has(from) !== reached.has(to)) {
            reached.add(from);
            reached.add(to);
            grew = true;
          }
        }
      }
      expect([...reached].sort()).toEqual([...region].sort());
    }
  });

  fcTest.prop([graphArb])('channel order and direction do not change the regions', ({ channels, order }) => {
    const reversed = [...channels].reverse().map(({ from, to }) => ({ from: to, to: from }));
    expect(computePipelinedRegions(order, reversed)).toEqual(computePipelinedRegions(order, channels));
  });
});
