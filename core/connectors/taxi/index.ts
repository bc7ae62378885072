/**
 * Taxi rides and fares as Flink's training course generates them: the rules that derive
 * every field from a rideId (taxi-data.ts, on a port of java.util.Random), and the order
 * and pace of the course's two sources (taxi-generator.ts).
 */
export { JavaRandom } from './java-random.ts';
export { strictLog } from './strict-log.ts';
export { rideFacts, taxiFare, taxiRide, TAXI_BEGINNING_MS, TAXI_LAT_RANGE, TAXI_LON_RANGE, type RideFacts, type TaxiFare, type TaxiRide } from './taxi-data.ts';
export { generateTaxiTopic, taxiRecords, taxiSeedOffset, type TaxiGenerator, type TaxiRecord } from './taxi-generator.ts';
