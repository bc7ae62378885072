/**
 * The playground's address (CONTRACT.md section 4): `?scenario=NAME&seed=N&run=end` opens a
 * shipped scenario, sets the seed and runs it to its end. The page keeps its address in
 * step with what it shows, so the address bar can always be shared.
 */

export interface Address {
  /** The scenario's name (file base name), or null when the address names none. */
  scenario: string | null;
  /** The seed, or null when absent. */
  seed: number | null;
  /** The seed parameter as written, when present but not a valid seed. */
  badSeed: string | null;
  /** `run=end`: run to the end as soon as the page opens. */
  runToEnd: boolean;
  /** `t=MS` (with `run=end`): the virtual time the view stands at after the run; null when absent or not a whole number >= 0. */
  timeMs: number | null;
}

const SEED_PATTERN = /^-?\d{1,16}$/;

/** Parses a seed as typed by a person: an integer (negative allowed), safe in JavaScript. */
export function parseSeed(text: string): number | null {
  const trimmed = text.trim();
  if (!SEED_PATTERN.test(trimmed)) return null;
  const seed = Number(trimmed);
  if (!Number.isSafeInteger(seed)) return null;
  return Object.is(seed, -0) ? 0 : seed;
}

/**
 * @example
 * readAddress('?scenario=hello-map-filter&seed=7&run=end');
 * // { scenario: 'hello-map-filter', seed: 7, badSeed: null, runToEnd: true, timeMs: null }
 */
export function readAddress(search: string): Address {
  const params = new URLSearchParams(search);
  const scenario = params.get('scenario');
  const seedText = params.get('seed');
  const seed = seedText === null ? null : parseSeed(seedText);
  return {
    scenario: scenario === null || scenario.trim() === '' ? null : scenario.trim(),
    seed,
    badSeed: seedText !== null && seed === null ? seedText : null,
    runToEnd: params.get('run') === 'end',
    timeMs: parseTime(params.get('t')),
  };
}

function parseTime(text: string | null): number | null {
  if (text === null || !/^\d{1,15}$/.test(text.trim())) return null;
  return Number(text.trim());
}

export interface AddressTarget {
  scenario: string;
  seed: number;
  runToEnd: boolean;
}

/**
 * The address for `target`, keeping the path, the fragment and any parameters the
 * playground does not own.
 *
 * @example
 * writeAddress({ pathname: '/', search: '?x=1', hash: '' }, { scenario: 'a', seed: 2, runToEnd: false });
 * // '/?x=1&scenario=a&seed=2'
 */
export function writeAddress(
  current: { pathname: string; search: string; hash: string },
  target: AddressTarget,
): string {
  const params = new URLSearchParams(current.search);
  params.delete('scenario');
  params.delete('seed');
  params.delete('run');
  params.set('scenario', target.scenario);
  params.set('seed', String(target.seed));
  if (target.runToEnd) params.set('run', 'end');
  return `${current.pathname}?${params.toString()}${current.hash}`;
}
