// The scenario editor's model in Node: undo and redo over any sequence of edits (fast-check,
// seeds in the failure message), the knobs writing the scenario format's own paths, the
// text's syntax errors with line and column, and the last valid draft that Run runs.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../core/index.ts';
import { CORE_ENGINE, checkScenario } from '../../playground/src/lib/engine.ts';
import {
  canRedo,
  canUndo,
  commitText,
  draftText,
  isEdited,
  openEditor,
  redo,
  revert,
  sameJson,
  shortcutOf,
  typeText,
  undo,
  type CheckDraft,
  type EditorModel,
  TEXT_WIDTH,
} from '../../playground/src/lib/editor.ts';
import { firstChange, formatJson, locateJsonError, parseJsonText } from '../../playground/src/lib/json-text.ts';
import { knobsOf, numberFrom, setKnob, sinkOfKind, type KnobChange } from '../../playground/src/lib/knobs.ts';

const FILE = 'scenarios/late-data.json';
const lateData = JSON.parse(readFileSync(FILE, 'utf8')) as unknown;
const check: CheckDraft = (data) => {
  const checked = checkScenario(CORE_ENGINE, data, FILE);
  return checked.ok ? [] : checked.issues;
};
const noCheck: CheckDraft = () => [];
const shipped = (name: string): unknown => JSON.parse(readFileSync(`scenarios/${name}.json`, 'utf8')) as unknown;

/** One edit a person can make: typed text (any JSON), or a knob. */
type Edit = { kind: 'text'; value: unknown } | { kind: 'knob'; change: KnobChange };

const knobChange: fc.Arbitrary<KnobChange> = fc.oneof(
  fc.record({ knob: fc.constant('parallelism' as const), value: fc.option(fc.integer({ min: 0, max: 8 }), { nil: null }) }),
  fc.record({ knob: fc.constant('allowed-lateness' as const), index: fc.integer({ min: 0, max: 3 }), value: fc.option(fc.nat(2000), { nil: null }) }),
  fc.record({ knob: fc.constant('watermark-bound' as const), index: fc.integer({ min: 0, max: 3 }), value: fc.option(fc.nat(500), { nil: null }) }),
  fc.record({ knob: fc.constant('checkpointing' as const), on: fc.boolean() }),
  fc.record({ knob: fc.constant('checkpoint-interval' as const), value: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }) }),
  fc.record({ knob: fc.constant('checkpoint-mode' as const), value: fc.constantFrom('exactly-once', 'at-least-once') }),
  fc.record({ knob: fc.constant('unaligned' as const), value: fc.boolean() }),
  fc.record({ knob: fc.constant('restart-type' as const), value: fc.constantFrom(null, 'fixed-delay', 'failure-rate', 'exponential-delay', 'none') }),
  fc.record({ knob: fc.constant('restart-field' as const), field: fc.constantFrom('attempts', 'delay', 'maxFailures'), value: fc.option(fc.nat(9), { nil: null }) }),
  fc.record({ knob: fc.constant('sink' as const), index: fc.integer({ min: 0, max: 3 }), value: fc.constantFrom('print', 'two-phase-commit', 'idempotent', 'at-least-once') }),
);

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'text' as const, value })) },
  { weight: 3, arbitrary: knobChange.map((change) => ({ kind: 'knob' as const, change })) },
);

function apply(model: EditorModel, e: Edit): EditorModel {
  if (e.kind === 'knob') return setKnob(model, e.change, noCheck);
  return commitText(typeText(model, JSON.stringify(e.value)), noCheck);
}

const text = (model: EditorModel): string => JSON.stringify(model.doc);

describe('undo and redo (immer patches)', () => {
  it('any sequence of edits, then undo all, gives back the original, byte for byte', () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 25 }), (edits) => {
        const start = openEditor(FILE, lateData, noCheck);
        let model = start;
        for (const e of edits) model = apply(model, e);
        while (canUndo(model)) model = undo(model, noCheck);
        expect(text(model)).toBe(text(start));
        expect(model.text).toBe(start.text);
        expect(isEdited(model)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('redo after undo gives back the same draft, step by step', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 20 }), fc.nat(), (edits, back) => {
        let model = openEditor(FILE, lateData, noCheck);
        const seen: string[] = [text(model)];
        for (const e of edits) {
          const next = apply(model, e);
          if (next.past.length > model.past.length) seen.push(text(next));
          model = next;
        }
        expect(model.past.length).toBe(seen.length - 1);
        const steps = back % (model.past.length + 1);
        for (let i = 0; i < steps; i++) {
          model = undo(model, noCheck);
          expect(text(model)).toBe(seen[seen.length - 2 - i]);
        }
        for (let i = steps; i > 0; i--) {
          model = redo(model, noCheck);
          expect(text(model)).toBe(seen[seen.length - i]);
        }
        expect(canRedo(model)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('a new edit after undo drops the redo steps', () => {
    let model = openEditor(FILE, lateData, check);
    model = setKnob(model, { knob: 'allowed-lateness', index: 2, value: 0 }, check);
    model = undo(model, check);
    expect(canRedo(model)).toBe(true);
    model = setKnob(model, { knob: 'parallelism', value: 2 }, check);
    expect(canRedo(model)).toBe(false);
    expect(model.past).toHaveLength(1);
  });

  it('an edit that changes nothing is no step', () => {
    let model = openEditor(FILE, lateData, check);
    model = setKnob(model, { knob: 'allowed-lateness', index: 2, value: 500 }, check);
    model = commitText(typeText(model, `${model.text}\n\n`), check);
    expect(model.past).toHaveLength(0);
    expect(isEdited(model)).toBe(false);
  });

  it('typing not yet taken in is one step when undo comes: undo takes it back whole', () => {
    let model = openEditor(FILE, lateData, check);
    model = typeText(model, model.text.replace('"allowedLateness": 500', '"allowedLateness": 5'));
    model = typeText(model, model.text.replace('"allowedLateness": 5', '"allowedLateness": 50'));
    expect(model.pending).toBe(true);
    model = undo(model, check);
    expect(model.past).toHaveLength(0);
    expect(canRedo(model)).toBe(true);
    expect(knobsOf(model.doc).lateness[0]?.value).toBe(500);
    model = redo(model, check);
    expect(knobsOf(model.doc).lateness[0]?.value).toBe(50);
  });

  it('a pause in typing that leaves text that is not JSON is one step: undo takes it back alone, redo gives it back', () => {
    let model = openEditor(FILE, lateData, check);
    model = setKnob(model, { knob: 'allowed-lateness', index: 2, value: 0 }, check);
    const afterKnob = model.text;
    model = commitText(typeText(model, `${afterKnob},,`), check);
    expect(model.syntax).not.toBeNull();
    expect(model.past).toHaveLength(2);
    model = undo(model, check);
    expect(model.text).toBe(afterKnob);
    expect(model.syntax).toBeNull();
    expect(knobsOf(model.doc).lateness[0]?.value).toBe(0);
    model = undo(model, check);
    expect(knobsOf(model.doc).lateness[0]?.value).toBe(500);
    model = redo(model, check);
    expect(knobsOf(model.doc).lateness[0]?.value).toBe(0);
    expect(model.text).toBe(afterKnob);
    model = redo(model, check);
    expect(model.text).toBe(`${afterKnob},,`);
    expect(model.syntax).not.toBeNull();
    expect(canRedo(model)).toBe(false);
  });

  it('mending broken text back to the same draft is a step too, and any mix of broken text and edits undoes to the original', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(edit, fc.string({ maxLength: 3 }).map((junk) => ({ kind: 'junk' as const, junk }))), { maxLength: 20 }), (edits) => {
        const start = openEditor(FILE, lateData, noCheck);
        let model = start;
        const seen: string[] = [model.text];
        for (const e of edits) {
          const next = e.kind === 'junk' ? commitText(typeText(model, `${model.text}{${e.junk}`), noCheck) : apply(model, e);
          if (next.past.length > model.past.length) seen.push(next.text);
          model = next;
        }
        expect(model.past).toHaveLength(seen.length - 1);
        for (let i = seen.length - 2; i >= 0; i--) {
          model = undo(model, noCheck);
          expect(model.text).toBe(seen[i]);
        }
        expect(text(model)).toBe(text(start));
        for (let i = 1; i < seen.length; i++) {
          model = redo(model, noCheck);
          expect(model.text).toBe(seen[i]);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('revert is a step back to the shipped file, and undo brings the edits back', () => {
    let model = openEditor(FILE, lateData, check);
    model = setKnob(model, { knob: 'parallelism', value: 3 }, check);
    expect(isEdited(model)).toBe(true);
    model = revert(model, check);
    expect(isEdited(model)).toBe(false);
    expect(sameJson(model.doc, lateData)).toBe(true);
    model = undo(model, check);
    expect(knobsOf(model.doc).parallelism.value).toBe(3);
  });
});

describe('the text', () => {
  it('opens as the shipped file laid out, which parses back to the same JSON', () => {
    const model = openEditor(FILE, lateData, check);
    expect(JSON.parse(model.text)).toEqual(lateData);
    expect(model.text).toContain('"sink": { "type": "print" }');
    expect(model.issues).toEqual([]);
    expect(model.runnable?.data).toBe(lateData);
  });

  it('formatJson gives back the same JSON for any value', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.integer({ min: 10, max: 120 }), (value, width) => {
      expect(JSON.parse(formatJson(value, width))).toEqual(JSON.parse(JSON.stringify(value)));
    }));
  });

  it('the syntax check agrees with JSON.parse on what is JSON', () => {
    const texts = fc.oneof(
      fc.json(),
      fc.tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', 'x', '0', '-', '\\', '\n', '.', 'e')).map(([json, at, bit]) => {
        const i = json.length === 0 ? 0 : at % json.length;
        return json.slice(0, i) + bit + json.slice(i + 1);
      }),
    );
    fc.assert(fc.property(texts, (t) => {
      let parses = true;
      try {
        JSON.parse(t);
      } catch {
        parses = false;
      }
      expect(locateJsonError(t) === null).toBe(parses);
    }), { numRuns: 2000 });
  });

  it('finds the first change between two texts, and its line', () => {
    expect(firstChange('a\nb\nc', 'a\nb\nd')).toEqual({ offset: 4, line: 3 });
    expect(firstChange('same', 'same')).toEqual({ offset: 4, line: 1 });
    expect(firstChange('', 'x\ny')).toEqual({ offset: 0, line: 1 });
  });

  it('says where the text stops being JSON, with line and column', () => {
    expect(parseJsonText('{\n  "a": 1,\n}')).toEqual({
      ok: false,
      problem: { message: "a trailing comma before '}' is not allowed in JSON", line: 3, column: 1, offset: 12 },
    });
    const missingComma = parseJsonText('{\n  "a": 1\n  "b": 2\n}');
    expect(missingComma.ok ? null : [missingComma.problem.line, missingComma.problem.column]).toEqual([3, 3]);
    const open = parseJsonText('[1, 2');
    expect(open.ok ? null : open.problem.message).toContain("closing ']' is missing");
    const quote = parseJsonText("{'a': 1}");
    expect(quote.ok ? null : quote.problem.column).toBe(2);
  });

  it('a text with a syntax error keeps the last draft, and Run keeps the last valid one', () => {
    let model = openEditor(FILE, lateData, check);
    model = setKnob(model, { knob: 'allowed-lateness', index: 2, value: 0 }, check);
    const valid = model.doc;
    const broken = model.text.replace('"allowedLateness": 0', '"allowedLateness": 0,,');
    model = commitText(typeText(model, broken), check);
    expect(model.syntax).toMatchObject({ message: 'expected a property name in double quotes' });
    expect(model.syntax?.line).toBeGreaterThan(1);
    expect(model.doc).toBe(valid);
    expect(model.runnable?.data).toBe(valid);
    expect(model.text).toBe(broken);
    expect(draftText(model)).toBe(formatJson(valid, TEXT_WIDTH));
    // The form does nothing while the text is broken.
    expect(setKnob(model, { knob: 'parallelism', value: 2 }, check)).toBe(model);
  });

  it('a well-formed draft that does not validate shows its issues as the CLI prints them; Run keeps the last valid one', () => {
    let model = openEditor(FILE, lateData, check);
    model = setKnob(model, { knob: 'parallelism', value: 0 }, check);
    expect(model.issues).toEqual(['scenarios/late-data.json: $.config.parallelism: must be between 1 and 32768, found 0']);
    expect(model.runnable?.data).toBe(lateData);
    model = setKnob(model, { knob: 'parallelism', value: 2 }, check);
    expect(model.issues).toEqual([]);
    expect(knobsOf(model.runnable?.data).parallelism.value).toBe(2);
  });

  it('opens a saved draft, and the shipped file when the saved text does not parse', () => {
    const saved = openEditor(FILE, lateData, check, formatJson({ ...(lateData as object), seed: 9 }));
    expect(isEdited(saved)).toBe(true);
    expect((saved.doc as { seed: number }).seed).toBe(9);
    const damaged = openEditor(FILE, lateData, check, '{"format": ');
    expect(isEdited(damaged)).toBe(false);
  });
});

describe('the knobs', () => {
  it('reads late-data: parallelism unset, the source bound, the window lateness, a print sink, no checkpointing', () => {
    const knobs = knobsOf(lateData);
    expect(knobs.parallelism).toEqual({ value: null, path: ['config', 'parallelism'] });
    expect(knobs.watermarkBounds).toEqual([{ operator: 'clicks', value: 100, path: ['job', 'operators', 0, 'watermarks', 'maxOutOfOrderness'] }]);
    expect(knobs.lateness).toEqual([{ operator: 'perSecond', value: 500, path: ['job', 'operators', 2, 'allowedLateness'] }]);
    expect(knobs.checkpointing).toBeNull();
    expect(knobs.restart).toEqual({ type: null, fields: [] });
    expect(knobs.sinks).toEqual([{ operator: 'out', index: 3, kind: 'print' }]);
  });

  it('offers allowed lateness on a window join and a coGroup, not on a global (count) window, which has no late data', () => {
    expect(knobsOf(shipped('window-join-and-cogroup')).lateness.map((k) => [k.operator, k.value])).toEqual([
      ['join', 0],
      ['cogroup', 0],
    ]);
    const ops = [
      { id: 'count', type: 'window', input: 'k', assigner: { type: 'global' }, trigger: { type: 'count', count: 3 }, aggregate: 'count' },
      { id: 'timed', type: 'window', input: 'k', assigner: { type: 'tumbling', size: 10 }, aggregate: 'count' },
    ];
    expect(knobsOf({ job: { operators: ops } }).lateness.map((k) => k.operator)).toEqual(['timed']);
  });

  it('writes the scenario format paths, each change one patch list', () => {
    let model = openEditor(FILE, lateData, check);
    const at = (path: readonly (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], model.doc);
    model = setKnob(model, { knob: 'parallelism', value: 2 }, check);
    expect(at(['config', 'parallelism'])).toBe(2);
    expect(at(['config', 'autoWatermarkInterval'])).toBe(100);
    model = setKnob(model, { knob: 'watermark-bound', index: 0, value: 250 }, check);
    expect(at(['job', 'operators', 0, 'watermarks'])).toEqual({ strategy: 'bounded-out-of-orderness', maxOutOfOrderness: 250 });
    model = setKnob(model, { knob: 'allowed-lateness', index: 2, value: 0 }, check);
    expect(at(['job', 'operators', 2, 'allowedLateness'])).toBe(0);
    model = setKnob(model, { knob: 'checkpointing', on: true }, check);
    expect(at(['config', 'checkpointing'])).toEqual({ interval: 1000 });
    model = setKnob(model, { knob: 'checkpoint-interval', value: 300 }, check);
    model = setKnob(model, { knob: 'checkpoint-mode', value: 'at-least-once' }, check);
    expect(at(['config', 'checkpointing'])).toEqual({ interval: 300, mode: 'at-least-once' });
    model = setKnob(model, { knob: 'unaligned', value: true }, check);
    expect(model.issues).toEqual(['scenarios/late-data.json: $.config.checkpointing.unaligned: unaligned checkpoints need mode "exactly-once" (as in Flink), but mode is "at-least-once"']);
    model = setKnob(model, { knob: 'checkpoint-mode', value: 'exactly-once' }, check);
    expect(at(['config', 'checkpointing', 'unaligned'])).toBe(true);
    model = setKnob(model, { knob: 'restart-type', value: 'fixed-delay' }, check);
    model = setKnob(model, { knob: 'restart-field', field: 'attempts', value: 4 }, check);
    expect(at(['config', 'restartStrategy'])).toEqual({ type: 'fixed-delay', attempts: 4 });
    model = setKnob(model, { knob: 'restart-type', value: 'exponential-delay' }, check);
    expect(knobsOf(model.doc).restart.fields.map((f) => f.field)).toEqual(['initialBackoff', 'maxBackoff', 'multiplier']);
    model = setKnob(model, { knob: 'sink', index: 3, value: 'two-phase-commit' }, check);
    expect(at(['job', 'operators', 3, 'sink'])).toEqual({ type: 'two-phase-commit', topic: 'out-out' });
    expect(model.issues).toEqual([]);
    expect(model.past).toHaveLength(12);
    expect(model.past.every((step) => step.patches.length > 0 && step.inverse.length > 0)).toBe(true);
    // Cleared fields leave the file; checkpointing off takes its settings out.
    model = setKnob(model, { knob: 'parallelism', value: null }, check);
    model = setKnob(model, { knob: 'checkpointing', on: false }, check);
    model = setKnob(model, { knob: 'restart-type', value: null }, check);
    expect(at(['config'])).toEqual({ autoWatermarkInterval: 100 });
    expect(validateScenario(model.doc, FILE).ok).toBe(true);
  });

  it('offers only what the scenario has: no bound without bounded out-of-orderness, no lateness for processing time', () => {
    const hello = knobsOf(shipped('hello-map-filter'));
    expect(hello.watermarkBounds).toEqual([]);
    expect(hello.lateness).toEqual([]);
    const restart = knobsOf(shipped('restart-fixed-delay-exhausted'));
    expect(restart.checkpointing).not.toBeNull();
    expect(restart.restart.type).toBe('fixed-delay');
    const processing = knobsOf({ job: { operators: [{ id: 'w', type: 'window', assigner: { type: 'tumbling', size: 5, time: 'processing' } }] } });
    expect(processing.lateness).toEqual([]);
  });

  it('keeps what carries over when a sink changes kind', () => {
    expect(sinkOfKind({ type: 'two-phase-commit', topic: 'out', transactionTimeout: 5 }, 'at-least-once', 's')).toEqual({ type: 'at-least-once', topic: 'out' });
    expect(sinkOfKind({ type: 'print' }, 'idempotent', 's')).toEqual({ type: 'idempotent', table: 's', key: 'key' });
    expect(sinkOfKind({ type: 'idempotent', table: 't', key: 'k' }, 'print', 's')).toEqual({ type: 'print' });
  });

  it('reads a number box: empty takes the field out, garbage is ignored', () => {
    expect(numberFrom(' 42 ')).toBe(42);
    expect(numberFrom('')).toBeNull();
    expect(numberFrom('abc')).toBeUndefined();
  });

  it('knobs on a draft that is not an object change nothing', () => {
    const model = openEditor(FILE, [1, 2], noCheck);
    expect(setKnob(model, { knob: 'parallelism', value: 2 }, noCheck)).toBe(model);
  });
});

describe('keys', () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
    shortcutOf({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, Cmd as Ctrl; plain keys are typing', () => {
    expect(key('z', { ctrlKey: true })).toBe('undo');
    expect(key('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(key('y', { ctrlKey: true })).toBe('redo');
    expect(key('z', { metaKey: true })).toBe('undo');
    expect(key('z')).toBeNull();
    expect(key(' ')).toBeNull();
    expect(key('z', { ctrlKey: true, altKey: true })).toBeNull();
  });
});
