/**
 * The fields of a `dedup` operator: how it remembers the keys it has seen. Exactly one of
 * `bloom` (a Bloom filter sized for `expectedItems` keys at `falsePositiveRate`) and
 * `"exact": true` (an exact set). The filter's size is worked out here, so a filter too
 * big for a simulation is a validation error, not an allocation that fails mid-run.
 */
import { bloomSizing, MAX_BLOOM_BITS, type DedupFilterSpec } from '../../operators/index.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';
import type { DedupExpectation } from './types.ts';

export const DEDUP_FIELDS = ['key', 'bloom', 'exact'] as const;

/** `expectedItems` above this would need more than MAX_BLOOM_BITS at any useful rate. */
const MAX_EXPECTED_ITEMS = 100_000_000;

export function readDedupFilter(r: Reader, obj: Obj, path: string, id: string): DedupFilterSpec | null {
  const hasBloom = obj['bloom'] !== undefined;
  const hasExact = obj['exact'] !== undefined;
  if (hasBloom && hasExact) {
    r.issue(path, `operator '${id}': give either 'bloom' (a Bloom filter) or "exact": true (an exact set), not both`);
    return null;
  }
  if (!hasBloom && !hasExact) {
    r.issue(child(path, 'bloom'), `operator '${id}' needs 'bloom': {"expectedItems": n, "falsePositiveRate": p}, or "exact": true for an exact set`);
    return null;
  }
  if (hasExact) {
    if (obj['exact'] === true) return { mode: 'exact' };
    r.issue(child(path, 'exact'), `expected true (an exact set of seen keys; for a Bloom filter give 'bloom' instead), found ${describe(obj['exact'])}`);
    return null;
  }
  const at = child(path, 'bloom');
  const bloom = r.object(obj['bloom'], at, 'a Bloom filter description such as {"expectedItems": 10000, "falsePositiveRate": 0.01}');
  if (bloom === null) return null;
  r.onlyKeys(bloom, at, ['expectedItems', 'falsePositiveRate']);
  const expectedItems = r.int(bloom, 'expectedItems', at, { min: 1, max: MAX_EXPECTED_ITEMS });
  const falsePositiveRate = readRate(r, bloom, at);
  if (expectedItems === null || falsePositiveRate === null) return null;
  const { bits } = bloomSizing(expectedItems, falsePositiveRate);
  if (bits > MAX_BLOOM_BITS) {
    r.issue(at, `a Bloom filter for ${expectedItems} items at a false-positive rate of ${falsePositiveRate} needs ${bits} bits; a simulation allows at most ${MAX_BLOOM_BITS} (32 MiB): expect fewer items or a higher rate`);
    return null;
  }
  return { mode: 'bloom', expectedItems, falsePositiveRate };
}

function readRate(r: Reader, bloom: Obj, path: string): number | null {
  const value = bloom['falsePositiveRate'];
  const at = child(path, 'falsePositiveRate');
  if (value === undefined) {
    r.issue(at, "missing required field 'falsePositiveRate'");
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    r.issue(at, `expected a probability strictly between 0 and 1 (such as 0.01), found ${describe(value)}`);
    return null;
  }
  return value;
}

const EXPECTED_COUNTERS = ['keysSeen', 'dropped', 'falsePositives', 'memoryBytes'] as const;

/** `expect.dedup`: per dedup operator id, the report's counters it must show, e.g. {"seen": {"falsePositives": 3}}. */
export function readDedupExpectations(r: Reader, value: unknown, path: string): Record<string, DedupExpectation> | null {
  const byId = r.object(value, path, 'dedup operators by id, such as {"once": {"falsePositives": 3}}');
  if (byId === null) return null;
  // A null-prototype object: an operator id is data, even `__proto__`.
  const out = Object.create(null) as Record<string, DedupExpectation>;
  for (const id of Object.keys(byId)) {
    const at = child(path, id);
    const obj = r.object(byId[id], at, 'counters such as {"dropped": 120, "falsePositives": 3}');
    if (obj === null) continue;
    r.onlyKeys(obj, at, EXPECTED_COUNTERS);
    if (Object.keys(obj).length === 0) r.issue(at, `expected at least one of ${EXPECTED_COUNTERS.join(', ')}`);
    const count = (k: (typeof EXPECTED_COUNTERS)[number]): number | null => r.int(obj, k, at, { min: 0 }, null);
    out[id] = { keysSeen: count('keysSeen'), dropped: count('dropped'), falsePositives: count('falsePositives'), memoryBytes: count('memoryBytes') };
  }
  return out;
}
