/**
 * The dedup operator and its parts: engine-independent sizing of a Bloom filter, the
 * filter itself, and the two ways of remembering keys (docs/dedup.md).
 */
export { DedupOperator } from './dedup-operator.ts';
export { EXACT_SET_ENTRY_OVERHEAD_BYTES, exactSetEntryBytes, type DedupFilterSpec } from './dedup-spec.ts';
export { bloomSizing, bitsPerKeyGroup, hashFunctionsPerKeyGroup, MAX_BLOOM_BITS, type BloomSizing } from './bloom-sizing.ts';
export { BloomFilter, keyHashes, type KeyHashes } from './bloom-filter.ts';
export { LN2, naturalLog } from './natural-log.ts';
export { encodeWords, decodeWords } from './base64.ts';
