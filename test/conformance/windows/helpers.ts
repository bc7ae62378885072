/**
 * Helpers for the window conformance tests: a keyed harness around a window operator, and
 * a compact rendering of its output that reads like a marble diagram:
 * `a[0,1000)=3` is the result for key a of window [0, 1000) (timestamp 999, checked), and
 * `W999` a watermark.
 */
import { expect } from 'vitest';
import { createWindowOperator, type WindowOperatorConfig } from '../../../core/operators/index.ts';
import { createOperatorHarness, type HarnessElement, type OperatorTestHarness } from '../../../core/testing.ts';
import { MAX_WATERMARK, type JsonValue } from '../../../core/model/index.ts';

export type ConfigInput = Partial<WindowOperatorConfig> & Pick<WindowOperatorConfig, 'assigner'>;

export function config(input: ConfigInput): WindowOperatorConfig {
  return { trigger: null, aggregate: { kind: 'count' }, allowedLatenessMs: 0, lateOutputTag: null, ...input };
}

export const tumbling = (sizeMs: number, offsetMs = 0, time: 'event' | 'processing' = 'event') =>
  ({ type: 'tumbling', sizeMs, offsetMs, time }) as const;
export const sliding = (sizeMs: number, slideMs: number, offsetMs = 0, time: 'event' | 'processing' = 'event') =>
  ({ type: 'sliding', sizeMs, slideMs, offsetMs, time }) as const;
export const session = (gapMs: number, time: 'event' | 'processing' = 'event') => ({ type: 'session', gapMs, time }) as const;

/** An open harness keyed by the record's `key` field. */
export function windowHarness(input: ConfigInput): OperatorTestHarness {
  return createOperatorHarness(createWindowOperator(config(input)), { keySelector: 'key', operatorId: 'win' }).open();
}

interface WindowResult {
  key: JsonValue;
  window: { start: number; end: number };
  value: JsonValue;
}

/** One output element as a short string; checks the result shape and its timestamp (end - 1). */
export function render(e: HarnessElement): string {
  if (e.kind === 'watermark') return `W${e.timestamp}`;
  const v = e.value as unknown as WindowResult;
  expect(Object.keys(v).sort()).toEqual(['key', 'value', 'window']);
  expect(Object.keys(v.window).sort()).toEqual(['end', 'start']);
  expect(e.timestamp).toBe(v.window.end - 1);
  const key = typeof v.key === 'string' ? v.key : JSON.stringify(v.key);
  return `${key}[${v.window.start},${v.window.end})=${JSON.stringify(v.value)}`;
}

/** The harness's output so far, rendered and joined by spaces; clears it. */
export function take(h: OperatorTestHarness): string {
  const out = h.output().map(render).join(' ');
  h.clearOutput();
  return out;
}

export const global = () => ({ type: 'global' }) as const;

/**
 * A global-window result as `a=3`: checks that it names the global window and carries
 * Flink's timestamp for it, the end of time (Long.MAX_VALUE there, MAX_WATERMARK here).
 */
export function renderGlobal(e: HarnessElement): string {
  if (e.kind === 'watermark') return `W${e.timestamp === MAX_WATERMARK ? 'max' : e.timestamp}`;
  const v = e.value as unknown as { key: JsonValue; window: unknown; value: JsonValue };
  expect(v.window).toEqual({ start: null, end: null, global: true });
  expect(e.timestamp).toBe(MAX_WATERMARK);
  return `${typeof v.key === 'string' ? v.key : JSON.stringify(v.key)}=${JSON.stringify(v.value)}`;
}

/** The harness's global-window output so far, rendered; clears it. */
export function takeGlobal(h: OperatorTestHarness): string {
  const out = h.output().map(renderGlobal).join(' ');
  h.clearOutput();
  return out;
}
