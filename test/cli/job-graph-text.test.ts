// The summary's job-graph line draws the JobGraph as it is: straight pipelines on one line,
// independent pipelines apart, fan-outs and fan-ins as connections of their own.
import { describe, expect, it } from 'vitest';
import { jobGraphLines } from '../../cli/job-graph-text.ts';

const v = (id: string, parallelism = 1) => ({ id, name: id, parallelism, maxParallelism: 128, operators: [id] });
const e = (source: string, target: string, partitioner = 'hash') => ({ source, target, partitioner });

describe('jobGraphLines', () => {
  it('a straight pipeline is one line, each arrow named by its partitioner', () => {
    expect(jobGraphLines({ name: 'j', vertices: [v('src', 2), v('counts -> out', 2)], edges: [e('src', 'counts -> out')] })).toEqual(['src [2] --hash--> counts -> out [2]']);
  });

  it('two independent pipelines are two lines, never joined', () => {
    const graph = { name: 'j', vertices: [v('a'), v('b'), v('x'), v('y')], edges: [e('a', 'x'), e('b', 'y', 'rebalance')] };
    expect(jobGraphLines(graph)).toEqual(['a [1] --hash--> x [1]', 'b [1] --rebalance--> y [1]']);
  });

  it('a fan-out and a fan-in draw each connection', () => {
    const graph = { name: 'j', vertices: [v('src'), v('left'), v('right'), v('join'), v('out')], edges: [e('src', 'left'), e('src', 'right'), e('left', 'join'), e('right', 'join'), e('join', 'out', 'forward')] };
    expect(jobGraphLines(graph)).toEqual(['join [1] --forward--> out [1]', 'src [1] --hash--> left [1]', 'src [1] --hash--> right [1]', 'left [1] --hash--> join [1]', 'right [1] --hash--> join [1]']);
  });

  it('a two-input job draws each input once, and a vertex alone only when nothing connects it', () => {
    const graph = { name: 'j', vertices: [v('rides -> starts', 2), v('fares', 2), v('enrichment -> out', 2), v('lonely')], edges: [e('rides -> starts', 'enrichment -> out'), e('fares', 'enrichment -> out')] };
    expect(jobGraphLines(graph)).toEqual(['lonely [1]', 'rides -> starts [2] --hash--> enrichment -> out [2]', 'fares [2] --hash--> enrichment -> out [2]']);
  });
});
