/**
 * A side output (Flink's OutputTag) is a second stream out of an operator, for records that
 * are not its main result. Here it goes to the outside world, where the run report lists it
 * by tag. What a user function writes there is also a trace event at level `full`, so that a
 * timeline can say when; a late element sent to a late side output is not written through
 * here: its `record.late` event already tells it.
 */
import type { JsonValue } from '../model/index.ts';
import type { OperatorContext } from './operator.ts';

/**
 * Writes one record of a user function to side output `tag` and traces it.
 * @example output: (tag, value) => writeUserSideOutput(this.#ctx, tag, value, this.#timestamp)
 */
export function writeUserSideOutput(ctx: OperatorContext, tag: string, value: JsonValue, timestamp: number | null): void {
  // The event is built only when the trace keeps it: at lower levels a write costs nothing more.
  if (ctx.trace.records('sideoutput.wrote')) ctx.trace.emit({ tag: 'sideoutput.wrote', timeMs: ctx.nowMs(), task: ctx.task, attempt: ctx.attempt, operator: ctx.operatorId, sideOutput: tag, value, timestamp });
  ctx.world.writeSideOutput(tag, { value, timestamp });
}
