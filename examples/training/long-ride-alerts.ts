/**
 * Flink's training exercise "long ride alerts", solved with Weir's DataStream API: the
 * rideId of every ride that lasts more than two hours, whether or not its END event ever
 * comes. The same job as scenarios/training/long-ride-alerts.json, and the course's
 * solution: a KeyedProcessFunction keyed by rideId that keeps the first event of a ride in
 * ValueState. A START registers an event-time timer two hours on; the second event settles
 * the ride (and deletes the timer), the timer settles a ride whose END is late or lost.
 * Either way the state is cleared, as in the course (whose discussion notes that an END
 * arriving after the timer fired is kept for ever: a leak Flink's state TTL would fix).
 */
import {
  StreamExecutionEnvironment,
  valueState,
  WatermarkStrategy,
  type KeyedProcessFunction,
  type StreamGraph,
  type TaxiRide,
  type Topic,
} from '../../core/index.ts';
import { printWhenRunAsScript } from './run-example.ts';

const TWO_HOURS_MS = 2 * 60 * 60 * 1000;

type AlertState = { ride: ReturnType<typeof valueState> };

/** True when the ride from `start` to `end` lasted more than two hours. */
const tooLong = (start: TaxiRide, end: TaxiRide): boolean => end.eventTime - start.eventTime > TWO_HOURS_MS;

/** The course's AlertFunction. */
export const alertFunction: KeyedProcessFunction<AlertState> = {
  state: { ride: valueState() },
  processElement(value, ctx, out) {
    const ride = value as TaxiRide;
    const first = ctx.getState('ride');
    const seen = first.value() as TaxiRide | null;
    if (seen === null) {
      first.update(ride);
      if (ride.isStart) ctx.timerService().registerEventTimeTimer(ride.eventTime + TWO_HOURS_MS);
      return;
    }
    if (ride.isStart) {
      if (tooLong(ride, seen)) out.collect(ride.rideId);
    } else {
      // The saved event is the START: its timer has not fired, or the state would be gone.
      ctx.timerService().deleteEventTimeTimer(seen.eventTime + TWO_HOURS_MS);
      if (tooLong(seen, ride)) out.collect(ride.rideId);
    }
    first.clear();
  },
  onTimer(_timestamp, ctx, out) {
    // Only a START still waiting for its END two hours on gets here: the ride is too long.
    out.collect((ctx.getState('ride').value() as TaxiRide).rideId);
    ctx.getState('ride').clear();
  },
};

/** The job over the topic `rides`; its sink is the graph's only one. */
export function longRideAlerts(rides: Topic): StreamGraph {
  const env = StreamExecutionEnvironment.getExecutionEnvironment().setParallelism(2);
  env
    .fromSource(rides, WatermarkStrategy.forBoundedOutOfOrderness(60_000).withTimestampAssigner((ride) => (ride as TaxiRide).eventTime), 'rides')
    .keyBy((ride) => (ride as TaxiRide).rideId)
    .process(alertFunction, 'AlertFunction')
    .print();
  return env.getStreamGraph('Long Taxi Rides');
}

printWhenRunAsScript(import.meta.url, 'long-ride-alerts', (topic) => longRideAlerts(topic('rides')));
