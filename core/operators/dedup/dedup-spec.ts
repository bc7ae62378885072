/**
 * What a `dedup` operator is told: how to remember the keys it has seen. A Bloom filter
 * sized for `expectedItems` keys at `falsePositiveRate` (fixed memory, some records
 * wrongly dropped), or an exact set (no mistakes, memory that grows with every new key).
 * The key itself is not here: it is the operator's key selector, since a dedup runs on a
 * stream partitioned by its key.
 */

export type DedupFilterSpec = { readonly mode: 'bloom'; readonly expectedItems: number; readonly falsePositiveRate: number } | { readonly mode: 'exact' };

/**
 * The fixed part of the estimate of an exact set's memory, per key: roughly a hash-table
 * entry (hash, pointers, load-factor slack) plus a string's header, as in a JVM's HashSet
 * or a JavaScript Set. The variable part is the key's canonical JSON in UTF-8.
 */
export const EXACT_SET_ENTRY_OVERHEAD_BYTES = 48;

/** Bytes an exact set spends on one key, by the estimate above. */
export function exactSetEntryBytes(keyText: string): number {
  return utf8Length(keyText) + EXACT_SET_ENTRY_OVERHEAD_BYTES;
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
