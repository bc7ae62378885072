/**
 * Flink's training exercise "rides and fares", solved with Weir's DataStream API: each
 * START event of a ride with its fare. The same job as scenarios/training/rides-and-fares.json,
 * and the course's solution: the START rides and the fares, both keyed by rideId, connected
 * into a KeyedCoProcessFunction that keeps whichever side came first in ValueState until
 * the other arrives. Neither stream carries watermarks: the join waits for a key's partner,
 * not for time, so nothing here is ever late.
 */
import {
  StreamExecutionEnvironment,
  valueState,
  WatermarkStrategy,
  type KeyedCoProcessFunction,
  type StreamGraph,
  type TaxiFare,
  type TaxiRide,
  type Topic,
} from '../../core/index.ts';
import { printWhenRunAsScript } from './run-example.ts';

type EnrichmentState = { ride: ReturnType<typeof valueState>; fare: ReturnType<typeof valueState> };

/** The course's EnrichmentFunction: emits {ride, fare} once both halves of a ride are in. */
export const enrichmentFunction: KeyedCoProcessFunction<EnrichmentState> = {
  state: { ride: valueState(), fare: valueState() },
  processElement1(ride, ctx, out) {
    const fare = ctx.getState('fare');
    if (fare.value() !== null) {
      out.collect({ ride, fare: fare.value() });
      fare.clear();
    } else {
      ctx.getState('ride').update(ride);
    }
  },
  processElement2(fare, ctx, out) {
    const ride = ctx.getState('ride');
    if (ride.value() !== null) {
      out.collect({ ride: ride.value(), fare });
      ride.clear();
    } else {
      ctx.getState('fare').update(fare);
    }
  },
};

/** The job over the topics `rides` and `fares`; its sink is the graph's only one. */
export function ridesAndFares(rides: Topic, fares: Topic): StreamGraph {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  const starts = env
    .fromSource(rides, WatermarkStrategy.noWatermarks().withTimestampAssigner((ride) => (ride as TaxiRide).eventTime), 'rides')
    .filter((ride) => (ride as TaxiRide).isStart, 'starts')
    .keyBy((ride) => (ride as TaxiRide).rideId);
  const keyedFares = env
    .fromSource(fares, WatermarkStrategy.noWatermarks().withTimestampAssigner((fare) => (fare as TaxiFare).startTime), 'fares')
    .keyBy((fare) => (fare as TaxiFare).rideId);
  starts.connect(keyedFares).process(enrichmentFunction, 'enrichment').print();
  return env.getStreamGraph('Join Rides with Fares');
}

printWhenRunAsScript(import.meta.url, 'rides-and-fares', (topic) => ridesAndFares(topic('rides'), topic('fares')));
