/**
 * `map`: one record in, one record out, the value computed by an expression over the
 * record. The timestamp is kept, as Flink's StreamMap keeps it.
 *
 * @example {"id": "triple", "type": "map", "input": "numbers", "expr": "{key: key, v: value * 3 + 1}"}
 */
import type { StreamRecord } from '../model/index.ts';
import { StatelessOperator } from './stateless-operator.ts';

export class MapOperator extends StatelessOperator {
  processElement(record: StreamRecord): void {
    this.out.collect({ value: this.fn(record.value, record.timestamp), timestamp: record.timestamp });
  }
}
