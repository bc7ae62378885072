/**
 * The scenario editor's form: the settings people change most (parallelism, a source's
 * watermark bound, a window's allowed lateness, checkpointing, the restart strategy, a sink's
 * kind), read from the draft's JSON and written back into it under the names of the scenario
 * format (CONTRACT section 1). A knob the draft has no place for is not offered: there is no
 * watermark bound without a bounded-out-of-orderness source, no allowed lateness without an
 * event-time window.
 */
import { produce } from 'immer';
import { changeTo, type CheckDraft, type EditorModel } from './editor.ts';

export const CHECKPOINT_MODES = ['exactly-once', 'at-least-once'] as const;
export const RESTART_TYPES = ['fixed-delay', 'failure-rate', 'exponential-delay', 'none', 'fallback'] as const;
export const SINK_KINDS = ['print', 'two-phase-commit', 'write-ahead-log', 'idempotent', 'at-least-once'] as const;

export type RestartType = (typeof RESTART_TYPES)[number];
export type SinkKind = (typeof SINK_KINDS)[number];

/** A restart strategy's main fields, with Flink's defaults (docs/scenario-format.md). */
export const RESTART_FIELDS: Readonly<Record<RestartType, readonly { field: string; label: string; fallback: number }[]>> = {
  'fixed-delay': [
    { field: 'attempts', label: 'attempts', fallback: 1 },
    { field: 'delay', label: 'delay (ms)', fallback: 1000 },
  ],
  'failure-rate': [
    { field: 'maxFailures', label: 'max failures', fallback: 1 },
    { field: 'interval', label: 'per interval (ms)', fallback: 60000 },
    { field: 'delay', label: 'delay (ms)', fallback: 1000 },
  ],
  'exponential-delay': [
    { field: 'initialBackoff', label: 'initial backoff (ms)', fallback: 1000 },
    { field: 'maxBackoff', label: 'max backoff (ms)', fallback: 60000 },
    { field: 'multiplier', label: 'multiplier', fallback: 1.5 },
  ],
  none: [],
  fallback: [],
};

/** A number field: its value in the draft (null when absent) and where it is. */
export interface NumberKnob {
  value: number | null;
  path: readonly (string | number)[];
}

export interface Knobs {
  /** `config.parallelism`; null when unset. */
  parallelism: NumberKnob;
  /** Sources with a bounded-out-of-orderness strategy: `watermarks.maxOutOfOrderness`. */
  watermarkBounds: (NumberKnob & { operator: string })[];
  /** Event-time windows: `allowedLateness` (absent is 0). */
  lateness: (NumberKnob & { operator: string })[];
  /** `config.checkpointing`, or null when checkpointing is off. */
  checkpointing: { interval: NumberKnob; mode: string; unaligned: boolean } | null;
  /** `config.restartStrategy.type`, null when absent (Flink's default). */
  restart: { type: string | null; fields: (NumberKnob & { field: string; label: string; fallback: number })[] };
  /** Each sink's `sink.type`. */
  sinks: { operator: string; index: number; kind: string }[];
}

export type KnobChange =
  | { knob: 'parallelism'; value: number | null }
  | { knob: 'watermark-bound'; index: number; value: number | null }
  | { knob: 'allowed-lateness'; index: number; value: number | null }
  | { knob: 'checkpointing'; on: boolean }
  | { knob: 'checkpoint-interval'; value: number | null }
  | { knob: 'checkpoint-mode'; value: string }
  | { knob: 'unaligned'; value: boolean }
  | { knob: 'restart-type'; value: string | null }
  | { knob: 'restart-field'; field: string; value: number | null }
  | { knob: 'sink'; index: number; value: string };

type Obj = Record<string, unknown>;

const asObj = (value: unknown): Obj | null => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : null);
const asNumber = (value: unknown): number | null => (typeof value === 'number' ? value : null);
const operatorsOf = (doc: unknown): unknown[] => {
  const operators = asObj(asObj(doc)?.['job'])?.['operators'];
  return Array.isArray(operators) ? operators : [];
};

/** The interval a checkpointing switched on from the form starts with. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 1000;

/** The operator types with a window, and so an allowed lateness. */
const WINDOWED: ReadonlySet<string> = new Set(['window', 'windowAll', 'windowJoin', 'coGroup']);

/**
 * The knobs the draft offers, with their values.
 * @example knobsOf(lateData).lateness // [{ operator: 'perSecond', value: 500, path: ['job', 'operators', 2, 'allowedLateness'] }]
 */
export function knobsOf(doc: unknown): Knobs {
  const config = asObj(asObj(doc)?.['config']);
  const knobs: Knobs = {
    parallelism: { value: asNumber(config?.['parallelism']), path: ['config', 'parallelism'] },
    watermarkBounds: [],
    lateness: [],
    checkpointing: null,
    restart: { type: null, fields: [] },
    sinks: [],
  };
  operatorsOf(doc).forEach((value, index) => {
    const op = asObj(value);
    if (op === null) return;
    const operator = typeof op['id'] === 'string' ? op['id'] : `#${index}`;
    const watermarks = asObj(op['watermarks']);
    if (op['type'] === 'source' && watermarks?.['strategy'] === 'bounded-out-of-orderness') {
      knobs.watermarkBounds.push({ operator, value: asNumber(watermarks['maxOutOfOrderness']), path: ['job', 'operators', index, 'watermarks', 'maxOutOfOrderness'] });
    }
    const assigner = asObj(op['assigner']);
    // Allowed lateness is an event-time window's: processing-time and global windows have no late data.
    if (WINDOWED.has(String(op['type'])) && assigner?.['time'] !== 'processing' && assigner?.['type'] !== 'global') {
      knobs.lateness.push({ operator, value: asNumber(op['allowedLateness']) ?? 0, path: ['job', 'operators', index, 'allowedLateness'] });
    }
    if (op['type'] === 'sink') {
      const kind = asObj(op['sink'])?.['type'];
      knobs.sinks.push({ operator, index, kind: typeof kind === 'string' ? kind : '' });
    }
  });
  const checkpointing = asObj(config?.['checkpointing']);
  if (checkpointing !== null) {
    knobs.checkpointing = {
      interval: { value: asNumber(checkpointing['interval']), path: ['config', 'checkpointing', 'interval'] },
      mode: typeof checkpointing['mode'] === 'string' ? checkpointing['mode'] : 'exactly-once',
      unaligned: checkpointing['unaligned'] === true,
    };
  }
  const restart = asObj(config?.['restartStrategy']);
  const type = typeof restart?.['type'] === 'string' ? restart['type'] : null;
  knobs.restart.type = type;
  const fields = type !== null && Object.hasOwn(RESTART_FIELDS, type) ? RESTART_FIELDS[type as RestartType] : [];
  knobs.restart.fields = fields.map((f) => ({ ...f, value: asNumber(restart?.[f.field]), path: ['config', 'restartStrategy', f.field] }));
  return knobs;
}

/** The text of a number box as a value: empty is null (the field is left out), not a number is undefined (ignored). */
export function numberFrom(text: string): number | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Writes one knob into the draft, as one undo step.
 * @example setKnob(model, { knob: 'allowed-lateness', index: 2, value: 0 }, check)
 */
export function setKnob(model: EditorModel, knobChange: KnobChange, check: CheckDraft): EditorModel {
  if (model.pending || model.syntax !== null || asObj(model.doc) === null) return model;
  // Written on a copy first, then made the draft through changeTo, whose patches replace an
  // object that loses or gains a field whole, so that undo puts its fields back in order.
  const next = produce(model.doc as Obj, (draft) => void write(draft, knobChange));
  return changeTo(model, next, check);
}

/**
 * The scenario `doc` with one knob changed, as a new value (`doc` is left as it is): the
 * other configuration a comparison runs.
 * @example applyKnob(lateData, { knob: 'allowed-lateness', index: 2, value: 0 })
 */
export function applyKnob(doc: unknown, knobChange: KnobChange): unknown {
  if (asObj(doc) === null) return doc;
  return produce(doc as Obj, (draft) => void write(draft, knobChange));
}

function write(doc: Obj, c: KnobChange): void {
  switch (c.knob) {
    case 'parallelism':
      return put(objectAt(doc, 'config'), 'parallelism', c.value);
    case 'watermark-bound': {
      const op = asObj(operatorsOf(doc)[c.index]);
      const watermarks = asObj(op?.['watermarks']);
      if (watermarks !== null) put(watermarks, 'maxOutOfOrderness', c.value);
      return;
    }
    case 'allowed-lateness': {
      const op = asObj(operatorsOf(doc)[c.index]);
      if (op !== null) put(op, 'allowedLateness', c.value);
      return;
    }
    case 'checkpointing': {
      const config = objectAt(doc, 'config');
      if (!c.on) return put(config, 'checkpointing', null);
      if (asObj(config['checkpointing']) === null) config['checkpointing'] = { interval: DEFAULT_CHECKPOINT_INTERVAL_MS };
      return;
    }
    case 'checkpoint-interval':
      return put(objectAt(objectAt(doc, 'config'), 'checkpointing'), 'interval', c.value);
    case 'checkpoint-mode':
      return put(objectAt(objectAt(doc, 'config'), 'checkpointing'), 'mode', c.value);
    case 'unaligned':
      return put(objectAt(objectAt(doc, 'config'), 'checkpointing'), 'unaligned', c.value ? true : null);
    case 'restart-type': {
      const config = objectAt(doc, 'config');
      if (c.value === null) return put(config, 'restartStrategy', null);
      const old = asObj(config['restartStrategy']);
      if (old?.['type'] === c.value) return;
      config['restartStrategy'] = { type: c.value };
      return;
    }
    case 'restart-field': {
      const strategy = asObj(asObj(doc['config'])?.['restartStrategy']);
      if (strategy !== null) put(strategy, c.field, c.value);
      return;
    }
    case 'sink': {
      const op = asObj(operatorsOf(doc)[c.index]);
      if (op !== null) op['sink'] = sinkOfKind(asObj(op['sink']), c.value, typeof op['id'] === 'string' ? op['id'] : 'out');
      return;
    }
  }
}

/** `parent[key]`, made an object when it is not one. */
function objectAt(parent: Obj, key: string): Obj {
  const found = asObj(parent[key]);
  if (found !== null) return found;
  const made: Obj = {};
  parent[key] = made;
  return parent[key] as Obj;
}

/** Sets `key` (null: takes it out). */
function put(obj: Obj, key: string, value: unknown): void {
  if (value === null || value === undefined) {
    if (Object.hasOwn(obj, key)) delete obj[key];
    return;
  }
  if (obj[key] !== value) obj[key] = value;
}

/**
 * A sink description of another kind, keeping what carries over: the topic among the kinds
 * that write to a topic, the table and key of an idempotent sink.
 */
export function sinkOfKind(old: Obj | null, kind: string, operator: string): Obj {
  if (old?.['type'] === kind) return old;
  const topic = typeof old?.['topic'] === 'string' ? old['topic'] : `${operator}-out`;
  switch (kind) {
    case 'print':
      return { type: kind };
    case 'idempotent':
      return { type: kind, table: typeof old?.['table'] === 'string' ? old['table'] : operator, key: typeof old?.['key'] === 'string' ? old['key'] : 'key' };
    case 'two-phase-commit':
    case 'write-ahead-log':
    case 'at-least-once':
      return { type: kind, topic };
    default:
      return { ...(old ?? {}), type: kind };
  }
}
