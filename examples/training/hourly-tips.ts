/**
 * Flink's training exercise "hourly tips", solved with Weir's DataStream API: sum each
 * driver's tips per hour, then find the driver with the most tips in each hour. The same
 * job as scenarios/training/hourly-tips.json, shaped like the course's Java solution: a
 * keyed tumbling event-time window with a ProcessWindowFunction that adds the tips, then a
 * windowAll (parallelism 1) with maxBy.
 */
import { StreamExecutionEnvironment, TumblingEventTimeWindows, WatermarkStrategy, type JsonValue, type StreamGraph, type TaxiFare, type Topic } from '../../core/index.ts';
import { printWhenRunAsScript } from './run-example.ts';

const HOUR_MS = 3_600_000;

/** One result: the hour (by its end), the driver and the driver's tips in it. */
export interface HourlyTip {
  readonly [field: string]: JsonValue;
  readonly windowEnd: number;
  readonly driverId: number;
  readonly sumOfTips: number;
}

/** The job over the topic `fares`; its sink is the graph's only one. */
export function hourlyTips(fares: Topic): StreamGraph {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  env
    .fromSource(fares, WatermarkStrategy.forMonotonousTimestamps().withTimestampAssigner((fare) => (fare as TaxiFare).startTime), 'fares')
    .keyBy((fare) => (fare as TaxiFare).driverId)
    .window(TumblingEventTimeWindows.of(HOUR_MS))
    // The course's AddTips: all of a driver's fares of the hour at once.
    .process((driverId, window, fares): HourlyTip[] => [{ windowEnd: window.end, driverId: driverId as number, sumOfTips: fares.reduce((sum: number, f) => sum + (f as TaxiFare).tip, 0) }])
    .windowAll(TumblingEventTimeWindows.of(HOUR_MS))
    .maxBy('sumOfTips')
    // A windowAll result is {window, value}: the value is the winning HourlyTip.
    .map((result) => (result as { value: HourlyTip }).value, 'best driver')
    .print();
  return env.getStreamGraph('Hourly Tips');
}

printWhenRunAsScript(import.meta.url, 'hourly-tips', (topic) => hourlyTips(topic('fares')));
