// Side outputs for the timeline. A late record sent to a side output has its own line, from
// its `record.late` event; what a user function writes to one (a process function's
// `sideOutput` action, ctx.output in a window or connect function) has its line from its
// `sideoutput.wrote` event, at trace level full. Below that level those writes have no
// event, so no virtual time: they are listed after the timeline, from the report, with
// their event timestamps, as the sinks' lines show them.
import { canonicalJson, type JsonValue, type RunReport, type TraceEvent } from '../core/index.ts';
import { jsonText } from './json-text.ts';

/** Records listed per side output before the rest is counted. */
export const SIDE_OUTPUT_LINES = 20;

/** The lines for the side-output records that no `record.late` or `sideoutput.wrote` line of the trace shows. */
export function untimedSideOutputLines(events: readonly TraceEvent[], report: RunReport, max = SIDE_OUTPUT_LINES): string[] {
  // Without a trace the timeline is empty, and a late record could not be told from the rest.
  if (report.traceLevel === 'off') return [];
  // The records already on the timeline, per tag and record, to take out of the report's lists.
  const onTimeline = new Map<string, number>();
  for (const e of events) {
    if ((e.tag !== 'sideoutput.wrote' && e.tag !== 'record.late') || e.sideOutput === null) continue;
    const id = recordId(e.sideOutput, e.value, e.timestamp);
    onTimeline.set(id, (onTimeline.get(id) ?? 0) + 1);
  }
  const out: string[] = [];
  for (const [tag, records] of Object.entries(report.sideOutputs)) {
    const rest = records.filter((r) => {
      const id = recordId(tag, r.value, r.timestamp);
      const n = onTimeline.get(id) ?? 0;
      if (n === 0) return true;
      onTimeline.set(id, n - 1);
      return false;
    });
    if (rest.length === 0) continue;
    out.push(`          side output '${tag}': ${rest.length} record(s) written by a user function (not timed at trace level ${report.traceLevel}: --trace-level full times them; @ is the event timestamp)`);
    for (const r of rest.slice(0, max)) out.push(`             ${tag}> ${jsonText(r.value)}${r.timestamp === null ? '' : ` @${r.timestamp}`}`);
    if (rest.length > max) out.push(`             … ${rest.length - max} more (the report's sideOutputs has them: --json)`);
  }
  return out;
}

function recordId(tag: string, value: JsonValue, timestamp: number | null): string {
  return canonicalJson([tag, value, timestamp]);
}
