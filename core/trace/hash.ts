/**
 * A stable 64-bit hash for the trace: FNV-1a 64 over UTF-16 code units. It is computed
 * with 16-bit limbs in ordinary integer arithmetic, so it needs neither BigInt nor any
 * engine-specific behaviour, and Node and Chromium print the same 16 hex digits for the
 * same text. It is a fingerprint for comparing runs, not a cryptographic hash.
 */

// FNV-1a 64: offset basis 0xcbf29ce484222325, prime 2^40 + 0x1b3.
const BASIS = [0x2325, 0x8422, 0x9ce4, 0xcbf2] as const;

/**
 * An incremental FNV-1a 64 hash.
 * @example
 * const h = new Fnv64(); h.update('a'); h.hex(); // '089be207b544f1e4'
 */
export class Fnv64 {
  #h0: number = BASIS[0];
  #h1: number = BASIS[1];
  #h2: number = BASIS[2];
  #h3: number = BASIS[3];

  /** Feeds the UTF-16 code units of `text`. */
  update(text: string): void {
    let h0 = this.#h0, h1 = this.#h1, h2 = this.#h2, h3 = this.#h3;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // One 16-bit unit is xored in as two bytes, low then high, as FNV-1a over UTF-16LE.
      // h * (2^40 + 0x1b3): limb i times 0x1b3, plus limbs 0 and 1 shifted up 40 bits.
      h0 ^= c & 0xff;
      let t0 = h0 * 0x1b3;
      let t1 = h1 * 0x1b3 + (t0 >>> 16);
      let t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
      let t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
      h0 = (t0 & 0xffff) ^ (c >>> 8);
      h1 = t1 & 0xffff;
      h2 = t2 & 0xffff;
      h3 = t3 & 0xffff;
      t0 = h0 * 0x1b3;
      t1 = h1 * 0x1b3 + (t0 >>> 16);
      t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
      t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
      h0 = t0 & 0xffff;
      h1 = t1 & 0xffff;
      h2 = t2 & 0xffff;
      h3 = t3 & 0xffff;
    }
    this.#h0 = h0; this.#h1 = h1; this.#h2 = h2; this.#h3 = h3;
  }

  /** The hash so far as 16 lowercase hex digits. */
  hex(): string {
    const p = (n: number) => n.toString(16).padStart(4, '0');
    return p(this.#h3) + p(this.#h2) + p(this.#h1) + p(this.#h0);
  }

  snapshot(): readonly [number, number, number, number] {
    return [this.#h0, this.#h1, this.#h2, this.#h3];
  }

  restore(s: readonly [number, number, number, number]): void {
    [this.#h0, this.#h1, this.#h2, this.#h3] = s;
  }
}

/** The FNV-1a 64 hash of one string, as 16 hex digits. */
export function fnv64Hex(text: string): string {
  const h = new Fnv64();
  h.update(text);
  return h.hex();
}
