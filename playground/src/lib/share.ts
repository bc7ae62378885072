/**
 * Shared scenarios in the address (CONTRACT.md section 4): `#s=DATA`, where DATA is the
 * scenario's UTF-8 JSON compressed with raw DEFLATE (RFC 1951) and written in base64url
 * without padding. The fragment never reaches a server, so a shared scenario stays between
 * the people who pass the link around.
 *
 * The codec is fflate's, not the browser's CompressionStream('deflate-raw'): it is
 * synchronous (the page writes the address the moment the scenario changes, with no
 * promise in between), it gives the same bytes in Node and in every browser (a link made by
 * a test or a script is the link the page makes), and it lets decoding stop as soon as the
 * output passes a cap, so a small link that inflates to gigabytes (a zip bomb) costs
 * nothing. Everything a link holds is hostile until proven otherwise: each way it can be
 * wrong (not base64url, not DEFLATE, too big, not UTF-8) is a sentence naming the problem.
 */
import { deflateSync, Inflate } from 'fflate';

/** The most bytes a shared scenario may inflate to: 5 MiB, far above any lesson, far below trouble. */
export const SHARE_MAX_BYTES = 5 * 1024 * 1024;
/** The longest DATA read (characters); browsers cap addresses at about 2 MB anyway. */
export const SHARE_MAX_CHARS = 4 * 1024 * 1024;
/** Input fed to the inflater at a time: DEFLATE expands at most ~1032x, so one push passes the cap by 4 MB at most. */
const INFLATE_CHUNK = 4096;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE_OF = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE_OF[ALPHABET.charCodeAt(i)] = i;

export type Decoded<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * base64url (RFC 4648 section 5) without padding.
 * @example toBase64Url(new Uint8Array([0xfb, 0xff])) // '-_8'
 */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!;
  }
  return out;
}

/**
 * Reads base64url; padding (`=`) at the end is tolerated, anything else outside the
 * alphabet is refused with its place.
 * @example fromBase64Url('-_8') // { ok: true, value: Uint8Array [251, 255] }
 */
export function fromBase64Url(text: string): Decoded<Uint8Array> {
  let end = text.length;
  while (end > 0 && end > text.length - 2 && text.charCodeAt(end - 1) === 0x3d) end--;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || VALUE_OF[c]! < 0) {
      const shown = c === 0x2b || c === 0x2f ? ` (“${text[i]}” is plain base64's; base64url writes - and _)` : '';
      return { ok: false, problem: `not base64url: character ${i + 1} is “${describeChar(text, i)}”${shown}` };
    }
  }
  if (end % 4 === 1) return { ok: false, problem: `not base64url: ${end} characters cannot be whole bytes (one is missing or extra)` };
  const bytes = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 3 < end; i += 4) {
    const n = (VALUE_OF[text.charCodeAt(i)]! << 18) | (VALUE_OF[text.charCodeAt(i + 1)]! << 12) | (VALUE_OF[text.charCodeAt(i + 2)]! << 6) | VALUE_OF[text.charCodeAt(i + 3)]!;
    bytes[o++] = n >>> 16;
    bytes[o++] = (n >>> 8) & 255;
    bytes[o++] = n & 255;
  }
  const rest = end - i;
  if (rest >= 2) {
    const n = (VALUE_OF[text.charCodeAt(i)]! << 18) | (VALUE_OF[text.charCodeAt(i + 1)]! << 12) | (rest === 3 ? VALUE_OF[text.charCodeAt(i + 2)]! << 6 : 0);
    bytes[o++] = n >>> 16;
    if (rest === 3) bytes[o++] = (n >>> 8) & 255;
  }
  return { ok: true, value: bytes };
}

function describeChar(text: string, i: number): string {
  const c = text.charCodeAt(i);
  if (c < 0x20 || c === 0x7f) return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return String.fromCodePoint(text.codePointAt(i) ?? c);
}

/**
 * Inflates raw DEFLATE, stopping with a problem as soon as the output passes `maxBytes`.
 * @example inflateCapped(deflateSync(new Uint8Array(10)), 5) // { ok: false, problem: '… larger than 5 bytes …' }
 */
export function inflateCapped(bytes: Uint8Array, maxBytes: number = SHARE_MAX_BYTES): Decoded<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total <= maxBytes) chunks.push(chunk);
  });
  try {
    for (let at = 0; ; at += INFLATE_CHUNK) {
      const last = at + INFLATE_CHUNK >= bytes.length;
      inflater.push(bytes.subarray(at, Math.min(bytes.length, at + INFLATE_CHUNK)), last);
      if (total > maxBytes) {
        return { ok: false, problem: `the scenario is larger than ${sizeText(maxBytes)} once decompressed (a link that inflates so much is not a lesson; Weir reads at most ${sizeText(maxBytes)})` };
      }
      if (last) break;
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, problem: `not raw DEFLATE data (RFC 1951): ${detail === 'unexpected EOF' ? 'it ends before its last block (cut short?)' : detail}` };
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const chunk of chunks) {
    out.set(chunk, o);
    o += chunk.length;
  }
  return { ok: true, value: out };
}

function sizeText(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MB` : `${bytes} bytes`;
}

/**
 * Reads bytes as UTF-8, refusing malformed sequences (a replacement character would change
 * the scenario silently) with the offset of the first bad byte. A leading byte-order mark
 * is dropped, as editors write one.
 */
export function decodeUtf8(bytes: Uint8Array): Decoded<string> {
  try {
    return { ok: true, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: `not UTF-8 text: byte ${firstBadUtf8(bytes) + 1} (from 1) does not continue a character` };
  }
}

/** The offset of the first byte that breaks UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF). */
function firstBadUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    const second = bytes[i + 1];
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second === undefined || second < lo || second > hi) return second === undefined ? i : i + 1;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined) return i;
      if (next < 0x80 || next > 0xbf) return i + k;
    }
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}

/**
 * DATA for a scenario: its JSON (compact: the link is for machines), UTF-8, raw DEFLATE,
 * base64url without padding.
 * @example encodeShare({ format: 'weir/scenario@1', name: 'x' }) // 'q1ZKyy_KTSxRslIqT80s0i9OTs1LLMrMdzBU0lHKS8xNBUpUKNUCAA'
 */
export function encodeShare(scenario: unknown): string {
  return encodeShareText(JSON.stringify(scenario));
}

/** DATA for a scenario's JSON text as it is. */
export function encodeShareText(text: string): string {
  return toBase64Url(deflateSync(new TextEncoder().encode(text), { level: 9 }));
}

/**
 * The JSON text a DATA holds, or the first problem met on the way: too long, not base64url,
 * not raw DEFLATE, larger than `maxBytes` decompressed, not UTF-8. It is text, not yet JSON
 * and not yet a scenario: `readScenarioText` takes it from there.
 */
export function decodeShare(data: string, maxBytes: number = SHARE_MAX_BYTES): Decoded<string> {
  if (data.length === 0) return { ok: false, problem: 'the link holds no data after “#s=”' };
  if (data.length > SHARE_MAX_CHARS) return { ok: false, problem: `the link's data is ${data.length} characters long; Weir reads at most ${SHARE_MAX_CHARS}` };
  const bytes = fromBase64Url(data);
  if (!bytes.ok) return bytes;
  const inflated = inflateCapped(bytes.value, maxBytes);
  if (!inflated.ok) return inflated;
  return decodeUtf8(inflated.value);
}

/**
 * DATA from an address's fragment (`#s=DATA`), or null when the fragment shares nothing.
 * A browser may hand the fragment over percent-encoded; base64url needs no escaping, so
 * escapes are undone only when they decode.
 * @example sharedData('#s=q1ZK') // 'q1ZK'
 */
export function sharedData(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!fragment.startsWith('s=')) return null;
  const data = fragment.slice(2);
  try {
    return decodeURIComponent(data);
  } catch {
    return data;
  }
}

/** The longest DATA the page writes into its own address as it goes (a Share link may be longer). */
export const SHARE_ADDRESS_MAX_CHARS = 256 * 1024;

export interface SharedTarget {
  /** DATA, or null for an address that holds no scenario (one too big to keep there). */
  data: string | null;
  seed: number;
  runToEnd: boolean;
}

/**
 * The address of a shared scenario: `?seed=N[&run=end]#s=DATA`, keeping the path and the
 * parameters the playground does not own. `scenario=` goes: `#s=` stands in its place.
 * @example sharedAddress({ pathname: '/', search: '?scenario=a&x=1', hash: '' }, { data: 'q1ZK', seed: 3, runToEnd: true })
 * // '/?x=1&seed=3&run=end#s=q1ZK'
 */
export function sharedAddress(current: { pathname: string; search: string }, target: SharedTarget): string {
  const params = new URLSearchParams(current.search);
  params.delete('scenario');
  params.delete('seed');
  params.delete('run');
  params.set('seed', String(target.seed));
  if (target.runToEnd) params.set('run', 'end');
  return `${current.pathname}?${params.toString()}${target.data === null ? '' : `#s=${target.data}`}`;
}

/** `hash` without a shared scenario in it (the page moved to a shipped one). */
export function withoutShared(hash: string): string {
  return sharedData(hash) === null ? hash : '';
}
