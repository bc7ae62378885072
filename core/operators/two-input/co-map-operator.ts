/**
 * Flink's CoStreamMap and CoStreamFlatMap: a CoMapFunction or CoFlatMapFunction over
 * connected streams, stateless. What is emitted keeps the element's timestamp.
 */
import type { StreamRecord } from '../../model/index.ts';
import type { Collector } from '../process/index.ts';
import { UserFunctionError, isUserError } from '../user-function.ts';
import type { CoFlatMapFunction, CoMapFunction } from './co-functions.ts';
import { AbstractTwoInputOperator } from './two-input-base.ts';

/** @example new CoStreamMap({ map1: (v) => v, map2: (v) => ({ b: v }) }) */
export class CoStreamMap extends AbstractTwoInputOperator {
  constructor(private readonly fn: CoMapFunction) {
    super();
  }
  processElement1(record: StreamRecord): void {
    const value = guard(this.ctx.operatorId, () => this.fn.map1(record.value, record.timestamp));
    this.out.collect({ value, timestamp: record.timestamp });
  }
  processElement2(record: StreamRecord): void {
    const value = guard(this.ctx.operatorId, () => this.fn.map2(record.value, record.timestamp));
    this.out.collect({ value, timestamp: record.timestamp });
  }
}

/** @example new CoStreamFlatMap({ flatMap1: (v, out) => out.collect(v), flatMap2: () => {} }) */
export class CoStreamFlatMap extends AbstractTwoInputOperator {
  #timestamp: number | null = null;
  readonly #collector: Collector;
  constructor(private readonly fn: CoFlatMapFunction) {
    super();
    this.#collector = {
      collect: (value) => this.out.collect({ value, timestamp: this.#timestamp }),
      collectWithTimestamp: (value, timestamp) => this.out.collect({ value, timestamp }),
    };
  }
  processElement1(record: StreamRecord): void {
    this.#timestamp = record.timestamp;
    guard(this.ctx.operatorId, () => this.fn.flatMap1(record.value, this.#collector));
  }
  processElement2(record: StreamRecord): void {
    this.#timestamp = record.timestamp;
    guard(this.ctx.operatorId, () => this.fn.flatMap2(record.value, this.#collector));
  }
}

function guard<R>(operator: string, work: () => R): R {
  try {
    return work();
  } catch (e) {
    if (isUserError(e)) throw e;
    throw new UserFunctionError(operator, e);
  }
}
