/**
 * A small cursor over untrusted JSON that records every problem with its JSON path
 * instead of stopping at the first. Validation reads a whole scenario and reports all of
 * its mistakes at once, each as `file: $.path: what is wrong`.
 */
import type { ValidationIssue } from './types.ts';

export type Obj = Record<string, unknown>;

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** `$.a.b` or `$.a["odd key"]`, as a reader of the file would type it. */
export function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export class Reader {
  readonly issues: ValidationIssue[] = [];
  constructor(readonly file: string) {}

  issue(path: string, message: string): void {
    this.issues.push({ file: this.file, path, message });
  }

  object(value: unknown, path: string, what = 'an object'): Obj | null {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Obj;
    if (value === undefined) {
      const field = /\.([A-Za-z_$][\w$]*)$/.exec(path)?.[1];
      this.issue(path, field === undefined ? `expected ${what}, found nothing` : `missing required field '${field}' (${what})`);
      return null;
    }
    this.issue(path, `expected ${what}, found ${describe(value)}`);
    return null;
  }

  list(value: unknown, path: string): unknown[] | null {
    if (Array.isArray(value)) return value;
    this.issue(path, `expected a list, found ${describe(value)}`);
    return null;
  }

  /** Flags keys that are not in `allowed`: a typo must not be silently ignored. */
  onlyKeys(obj: Obj, path: string, allowed: readonly string[], unsupported: readonly string[] = []): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      if (unsupported.includes(key)) {
        this.issue(child(path, key), `'${key}' is part of the scenario format but not supported by this version of Weir yet`);
      } else {
        this.issue(child(path, key), `unknown field '${key}' (expected one of: ${allowed.join(', ')})`);
      }
    }
  }

  string(obj: Obj, key: string, path: string, fallback?: string): string | null {
    const value = obj[key];
    if (value === undefined) {
      if (fallback !== undefined) return fallback;
      this.issue(child(path, key), `missing required field '${key}'`);
      return null;
    }
    if (typeof value === 'string' && value.length > 0) return value;
    this.issue(child(path, key), `expected a non-empty string, found ${describe(value)}`);
    return null;
  }

  /** An integer in [min, max]; `fallback` when absent (undefined: required). */
  int(obj: Obj, key: string, path: string, range: { min?: number; max?: number }, fallback?: number | null): number | null {
    const value = obj[key];
    if (value === undefined) {
      if (fallback !== undefined) return fallback;
      this.issue(child(path, key), `missing required field '${key}'`);
      return null;
    }
    return this.intValue(value, child(path, key), range);
  }

  intValue(value: unknown, path: string, range: { min?: number; max?: number }): number | null {
    const min = range.min ?? Number.MIN_SAFE_INTEGER;
    const max = range.max ?? Number.MAX_SAFE_INTEGER;
    const between = `between ${min} and ${max}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.issue(path, `expected a whole number ${between}, found ${describe(value)}`);
      return null;
    }
    // Beyond 2^53 - 1 a double no longer holds every whole number: that is out of range too,
    // and the message gives the whole range when the field itself bounds only the other side.
    if (value < min || value > max) {
      const bounds = range.max === undefined && value < min ? `at least ${min}` : range.min === undefined && value > max ? `at most ${max}` : between;
      this.issue(path, `must be ${bounds}, found ${value}`);
      return null;
    }
    return value;
  }
}
