/**
 * The runtime side of a two-input task (core/runtime/two-input-valve.ts): channels are
 * routed to processElement1 or processElement2 by the input their edge feeds; each input's
 * watermark is the minimum over its own channels; the task's watermark is the minimum of
 * the two inputs, an idle input left out; the task is idle when every open input is; it
 * ends when every channel of both inputs has ended.
 */
import { describe, expect, test } from 'vitest';
import { Channel } from '../../../core/runtime/channel.ts';
import { InputChannel } from '../../../core/runtime/input-gate.ts';
import { TwoInputValve } from '../../../core/runtime/two-input-valve.ts';
import { CoStreamMap } from '../../../core/operators/index.ts';
import { createTwoInputHarness } from '../../../core/testing.ts';

function setup(inputs: (1 | 2)[]) {
  const channels = inputs.map((logical, i) => new InputChannel(i, new Channel(i, `up#${i}`, 'down#0', i, 1, 2, 64, logical)));
  const op = new CoStreamMap({ map1: (v) => ['1', v], map2: (v) => ['2', v] });
  // The harness opens the operator and records what it emits.
  const h = createTwoInputHarness(op).open();
  const noted: number[] = [];
  const idle: boolean[] = [];
  const valve = new TwoInputValve(op, channels, { noteWatermark: (w) => noted.push(w), idle: (i) => idle.push(i) });
  return { h, valve, noted, idle };
}

describe('TwoInputValve', () => {
  test("each channel's records go to its input's processElement", () => {
    const { h, valve } = setup([1, 2, 1]);
    valve.targets[0]!.processElement({ value: 'a', timestamp: 1 });
    valve.targets[1]!.processElement({ value: 'b', timestamp: 2 });
    valve.targets[2]!.processElement({ value: 'c', timestamp: 3 });
    expect(h.records().map((r) => r.value)).toEqual([['1', 'a'], ['2', 'b'], ['1', 'c']]);
  });

  test("the task's watermark is the minimum of the two inputs, each the minimum of its channels", () => {
    const { h, valve, noted } = setup([1, 2, 1]);
    valve.inputWatermark(0, 10);
    valve.inputWatermark(1, 50);
    expect(noted).toEqual([]);
    valve.inputWatermark(2, 20);
    expect(noted).toEqual([10]);
    valve.inputWatermark(0, 30);
    expect(noted).toEqual([10, 20]);
    valve.inputWatermark(2, 60);
    expect(noted).toEqual([10, 20, 30]);
    expect(h.watermarks()).toEqual(noted);
  });

  test('an idle input does not hold back the other; the task is idle only when both are', () => {
    const { h, valve, noted, idle } = setup([1, 2]);
    valve.inputWatermark(0, 100);
    valve.inputStatus(1, true);
    expect(noted).toEqual([100]);
    expect(idle.at(-1)).toBe(false);
    valve.inputStatus(0, true);
    expect(idle.at(-1)).toBe(true);
    valve.inputStatus(1, false);
    expect(idle.at(-1)).toBe(false);
    expect(h.watermarks()).toEqual([100]);
  });

  test('it ends when every channel of both inputs has ended; an ended input holds nothing back', () => {
    const { valve, noted } = setup([1, 2, 2]);
    valve.inputWatermark(1, 40);
    valve.inputWatermark(2, 40);
    expect(valve.inputEnded(0)).toBe(false);
    expect(noted).toEqual([40]);
    expect(valve.inputEnded(1)).toBe(false);
    expect(valve.inputEnded(2)).toBe(true);
  });
});
