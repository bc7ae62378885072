/**
 * The course's GeoUtils.isInNYC for the TypeScript solutions: the same box the scenario
 * language's `isInNYC(lon, lat)` tests, so both forms of the exercise keep the same rides.
 */

const LON_EAST = -73.7;
const LON_WEST = -74.05;
const LAT_NORTH = 41.0;
const LAT_SOUTH = 40.5;

/** Inside NYC's box, edges included. */
export function isInNYC(lon: number, lat: number): boolean {
  return !(lon > LON_EAST || lon < LON_WEST) && !(lat > LAT_NORTH || lat < LAT_SOUTH);
}
