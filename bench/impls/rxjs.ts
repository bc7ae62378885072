/**
 * The same workloads as an RxJS 7 user writes them: a synchronous `range` over the input,
 * records as objects, `map`/`filter` for W1, and for W2 a custom watermark operator
 * followed by a `scan` that keeps the open windows and hands fired results to `mergeMap`.
 * W3 multicasts the stream with `connectable`, splits records with `groupBy(key % 4)` and
 * merges the shared watermarks into each group, so the four window pipelines are fed the
 * same watermarks, as in Flink.
 *
 * Nothing here uses a scheduler: `range` emits synchronously, so the whole pipeline runs
 * inside `subscribe` and the runner can time it like a loop.
 */
import {
  connectable,
  filter,
  groupBy,
  map,
  merge,
  mergeMap,
  Observable,
  range,
  scan,
  share,
  type OperatorFunction,
} from 'rxjs';
import type { BenchInput } from '../input.ts';
import type { BenchSink } from '../sink.ts';
import {
  W3_PARALLELISM,
  WATERMARK_EVERY_RECORDS,
  WATERMARK_LAG_MS,
  WINDOW_SIZE_MS,
  windowStartOf,
  type Workload,
} from '../workloads.ts';
import type { Implementation } from './types.ts';

interface Event {
  readonly key: number;
  readonly value: number;
  readonly ts: number;
}

interface Watermark {
  readonly watermark: number;
}

type Element = Event | Watermark;

interface WindowResult {
  readonly key: number;
  readonly start: number;
  readonly end: number;
  readonly count: number;
  readonly sum: number;
}

function isWatermark(e: Element): e is Watermark {
  return 'watermark' in e;
}

function isEvent(e: Element): e is Event {
  return !('watermark' in e);
}

function events$(input: BenchInput): Observable<Event> {
  return range(0, input.n).pipe(map((i) => ({ key: input.key[i]!, value: input.value[i]!, ts: input.ts[i]! })));
}

function w1(input: BenchInput, sink: BenchSink): void {
  range(0, input.n)
    .pipe(
      map((i) => input.value[i]! * 3 + 1),
      filter((v) => v % 4 !== 0),
    )
    .subscribe((v) => sink.value(v));
}

/**
 * Bounded-out-of-orderness watermarks: after every `everyRecords` records, max ts - lag;
 * on completion the final watermark (+Infinity) that fires whatever is still open.
 */
function withWatermarks(lagMs: number, everyRecords: number): OperatorFunction<Event, Element> {
  return (source) =>
    new Observable<Element>((subscriber) => {
      let maxTs = -Infinity;
      let sinceWatermark = 0;
      return source.subscribe({
        next(e) {
          if (e.ts > maxTs) maxTs = e.ts;
          subscriber.next(e);
          if (++sinceWatermark === everyRecords) {
            sinceWatermark = 0;
            subscriber.next({ watermark: maxTs - lagMs });
          }
        },
        error: (err: unknown) => subscriber.error(err),
        complete() {
          subscriber.next({ watermark: Infinity });
          subscriber.complete();
        },
      });
    });
}

interface WindowState {
  watermark: number;
  /** Window start -> key -> [count, sum]. */
  readonly windows: Map<number, Map<number, { count: number; sum: number }>>;
  /** Results fired by the last element (empty for most). */
  fired: WindowResult[];
}

const NONE_FIRED: WindowResult[] = [];

function windowStep(state: WindowState, e: Element, onLate: () => void): WindowState {
  state.fired = NONE_FIRED;
  if (isWatermark(e)) {
    if (e.watermark <= state.watermark) return state;
    state.watermark = e.watermark;
    const fired: WindowResult[] = [];
    for (const [start, byKey] of state.windows) {
      const end = start + WINDOW_SIZE_MS;
      if (end - 1 > e.watermark) continue;
      for (const [key, acc] of byKey) fired.push({ key, start, end, count: acc.count, sum: acc.sum });
      state.windows.delete(start);
    }
    state.fired = fired;
    return state;
  }
  const start = windowStartOf(e.ts, WINDOW_SIZE_MS);
  if (start + WINDOW_SIZE_MS - 1 <= state.watermark) {
    onLate();
    return state;
  }
  let byKey = state.windows.get(start);
  if (byKey === undefined) {
    byKey = new Map();
    state.windows.set(start, byKey);
  }
  const acc = byKey.get(e.key);
  if (acc === undefined) byKey.set(e.key, { count: 1, sum: e.value });
  else {
    acc.count++;
    acc.sum += e.value;
  }
  return state;
}

/** A keyed tumbling event-time window with count and sum, over records and watermarks. */
function tumblingCountSum(onLate: () => void): OperatorFunction<Element, WindowResult> {
  return (source) =>
    source.pipe(
      scan((state: WindowState, e: Element) => windowStep(state, e, onLate), {
        watermark: -Infinity,
        windows: new Map(),
        fired: NONE_FIRED,
      }),
      filter((state) => state.fired.length > 0),
      mergeMap((state) => state.fired),
    );
}

function toSink(sink: BenchSink): (r: WindowResult) => void {
  return (r) => sink.window(r.key, r.start, r.end, r.count, r.sum);
}

function w2(input: BenchInput, sink: BenchSink): void {
  events$(input)
    .pipe(withWatermarks(WATERMARK_LAG_MS, WATERMARK_EVERY_RECORDS), tumblingCountSum(() => sink.late()))
    .subscribe(toSink(sink));
}

function w3(input: BenchInput, sink: BenchSink): void {
  const elements$ = connectable(events$(input).pipe(withWatermarks(WATERMARK_LAG_MS, WATERMARK_EVERY_RECORDS)));
  const watermarks$ = elements$.pipe(filter(isWatermark), share());
  elements$
    .pipe(
      filter(isEvent),
      groupBy((e) => e.key % W3_PARALLELISM),
      mergeMap((partition$) => merge(partition$, watermarks$).pipe(tumblingCountSum(() => sink.late()))),
    )
    .subscribe(toSink(sink));
  elements$.connect();
}

export const rxjs: Implementation = {
  name: 'rxjs',
  description: 'RxJS 7 operators over a synchronous range',
  run(workload: Workload, input: BenchInput, sink: BenchSink): void {
    switch (workload) {
      case 'W1':
        return w1(input, sink);
      case 'W2':
        return w2(input, sink);
      case 'W3':
        return w3(input, sink);
    }
  },
};
