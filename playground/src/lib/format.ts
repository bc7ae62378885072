/**
 * Small text helpers for the views: compact JSON, virtual times, byte sizes, and a one-line
 * reading of any trace event. Trace events are read generically (tag, time, who, then the
 * other fields), so a new kind of event shows up in the list without a change here; a few
 * fields get a kinder reading (a checkpoint's id as who, attempt 1 and false flags left out).
 */

/** JSON on one line, cut to `maxChars` with an ellipsis. */
export function compactJson(value: unknown, maxChars = 200): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `12345` -> `12,345 ms`; null -> `—`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return `${integer.format(ms)} ms`;
}

export function formatCount(n: number): string {
  return integer.format(n);
}

/**
 * A count and its noun, singular for exactly one.
 * @example countOf(1, 'checkpoint') // '1 checkpoint'
 * @example countOf(1200, 'entry', 'entries') // '1,200 entries'
 */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${integer.format(n)} ${n === 1 ? singular : plural}`;
}

/** `985` -> `985 B`; `1_584` -> `1,584 B`; from 10 KiB on, KiB/MiB/GiB with one decimal. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—';
  if (Math.abs(bytes) < 10 * 1024) return `${integer.format(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${oneDecimal.format(value)} ${units[unit]}`;
}

const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Fields that say who did something, in the order the list prefers. */
const WHO_FIELDS = ['task', 'operator', 'sink', 'taskManager', 'target', 'job'] as const;
/** Fields shown in their own columns, or not at all. */
const HIDDEN_FIELDS = new Set(['tag', 'timeMs']);
/** Flags that mark something unusual: shown only when true (`savepoint=false` on every checkpoint is noise). */
const FLAGS_SHOWN_WHEN_TRUE = new Set(['savepoint', 'unaligned']);

export interface EventLine {
  timeMs: number | null;
  tag: string;
  /** The task, operator, sink or job the event is about. */
  who: string;
  /** The remaining fields as `name=value` text. */
  details: string;
}

/**
 * @example
 * describeEvent({ tag: 'record.emitted', timeMs: 3, task: 'map#0', operator: 'map', value: { v: 1 }, timestamp: 10 });
 * // { timeMs: 3, tag: 'record.emitted', who: 'map#0', details: 'operator=map value={"v":1} timestamp=10' }
 */
export function describeEvent(event: object): EventLine {
  const fields = event as Record<string, unknown>;
  const timeMs = typeof fields['timeMs'] === 'number' ? fields['timeMs'] : null;
  const tag = typeof fields['tag'] === 'string' ? fields['tag'] : '?';
  let whoField: string | null = null;
  for (const name of WHO_FIELDS) {
    if (typeof fields[name] === 'string') {
      whoField = name;
      break;
    }
  }
  let who = whoField === null ? '' : String(fields[whoField]);
  // The coordinator's own events are about one checkpoint: `checkpoint 3` (or `savepoint 3`) says who.
  const aboutCheckpoint = whoField === null && tag.startsWith('checkpoint.') && typeof fields['checkpoint'] === 'number';
  if (aboutCheckpoint) who = `${fields['savepoint'] === true ? 'savepoint' : 'checkpoint'} ${String(fields['checkpoint'])}`;
  const parts: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (HIDDEN_FIELDS.has(name) || name === whoField || value === null || value === undefined) continue;
    if (aboutCheckpoint && (name === 'checkpoint' || name === 'savepoint')) continue;
    // The operator is usually the task's vertex: `map#0` already says `map`.
    if (name === 'operator' && whoField === 'task' && who.startsWith(`${String(value)}#`)) continue;
    // A subtask's first attempt is the usual case; later ones (after a restart) are worth reading.
    if (name === 'attempt' && whoField === 'task' && value === 1) continue;
    if (FLAGS_SHOWN_WHEN_TRUE.has(name) && value === false) continue;
    parts.push(`${name}=${fieldText(value)}`);
  }
  // `job.restored` with no checkpoint: the subtasks came back with empty state, which must not read as nothing at all.
  if (tag === 'job.restored' && fields['checkpoint'] === null) parts.unshift('checkpoint=none');
  return { timeMs, tag, who, details: parts.join(' ') };
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return value;
  // Lists of subtasks read better without JSON's quotes.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  return compactJson(value, 120);
}

/** The colour family of a trace tag in the list (its first word, grouped). */
export function tagFamily(tag: string): string {
  const head = tag.split('.')[0] ?? '';
  if (head === 'alignment' || head === 'snapshot') return 'checkpoint';
  if (head === 'taskmanager') return 'task';
  return ['job', 'task', 'record', 'watermark', 'sink', 'run', 'checkpoint', 'barrier', 'fault'].includes(head) ? head : 'other';
}

/** The message of anything thrown. */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}

/** `lateRecordsDropped` -> `late records dropped`. */
export function humanizeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

/** A watermark for people, `1,099` as every other figure; Flink's end-of-input watermark (Long.MAX_VALUE here) reads as +∞. */
export function formatWatermark(watermark: number | null): string {
  if (watermark === null) return '—';
  if (watermark >= Number.MAX_SAFE_INTEGER) return '+∞ (end of input)';
  if (watermark <= Number.MIN_SAFE_INTEGER) return '−∞';
  return integer.format(watermark);
}

/** Long ids (a job id is 32 hex digits) cut for a narrow column; the full text goes in a tooltip. */
export function shortId(text: string, maxChars = 18): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 10)}…` : text;
}
