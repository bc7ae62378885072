/**
 * A Bloom filter's bits in a checkpoint: 32-bit words as little-endian bytes in base64,
 * which is a third the size of a JSON list of numbers and plain text like the rest of a
 * snapshot. Written here with integer operations rather than with `btoa` / `Buffer`, which
 * are host objects that core does not use.
 */
import { assert } from '../../kernel/index.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const INDEX = new Map<string, number>([...ALPHABET].map((c, i) => [c, i] as const));

function byteAt(words: Uint32Array, i: number): number {
  return (words[i >>> 2]! >>> ((i & 3) << 3)) & 0xff;
}

/**
 * The words as base64 (with `=` padding).
 * @example encodeWords(Uint32Array.of(1)) // 'AQAAAA=='
 */
export function encodeWords(words: Uint32Array): string {
  const n = words.length * 4;
  let out = '';
  for (let i = 0; i < n; i += 3) {
    const b0 = byteAt(words, i);
    const b1 = i + 1 < n ? byteAt(words, i + 1) : 0;
    const b2 = i + 2 < n ? byteAt(words, i + 2) : 0;
    out += ALPHABET[b0 >>> 2]! + ALPHABET[((b0 & 3) << 4) | (b1 >>> 4)]!;
    out += i + 1 < n ? ALPHABET[((b1 & 15) << 2) | (b2 >>> 6)]! : '=';
    out += i + 2 < n ? ALPHABET[b2 & 63]! : '=';
  }
  return out;
}

/** The inverse of `encodeWords`, for a filter of `wordCount` words. */
export function decodeWords(text: string, wordCount: number): Uint32Array {
  const words = new Uint32Array(wordCount);
  const n = wordCount * 4;
  assert(text.length === Math.ceil(n / 3) * 4, () => `a filter of ${wordCount} words is ${Math.ceil(n / 3) * 4} base64 characters, found ${text.length}`);
  let byte = 0;
  const put = (b: number): void => {
    if (byte < n) words[byte >>> 2]! |= b << ((byte & 3) << 3);
    byte++;
  };
  for (let i = 0; i < text.length; i += 4) {
    const c = [0, 1, 2, 3].map((j) => (text[i + j] === '=' ? 0 : INDEX.get(text[i + j]!)));
    assert(c.every((x) => x !== undefined), () => `not base64 at character ${i}`);
    const [c0, c1, c2, c3] = c as [number, number, number, number];
    put((c0 << 2) | (c1 >>> 4));
    put(((c1 & 15) << 4) | (c2 >>> 2));
    put(((c2 & 3) << 6) | c3);
  }
  return words;
}
