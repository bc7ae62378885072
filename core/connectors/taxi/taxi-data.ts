/**
 * The fields of a taxi ride and its fare, derived from the rideId by the rules of Flink's
 * training course (its DataGenerator), so that the START event, the END event and the fare
 * of one ride agree with each other, and with what the course's Flink jobs see.
 *
 * The course seeds a fresh `java.util.Random` with the rideId for each field, which is why
 * fields are correlated (the tip, the passenger count and the duration start from the same
 * Gaussian draw; so do a ride's start latitude and longitude). Numbers come from a Gaussian
 * around the middle of a range, redrawn until they fall in it:
 *
 * - start time: 2020-01-01T12:00:00Z + 20 s x rideId; end time: start + duration;
 * - duration: whole minutes in [0, 600], mean 20, standard deviation 40;
 * - driverId = taxiId = 2013000000 + a uniform draw below 200;
 * - start coordinates (seed rideId) and end coordinates (seed rideId + 42): float32 in a
 *   box 0.1 degree wider than NYC on each side, mean its middle, deviation an eighth of it;
 * - passengers: [1, 4], mean 2.5, deviation 0.375; tip: whole dollars in [0, 60], mean 10,
 *   deviation 15; tolls: [0, 5] on every tenth ride, else 0; payment: CARD for even ids,
 *   CASH for odd; total fare: 3 + duration in minutes + tip + tolls.
 *
 * Weir adds one thing: `seedOffset` is added to every Java seed (mod 2^48). With offset 0,
 * the run seed 0, the data is exactly the course's; another run seed gives other data by
 * the same rules.
 */
import { NYC_BOUNDS, type JsonValue } from '../../expr/index.ts';
import { JavaRandom } from './java-random.ts';

/** 2020-01-01T12:00:00Z in epoch ms: the course's BEGINNING, when ride 0 would start. */
export const TAXI_BEGINNING_MS = 1_577_880_000_000;
const MS_BETWEEN_RIDES = 20_000;
const NUMBER_OF_DRIVERS = 200;
const FIRST_DRIVER_ID = 2_013_000_000;
const TWO_48 = 281_474_976_710_656;
const f32 = Math.fround;

/** The course's coordinate ranges: NYC's box widened by 0.1 degree (in float32, as it computes them). */
export const TAXI_LAT_RANGE = Object.freeze({ min: f32(NYC_BOUNDS.latSouth - 0.1), max: f32(NYC_BOUNDS.latNorth + f32(0.1)) });
export const TAXI_LON_RANGE = Object.freeze({ min: f32(NYC_BOUNDS.lonWest - 0.1), max: f32(NYC_BOUNDS.lonEast + f32(0.1)) });

/** A TaxiRide event as CONTRACT section 6 names its fields. */
export interface TaxiRide {
  readonly [field: string]: JsonValue;
  readonly rideId: number;
  readonly isStart: boolean;
  readonly eventTime: number;
  readonly startLon: number;
  readonly startLat: number;
  readonly endLon: number;
  readonly endLat: number;
  readonly passengerCnt: number;
  readonly taxiId: number;
  readonly driverId: number;
}

/** A TaxiFare as CONTRACT section 6 names its fields. */
export interface TaxiFare {
  readonly [field: string]: JsonValue;
  readonly rideId: number;
  readonly taxiId: number;
  readonly driverId: number;
  readonly startTime: number;
  readonly paymentType: 'CARD' | 'CASH';
  readonly tip: number;
  readonly tolls: number;
  readonly totalFare: number;
}

/** The Java seed for `n` (a rideId, rideId + 42, or a batch's first id) with the run's offset. */
export function javaSeed(n: number, seedOffset: number): number {
  return (n + seedOffset) % TWO_48;
}

/** A whole number from a Gaussian (mean, stddev in float32), redrawn until it is in [min, max]. */
function gaussianLong(seed: number, min: number, max: number, mean: number, stddev: number): number {
  const random = new JavaRandom(seed);
  for (;;) {
    // Java: Math.round(stddev * nextGaussian() + mean) in double arithmetic; `+ 0` drops a -0.
    const value = Math.round(stddev * random.nextGaussian() + mean) + 0;
    if (value >= min && value <= max) return value;
  }
}

/** The course's two-argument form: mean the middle of the range, deviation an eighth of it. */
function centredLong(seed: number, min: number, max: number): number {
  return gaussianLong(seed, min, max, f32((min + max) / 2), f32((max - min) / 8));
}

/** A float32 from a Gaussian around the middle of [min, max], redrawn until it is inside. */
function centredFloat(seed: number, range: { readonly min: number; readonly max: number }): number {
  const mean = f32(f32(range.min + range.max) / 2);
  const stddev = f32(f32(range.max - range.min) / 8);
  const random = new JavaRandom(seed);
  for (;;) {
    const value = f32(f32(stddev * random.nextGaussian()) + mean);
    if (value >= range.min && value <= range.max) return value;
  }
}

/** The fields of one ride that both of its events share, and its times. */
export interface RideFacts {
  readonly rideId: number;
  readonly startTime: number;
  readonly endTime: number;
  readonly durationMinutes: number;
  readonly startLon: number;
  readonly startLat: number;
  readonly endLon: number;
  readonly endLat: number;
  readonly passengerCnt: number;
  readonly driverId: number;
}

/**
 * Everything the course derives from `rideId` for a ride.
 * @example rideFacts(1, 0).startTime // 1577880020000, 2020-01-01T12:00:20Z
 */
export function rideFacts(rideId: number, seedOffset: number): RideFacts {
  const seed = javaSeed(rideId, seedOffset);
  const endSeed = javaSeed(rideId + 42, seedOffset);
  const startTime = TAXI_BEGINNING_MS + MS_BETWEEN_RIDES * rideId;
  const durationMinutes = gaussianLong(seed, 0, 600, 20, 40);
  return {
    rideId,
    startTime,
    endTime: startTime + 60_000 * durationMinutes,
    durationMinutes,
    startLon: centredFloat(seed, TAXI_LON_RANGE),
    startLat: centredFloat(seed, TAXI_LAT_RANGE),
    endLon: centredFloat(endSeed, TAXI_LON_RANGE),
    endLat: centredFloat(endSeed, TAXI_LAT_RANGE),
    passengerCnt: centredLong(seed, 1, 4),
    driverId: FIRST_DRIVER_ID + new JavaRandom(seed).nextInt(NUMBER_OF_DRIVERS),
  };
}

/** The START or END event of a ride; its event time is the start or the end time. */
export function taxiRide(facts: RideFacts, isStart: boolean): TaxiRide {
  return {
    rideId: facts.rideId,
    isStart,
    eventTime: isStart ? facts.startTime : facts.endTime,
    startLon: facts.startLon,
    startLat: facts.startLat,
    endLon: facts.endLon,
    endLat: facts.endLat,
    passengerCnt: facts.passengerCnt,
    taxiId: facts.driverId,
    driverId: facts.driverId,
  };
}

/**
 * The fare of ride `rideId`, as the course's TaxiFare(rideId).
 * @example taxiFare(2, 0).paymentType // 'CARD'
 */
export function taxiFare(rideId: number, seedOffset: number): TaxiFare {
  const seed = javaSeed(rideId, seedOffset);
  const durationMinutes = gaussianLong(seed, 0, 600, 20, 40);
  const tip = gaussianLong(seed, 0, 60, 10, 15);
  const tolls = rideId % 10 === 0 ? centredLong(seed, 0, 5) : 0;
  return {
    rideId,
    taxiId: FIRST_DRIVER_ID + new JavaRandom(seed).nextInt(NUMBER_OF_DRIVERS),
    driverId: FIRST_DRIVER_ID + new JavaRandom(seed).nextInt(NUMBER_OF_DRIVERS),
    startTime: TAXI_BEGINNING_MS + MS_BETWEEN_RIDES * rideId,
    paymentType: rideId % 2 === 0 ? 'CARD' : 'CASH',
    tip,
    tolls,
    // Whole numbers all: the course's float sum is exact, and so is this one.
    totalFare: f32(3 + durationMinutes + tip + tolls),
  };
}
