/**
 * A Bloom filter: a set that answers "maybe seen" or "certainly not seen" in a fixed
 * number of bits, whatever the keys are. Adding a key sets k bits, at positions
 * h1 + i * h2 (mod m) for i = 0..k-1 (Kirsch and Mitzenmacher's double hashing: two hashes
 * do the work of k). A key whose k bits are all set is reported as seen, which is true for
 * every key added (no false negatives) and, by bad luck, for some that were not: other keys
 * happened to set all of its bits (a false positive).
 *
 * The two hashes are MurmurHash3 of the key's canonical JSON with two fixed seeds: integer
 * operations only (Math.imul), so every engine sets the same bits.
 */
import { murmur3Utf8 } from '../../expr/index.ts';
import { assert } from '../../kernel/index.ts';
import { decodeWords, encodeWords } from './base64.ts';

const SEED_1 = 0x9e3779b9;
const SEED_2 = 0x7f4a7c15;

/** The two 32-bit hashes a key's probes are made from. */
export interface KeyHashes {
  readonly h1: number;
  readonly h2: number;
}

/**
 * The hashes of a key, from its canonical JSON text.
 * @example keyHashes('"k1"') // { h1: ..., h2: ... }, the same numbers in every engine
 */
export function keyHashes(keyText: string): KeyHashes {
  return { h1: murmur3Utf8(keyText, SEED_1), h2: murmur3Utf8(keyText, SEED_2) };
}

export class BloomFilter {
  readonly words: Uint32Array;

  constructor(
    readonly bits: number,
    readonly hashFunctions: number,
    words?: Uint32Array,
  ) {
    assert(Number.isSafeInteger(bits) && bits >= 1, () => `a Bloom filter needs at least one bit, found ${bits}`);
    assert(Number.isSafeInteger(hashFunctions) && hashFunctions >= 1, () => `a Bloom filter needs at least one hash function, found ${hashFunctions}`);
    const wordCount = Math.ceil(bits / 32);
    assert(words === undefined || words.length === wordCount, () => `a filter of ${bits} bits has ${wordCount} words, found ${words!.length}`);
    this.words = words ?? new Uint32Array(wordCount);
  }

  /** Whether all of the key's bits are set: true for every key added, and for false positives. */
  mightContain(hashes: KeyHashes): boolean {
    const { h1, h2 } = hashes;
    for (let i = 0; i < this.hashFunctions; i++) {
      // h1 + i * h2 < 2^32 + k * 2^32: exact in a double for any k this file will meet.
      const bit = (h1 + i * h2) % this.bits;
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  /** Sets the key's bits; returns whether they were all set already (what `mightContain` would have said). */
  add(hashes: KeyHashes): boolean {
    const { h1, h2 } = hashes;
    let wasSet = true;
    for (let i = 0; i < this.hashFunctions; i++) {
      const bit = (h1 + i * h2) % this.bits;
      const mask = 1 << (bit & 31);
      const word = bit >>> 5;
      if ((this.words[word]! & mask) === 0) {
        wasSet = false;
        this.words[word]! |= mask;
      }
    }
    return wasSet;
  }

  /** Bits set, for tests and views (the fill ratio is what drives the false-positive rate). */
  bitsSet(): number {
    let n = 0;
    for (let w of this.words) {
      while (w !== 0) {
        w &= w - 1;
        n++;
      }
    }
    return n;
  }

  /** The filter's words as base64 (see base64.ts). */
  encode(): string {
    return encodeWords(this.words);
  }

  static decode(text: string, bits: number, hashFunctions: number): BloomFilter {
    return new BloomFilter(bits, hashFunctions, decodeWords(text, Math.ceil(bits / 32)));
  }
}
