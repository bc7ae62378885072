/**
 * "Find" in the playground: `weir check` of the open scenario (CONTRACT section 2.1), run
 * in slices so that it reports progress and can be stopped, with the same `Campaign` the
 * command uses, so the same runs, seed and fault limit give the same counterexample. And
 * where a run with faults first differs from the run without: the first committed record
 * the fault-free run does not have (a duplicate or an unexpected one), or, when the faults
 * only lost records, the first fault that struck.
 */
import { compactJson } from './format.ts';
import { Campaign, CampaignInputError, canonicalJson, type FaultJson, type JsonValue, type RunOutcome as CampaignRunOutcome, type RunReport, type TraceEvent } from '../../../core/index.ts';

export interface FindRequest {
  data: unknown;
  file: string;
  runs: number;
  seed: number;
  maxFaults: number;
}

export interface FindProgress {
  /** Runs made so far, of `runs`. */
  readonly done: number;
  readonly runs: number;
  /** A run broke the property and its plan is being shrunk. */
  readonly shrinking: boolean;
}

export interface FindSummary {
  readonly runs: number;
  readonly violated: boolean;
  /** The person stopped it before the last run: it held for `runs` runs. */
  readonly stopped: boolean;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
  readonly shrinkSteps: number;
  /** The shrunk plan, and the counterexample scenario it makes (null when nothing broke). */
  readonly plan: readonly FaultJson[] | null;
  readonly counterexample: JsonValue | null;
}

export type FindAnswer = { ok: true; summary: FindSummary } | { ok: false; message: string };

export interface FindOptions {
  now: () => number;
  pause: () => Promise<void>;
  onProgress?: (progress: FindProgress) => void;
  shouldStop?: () => boolean;
  sliceMs?: number;
}

/** What runs a campaign for the session: in a worker (the browser) or in this thread. */
export type Finder = (request: FindRequest, onProgress?: (progress: FindProgress) => void, shouldStop?: () => boolean) => Promise<FindAnswer>;

/** Runs campaigns in this thread (Node tests). */
export function inPageFinder(now: () => number, pause: () => Promise<void>): Finder {
  return (request, onProgress, shouldStop) => findCounterexample(request, { now, pause, ...(onProgress ? { onProgress } : {}), ...(shouldStop ? { shouldStop } : {}) });
}

/** Runs the campaign; never rejects. */
export async function findCounterexample(request: FindRequest, options: FindOptions): Promise<FindAnswer> {
  try {
    const campaign = new Campaign(request.data, request.file, { runs: request.runs, seed: request.seed, maxFaults: request.maxFaults });
    const outcomes: CampaignRunOutcome[] = [];
    const sliceMs = options.sliceMs ?? 40;
    let sliceEnd = options.now() + sliceMs;
    for (let i = 0; i < campaign.runs; i++) {
      const outcome = campaign.runIndex(i);
      outcomes.push(outcome);
      if (outcome.violated) {
        options.onProgress?.({ done: i + 1, runs: campaign.runs, shrinking: true });
        await options.pause();
        const result = campaign.result(outcomes, campaign.shrink(i));
        return { ok: true, summary: summaryOf(result, false) };
      }
      if (options.now() >= sliceEnd) {
        options.onProgress?.({ done: i + 1, runs: campaign.runs, shrinking: false });
        await options.pause();
        if (options.shouldStop?.()) return { ok: true, summary: summaryOf(campaign.result(outcomes, null), true) };
        sliceEnd = options.now() + sliceMs;
      }
    }
    return { ok: true, summary: summaryOf(campaign.result(outcomes, null), false) };
  } catch (error) {
    if (error instanceof CampaignInputError) return { ok: false, message: error.lines.join('\n') };
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function summaryOf(result: ReturnType<Campaign['result']>, stopped: boolean): FindSummary {
  return {
    runs: result.runs,
    violated: result.violated,
    stopped,
    lost: result.lost,
    duplicated: result.duplicated,
    unexpected: result.unexpected,
    shrinkSteps: result.shrinkSteps,
    plan: result.violation?.shrunk ?? null,
    counterexample: result.counterexample,
  };
}

/**
 * The virtual time at which a run with faults first differs from `reference`, the same
 * scenario and seed without them: when it committed a record the reference has no (more)
 * of. Writes of sinks without transactions count when written; transactional ones when
 * their transaction commits. Null when every committed record is in the reference: then
 * the first fault that struck is where to look (`firstFaultMs`).
 */
export function firstExtraRecordMs(reference: RunReport, events: readonly TraceEvent[], tableSinkIds: readonly string[] = []): number | null {
  return firstExtraRecord(reference, events, tableSinkIds)?.timeMs ?? null;
}

/** The first committed record the fault-free run has no (more) of: when, which sink, its value, and whether the reference has it at all. */
export interface ExtraRecord {
  readonly timeMs: number;
  readonly sink: string;
  readonly value: JsonValue;
  /** The reference commits this value too (fewer times): this one is a duplicate, not an unexpected record. */
  readonly duplicate: boolean;
}

/** As `firstExtraRecordMs`, with what the record is. */
export function firstExtraRecord(reference: RunReport, events: readonly TraceEvent[], tableSinkIds: readonly string[] = []): ExtraRecord | null {
  const tableSinks = new Set(tableSinkIds);
  const left = new Map<string, number>();
  for (const [sink, out] of Object.entries(reference.sinks)) {
    // A table's rows are judged by the table: writing one twice changes nothing.
    if (tableSinks.has(sink)) continue;
    for (const r of out.committed) {
      const key = `${sink}\u0000${canonicalJson(r.value)}`;
      left.set(key, (left.get(key) ?? 0) + 1);
    }
  }
  const pending = new Map<string, { sink: string; value: JsonValue; atMs: number }[]>();
  const seen = new Set(left.keys());
  const take = (sink: string, value: JsonValue): boolean => {
    const key = `${sink}\u0000${canonicalJson(value)}`;
    const n = left.get(key) ?? 0;
    if (n === 0) return false;
    left.set(key, n - 1);
    return true;
  };
  const extra = (timeMs: number, sink: string, value: JsonValue): ExtraRecord => ({ timeMs, sink, value, duplicate: seen.has(`${sink}\u0000${canonicalJson(value)}`) });
  for (const e of events) {
    if (e.tag === 'sink.wrote') {
      if (tableSinks.has(e.sink)) continue;
      if (e.transactionalId === undefined) {
        if (!take(e.sink, e.value)) return extra(e.timeMs, e.sink, e.value);
      } else {
        const tx = `${e.transactionalId}\u0000${e.epoch ?? 0}`;
        const list = pending.get(tx) ?? [];
        list.push({ sink: e.sink, value: e.value, atMs: e.timeMs });
        pending.set(tx, list);
      }
    } else if (e.tag === 'log.transaction' && e.status === 'COMMITTED') {
      const tx = `${e.transactionalId}\u0000${e.epoch}`;
      for (const w of pending.get(tx) ?? []) if (!take(w.sink, w.value)) return extra(e.timeMs, w.sink, w.value);
      pending.delete(tx);
    }
  }
  return null;
}

/** The time of the first fault that struck, or null. */
export function firstFaultMs(events: readonly TraceEvent[]): number | null {
  return events.find((e) => e.tag === 'fault.injected')?.timeMs ?? null;
}

/**
 * What differs at the first difference, in words: the record written a second time (or one
 * the run without faults never writes), or, when records were only lost, that the first
 * fault struck there.
 * @example differenceText({ timeMs: 2001, sink: 'out', value: { key: 'k2', count: 3 }, duplicate: true }, 0)
 * // 'sink out writes {"key":"k2","count":3} a second time: the run without faults writes it fewer times'
 */
export function differenceText(extra: ExtraRecord | null, lost: number): string | null {
  if (extra !== null) {
    const value = compactJson(extra.value, 80);
    return extra.duplicate
      ? `sink ${extra.sink} writes ${value} a second time: the run without faults writes it fewer times`
      : `sink ${extra.sink} writes ${value}, which the run without faults never writes`;
  }
  return lost > 0 ? `the first fault strikes here; ${plural(lost, 'record')} the run without faults writes are never written` : null;
}

/** One fault of a plan in words: `crash-at on out#0 at 1,234 ms (after: 3)`. */
export function describePlanFault(f: FaultJson): string {
  const target =
    typeof f['operator'] === 'string'
      ? ` on ${f['operator']}${typeof f['subtask'] === 'number' ? `#${f['subtask']}` : ''}`
      : typeof f['taskManager'] === 'string'
        ? ` on ${f['taskManager']}`
        : '';
  const at = typeof f['at'] === 'number' ? ` at ${f['at'].toLocaleString('en-US')} ms` : '';
  const rest = Object.entries(f)
    .filter(([k]) => !['type', 'operator', 'subtask', 'taskManager', 'at'].includes(k))
    .map(([k, v]) => `${k}: ${compactJson(v, 40)}`);
  return `\`${String(f['type'])}\`${target}${at}${rest.length > 0 ? ` (${rest.join(', ')})` : ''}`;
}

/**
 * The description a loaded counterexample gets in place of its lesson's (which tells of the
 * lesson's own faults): the plan Find found and what the exactly-once check saw.
 */
export function counterexampleDescription(summary: FindSummary, file: string): string {
  const plan = summary.plan ?? [];
  const broke = [
    summary.duplicated > 0 ? `${plural(summary.duplicated, 'record')} written twice` : null,
    summary.lost > 0 ? `${plural(summary.lost, 'record')} lost` : null,
    summary.unexpected > 0 ? `${plural(summary.unexpected, 'record')} the run without faults never writes` : null,
  ].filter((x): x is string => x !== null);
  return [
    `A counterexample Find found for ${file} (${plural(summary.runs, 'run')} of \`weir check\`, the plan shrunk in ${plural(summary.shrinkSteps, 'step')}). ` +
      `With this fault plan in place of the file's own faults, exactly-once breaks: ${broke.length > 0 ? broke.join(', ') : 'the output differs'}.`,
    plan.map((f) => `- ${describePlanFault(f)}`).join('\n'),
    "The lesson's own text is about its own faults, not these; **Go to** below stands the view where the output first differs.",
  ].filter((p) => p !== '').join('\n\n');
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}
