/**
 * `filter`: keeps the records for which an expression is truthy (false, null, 0 and ""
 * are not), passing the same record object on unchanged.
 *
 * @example {"id": "odd", "type": "filter", "input": "numbers", "expr": "v % 2 == 1"}
 */
import { isTruthy } from '../expr/index.ts';
import type { StreamRecord } from '../model/index.ts';
import { StatelessOperator } from './stateless-operator.ts';

export class FilterOperator extends StatelessOperator {
  processElement(record: StreamRecord): void {
    if (isTruthy(this.fn(record.value, record.timestamp))) this.out.collect(record);
  }
}
