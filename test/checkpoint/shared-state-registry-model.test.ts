/**
 * The SharedStateRegistry against a model that names each file by its path, as the
 * registry once did (`task@attempt/operator/keyGroup#version`, a reference count per
 * path): for any sequence of checkpoints registered and discarded, over subtasks,
 * attempts, operators, key groups and versions that repeat, every checkpoint writes the
 * bytes the model says and the registry keeps as many files.
 */
import { describe, expect } from 'vitest';
import { test as fcTest, fc } from '@fast-check/vitest';
import { SharedStateRegistry, snapshotSize, type TaskSnapshot } from '../../core/checkpoint/index.ts';
import { canonicalJsonLength, type JsonValue } from '../../core/model/index.ts';
import type { KeyGroupSnapshot, OperatorSnapshot } from '../../core/state/index.ts';

type Acknowledgement = { readonly attempt: number; readonly snapshot: TaskSnapshot };

class PathModel {
  readonly refs = new Map<string, number>();
  readonly filesOf = new Map<number, string[]>();

  register(id: number, tasks: readonly Acknowledgement[]): number {
    let written = 0;
    const files: string[] = [];
    for (const { attempt, snapshot: t } of tasks) {
      for (const op of t.operators) {
        for (const g of op.keyGroups) {
          const path = `${t.task}@${attempt}/${op.operator}/${g.keyGroup}#${g.version}`;
          const refs = this.refs.get(path) ?? 0;
          if (refs === 0) written += g.size;
          this.refs.set(path, refs + 1);
          files.push(path);
        }
        written += canonicalJsonLength(op.operatorState);
      }
    }
    this.filesOf.set(id, files);
    return written;
  }

  unregister(id: number): void {
    for (const path of this.filesOf.get(id) ?? []) {
      const refs = this.refs.get(path)! - 1;
      if (refs === 0) this.refs.delete(path);
      else this.refs.set(path, refs);
    }
    this.filesOf.delete(id);
  }
}

const group = fc.record({ keyGroup: fc.nat(3), version: fc.integer({ min: 1, max: 3 }), size: fc.integer({ min: 1, max: 1000 }) });
/** Operator names with the path's separators in them, so that a path built carelessly would mix two files up. */
const operator = fc.record({
  operator: fc.constantFrom('win', 'map', 'a/1', 'a'),
  keyGroups: fc.uniqueArray(group, { selector: (g) => g.keyGroup, maxLength: 4 }),
  operatorState: fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
});
const acknowledgement: fc.Arbitrary<Acknowledgement> = fc.record({
  attempt: fc.integer({ min: 1, max: 2 }),
  task: fc.constantFrom('win#0', 'win#1', 'a'),
  operators: fc.array(operator, { maxLength: 2 }),
}).map(({ attempt, task, operators: ops }) => {
  const operators: OperatorSnapshot[] = ops.map((o) => ({
    operator: o.operator,
    operatorState: o.operatorState as JsonValue,
    keyGroups: o.keyGroups.map((g): KeyGroupSnapshot => ({ ...g, entries: [], timers: [] })),
  }));
  return { attempt, snapshot: { task, vertex: task, subtaskIndex: 0, operators, channelState: [], finished: false, stateSize: snapshotSize(operators, []) } };
});

type Command = { readonly kind: 'register'; readonly tasks: readonly Acknowledgement[] } | { readonly kind: 'unregister'; readonly pick: number };
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('register' as const), tasks: fc.array(acknowledgement, { maxLength: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unregister' as const), pick: fc.nat() }) },
);

describe('SharedStateRegistry against a model of file paths', () => {
  fcTest.prop([fc.array(command, { maxLength: 40 })])('writes what the model writes and keeps as many files', (commands) => {
    const registry = new SharedStateRegistry();
    const model = new PathModel();
    let next = 1;
    for (const c of commands) {
      if (c.kind === 'register') {
        const id = next++;
        expect(registry.register(id, c.tasks), `checkpoint ${id}'s written bytes`).toBe(model.register(id, c.tasks));
      } else {
        // Unknown ids too (pick past the last one): a checkpoint discarded twice, or never registered.
        const id = 1 + (c.pick % next);
        registry.unregister(id);
        model.unregister(id);
      }
      expect(registry.files).toBe(model.refs.size);
    }
  });
});
