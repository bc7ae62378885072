/**
 * Small text helpers for the views: compact JSON, virtual times, and a one-line reading of
 * any trace event. Trace events are read generically (tag, time, then the other fields), so
 * a new kind of event shows up in the list without a change here.
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

/** Fields that say who did something, in the order the list prefers. */
const WHO_FIELDS = ['task', 'operator', 'sink', 'job'] as const;
/** Fields shown in their own columns, or not at all. */
const HIDDEN_FIELDS = new Set(['tag', 'timeMs']);

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
  const who = whoField === null ? '' : String(fields[whoField]);
  const parts: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (HIDDEN_FIELDS.has(name) || name === whoField || value === null || value === undefined) continue;
    // The operator is usually the task's vertex: `map#0` already says `map`.
    if (name === 'operator' && whoField === 'task' && who.startsWith(`${String(value)}#`)) continue;
    parts.push(`${name}=${typeof value === 'string' ? value : compactJson(value, 120)}`);
  }
  return { timeMs, tag, who, details: parts.join(' ') };
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

/** A watermark for people: Flink's end-of-input watermark (Long.MAX_VALUE here) reads as +∞. */
export function formatWatermark(watermark: number | null): string {
  if (watermark === null) return '—';
  if (watermark >= Number.MAX_SAFE_INTEGER) return '+∞ (end of input)';
  if (watermark <= Number.MIN_SAFE_INTEGER) return '−∞';
  return String(watermark);
}

/** Long ids (a job id is 32 hex digits) cut for a narrow column; the full text goes in a tooltip. */
export function shortId(text: string, maxChars = 18): string {
  return text.length > maxChars ? `${text.slice(0, maxChars - 10)}…` : text;
}
