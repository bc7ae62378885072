// The playground's address (CONTRACT.md section 4) and seed parsing.
import { describe, expect, it } from 'vitest';
import { parseSeed, readAddress, writeAddress } from '../../playground/src/lib/address.ts';

describe('parseSeed', () => {
  it.each([
    ['0', 0],
    ['7', 7],
    [' 42 ', 42],
    ['-3', -3],
    ['-0', 0],
    ['9007199254740991', 9007199254740991],
  ])('reads %j as %j', (text, seed) => {
    expect(parseSeed(text)).toBe(seed);
  });

  it.each(['', ' ', '1.5', '1e3', '0x10', 'seven', '99999999999999999', '--1', '+1'])('refuses %j', (text) => {
    expect(parseSeed(text)).toBeNull();
  });
});

describe('readAddress', () => {
  it('reads scenario, seed and run=end', () => {
    expect(readAddress('?scenario=hello-map-filter&seed=7&run=end')).toEqual({
      scenario: 'hello-map-filter',
      seed: 7,
      badSeed: null,
      runToEnd: true,
      timeMs: null,
    });
  });

  it('reads t=MS, the time the view stands at after the run, and ignores a t that is not a whole number >= 0', () => {
    expect(readAddress('?scenario=a&run=end&t=2500').timeMs).toBe(2500);
    expect(readAddress('?scenario=a&run=end&t=0').timeMs).toBe(0);
    for (const bad of ['-1', '2.5', 'soon', '', '1e3']) expect(readAddress(`?scenario=a&run=end&t=${bad}`).timeMs).toBeNull();
  });

  it('reads an empty address as nothing asked for', () => {
    expect(readAddress('')).toEqual({ scenario: null, seed: null, badSeed: null, runToEnd: false, timeMs: null });
  });

  it('keeps a seed it cannot read, to say so', () => {
    expect(readAddress('?scenario=a&seed=abc&run=later')).toEqual({ scenario: 'a', seed: null, badSeed: 'abc', runToEnd: false, timeMs: null });
  });
});

describe('writeAddress', () => {
  const here = { pathname: '/', search: '', hash: '' };

  it('writes scenario and seed, and run=end only when asked', () => {
    expect(writeAddress(here, { scenario: 'orders-by-customer', seed: 3, runToEnd: false })).toBe('/?scenario=orders-by-customer&seed=3');
    expect(writeAddress(here, { scenario: 'orders-by-customer', seed: -3, runToEnd: true })).toBe(
      '/?scenario=orders-by-customer&seed=-3&run=end',
    );
  });

  it('keeps the path, the fragment and parameters it does not own', () => {
    const current = { pathname: '/weir/', search: '?lang=en&seed=1&run=end', hash: '#trace' };
    expect(writeAddress(current, { scenario: 'a b', seed: 2, runToEnd: false })).toBe('/weir/?lang=en&scenario=a+b&seed=2#trace');
  });

  it('round-trips through readAddress', () => {
    const url = writeAddress(here, { scenario: 'hello-map-filter', seed: 11, runToEnd: true });
    expect(readAddress(url.slice(url.indexOf('?')))).toEqual({ scenario: 'hello-map-filter', seed: 11, badSeed: null, runToEnd: true, timeMs: null });
  });
});
