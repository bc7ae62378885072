/**
 * `flatMap`: one record in, any number out. The expression returns a list; each element
 * becomes a record with the input's timestamp. A result that is not a list fails the
 * task, as a Flink FlatMapFunction that throws would.
 *
 * @example {"id": "words", "type": "flatMap", "input": "lines", "expr": "split(text, ' ')"}
 */
import type { JsonValue, StreamRecord } from '../model/index.ts';
import { StatelessOperator } from './stateless-operator.ts';
import { UserFunctionError } from './user-function.ts';

export class FlatMapOperator extends StatelessOperator<JsonValue> {
  processElement(record: StreamRecord): void {
    const result = this.fn(record.value, record.timestamp);
    if (!Array.isArray(result)) {
      throw new UserFunctionError(this.operatorId, new TypeError(`a flatMap function must return a list, it returned ${result === null ? 'null' : typeof result}`));
    }
    for (const value of result) this.out.collect({ value, timestamp: record.timestamp });
  }
}
