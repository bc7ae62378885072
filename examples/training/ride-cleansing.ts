/**
 * Flink's training exercise "ride cleansing", solved with Weir's DataStream API: keep the
 * taxi rides that start and end in New York City. The same job as
 * scenarios/training/ride-cleansing.json, written as the course's Java solution is: a
 * source, one stateless filter, a sink. No watermarks: a filter needs no event time.
 */
import { StreamExecutionEnvironment, WatermarkStrategy, type JsonValue, type StreamGraph, type TaxiRide, type Topic } from '../../core/index.ts';
import { printWhenRunAsScript } from './run-example.ts';
import { isInNYC } from './nyc.ts';

/**
 * The job over the topic `rides`; its sink is the graph's only one.
 * @example createSimulation({ streamGraph: rideCleansing(generateTaxiTopic('rides', 2, { type: 'taxi-rides', count: 100 }, 0)), seed: 0 })
 */
export function rideCleansing(rides: Topic): StreamGraph {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  env
    .fromSource(rides, WatermarkStrategy.noWatermarks().withTimestampAssigner((ride) => (ride as TaxiRide).eventTime), 'rides')
    .filter((value: JsonValue) => {
      const ride = value as TaxiRide;
      return isInNYC(ride.startLon, ride.startLat) && isInNYC(ride.endLon, ride.endLat);
    }, 'NYC filter')
    .print();
  return env.getStreamGraph('Taxi Ride Cleansing');
}

printWhenRunAsScript(import.meta.url, 'ride-cleansing', (topic) => rideCleansing(topic('rides')));
