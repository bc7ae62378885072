/**
 * What JSON.parse forgets about a scenario's text. It keeps the last of two equal keys in an
 * object, so a teacher's second `"name"` silently replaces the first; and it rounds every
 * number to a double, so `9007199254740993` (2^53 + 1) quietly becomes 9007199254740992, a
 * seed or a record value other than the one written; and a number beyond the largest double
 * becomes Infinity, which no JSON value can be. This scanner walks text that JSON.parse
 * has accepted, with an explicit stack of the open lists and objects (so any depth is safe),
 * and reports both with their JSON paths.
 */
import { child } from './reader.ts';
import type { ValidationIssue } from './types.ts';

/** More findings than this are summarised: a generated file can repeat one mistake a million times. */
const MAX_FINDINGS = 20;

interface Open {
  /** The path of this list or object. */
  readonly path: string;
  /** An object's keys so far; null for a list. */
  readonly keys: Set<string> | null;
  /** A list's next index, or the key whose value comes next in an object. */
  index: number;
  key: string | null;
}

/**
 * Duplicate keys and integers that JSON numbers cannot hold exactly, in `text` (valid JSON).
 * @example scanJsonText('{"a":1,"a":2}', 'f.json') // [{ path: '$.a', message: 'duplicate key ...' }]
 */
export function scanJsonText(text: string, file: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  let findings = 0;
  const report = (path: string, message: string): void => {
    findings += 1;
    if (findings <= MAX_FINDINGS) issues.push({ file, path, message });
  };
  const open: Open[] = [];
  /** The path of the value that starts here. */
  const valuePath = (): string => {
    const top = open[open.length - 1];
    if (top === undefined) return '$';
    return top.keys === null ? child(top.path, top.index) : child(top.path, top.key ?? '');
  };
  let expectKey = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      open.push({ path: valuePath(), keys: c === 0x7b ? new Set() : null, index: 0, key: null });
      expectKey = c === 0x7b;
      i += 1;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      open.pop();
      expectKey = false;
      i += 1;
    } else if (c === 0x2c /* , */) {
      const top = open[open.length - 1]!;
      if (top.keys === null) top.index += 1;
      else expectKey = true;
      i += 1;
    } else if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (expectKey) {
        const top = open[open.length - 1]!;
        const key = JSON.parse(text.slice(i, end)) as string;
        if (top.keys!.has(key)) report(child(top.path, key), `duplicate key ${JSON.stringify(key)}: JSON.parse would keep only the last one; write each key once`);
        top.keys!.add(key);
        top.key = key;
        expectKey = false;
      }
      i = end;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text[end]!)) end += 1;
      const literal = text.slice(i, end);
      const lost = lostPrecision(literal);
      if (lost !== null) report(valuePath(), lost);
      i = end;
    } else {
      i += 1;
    }
  }
  if (findings > MAX_FINDINGS) issues.push({ file, path: '$', message: `${findings - MAX_FINDINGS} more duplicate keys or inexact integers not listed` });
  return issues;
}

/** The index just past the string literal that starts at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

/**
 * Why a number literal does not survive JSON.parse, or null when it does: one beyond the
 * largest double (JSON.parse makes it ±Infinity, which no JSON value can be), or an integer
 * (in digits, or in exponent form such as 9.007199254740993e15) that a double cannot hold.
 */
function lostPrecision(literal: string): string | null {
  const n = Number(literal);
  if (!Number.isFinite(n)) return `the number ${literal} is beyond the largest number JSON can carry here (about ±1.8e308): it would read as ${n > 0 ? 'Infinity' : '-Infinity'}`;
  if (!/^-?\d+$/.test(literal)) {
    // Exponent form of a whole number past 2^53: its digits, without the exponent, say what was meant.
    const m = /^(-?)(\d+)(?:\.(\d+))?[eE]\+?(\d+)$/.exec(literal);
    // Up to 1e21, where a whole number still reads as digits; past it no one writes one for its last digit.
    if (m === null || Number.isSafeInteger(n) || Math.abs(n) < Number.MAX_SAFE_INTEGER || Math.abs(n) >= 1e21) return null;
    const fraction = m[3] ?? '';
    const exponent = Number(m[4]);
    if (fraction.length > exponent) return null;
    const digits = `${m[1]}${m[2]}${fraction}${'0'.repeat(exponent - fraction.length)}`;
    if (BigInt(digits) === BigInt(n)) return null;
    return `the integer ${literal} (${digits}) cannot be held exactly: JSON numbers are doubles, exact for whole numbers only up to ${Number.MAX_SAFE_INTEGER} (2^53 - 1) in size, so it would read as ${String(n)}`;
  }
  if (Number.isSafeInteger(n)) return null;
  if (BigInt(literal) === BigInt(n)) return null;
  return `the integer ${literal} cannot be held exactly: JSON numbers are doubles, exact for whole numbers only up to ${Number.MAX_SAFE_INTEGER} (2^53 - 1) in size, so it would read as ${String(n)}`;
}
