/**
 * Helpers for the process-operator conformance tests: read a process operator from its
 * scenario JSON (through the real validator, so a test also proves its JSON is valid), and
 * wrap a process function in the operator test harness, keyed by the record's `key` field.
 */
import { expect } from 'vitest';
import { readProcessFields } from '../../../core/api/scenario/read-process.ts';
import { Reader } from '../../../core/api/scenario/reader.ts';
import type { ValidationIssue } from '../../../core/api/scenario/types.ts';
import {
  createKeyedProcessOperator,
  processFunctionFromSpec,
  type KeyedProcessFunction,
  type ProcessSpec,
  type StateDescriptors,
} from '../../../core/operators/index.ts';
import { createOperatorHarness, type OperatorTestHarness } from '../../../core/testing.ts';

/** The issues of reading `fields` as the process operator `id` at `$.job.operators[0]`. */
export function processIssues(fields: Record<string, unknown>, id = 'p'): { spec: ProcessSpec | null; issues: ValidationIssue[] } {
  const r = new Reader('test.json');
  const spec = readProcessFields(r, { id, type: 'process', input: 'byKey', ...fields }, '$.job.operators[0]', id);
  return { spec, issues: r.issues };
}

/** A valid process spec from its JSON fields (the test fails on any issue). */
export function dsl(fields: Record<string, unknown>): ProcessSpec {
  const { spec, issues } = processIssues(fields);
  expect(issues).toEqual([]);
  expect(spec).not.toBeNull();
  return spec!;
}

/** An open harness around the process operator, keyed by `key` (or another key expression). */
export function harness<S extends StateDescriptors>(fn: KeyedProcessFunction<S> | ProcessSpec, keySelector = 'key'): OperatorTestHarness {
  const f = 'processElement' in fn ? fn : processFunctionFromSpec(fn);
  return createOperatorHarness(createKeyedProcessOperator(f), { keySelector, operatorId: 'p' }).open();
}

/** The emitted records as [value, timestamp] pairs. */
export function emitted(h: OperatorTestHarness): [unknown, number | null][] {
  return h.records().map((r) => [r.value, r.timestamp]);
}
