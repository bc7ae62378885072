/**
 * tidy: the style rules that a compiler and a linter cannot easily say, checked by reading
 * the source files (after TigerBeetle's `tidy.zig`). It checks:
 *
 * - the layer order inside core/ (CORE_LAYERS below): a file imports its own layer and the
 *   layers below it, never above; a folder that is not in the list fails, so a new layer is
 *   placed deliberately;
 * - the entry points: cli/, bench/, playground/ reach core only through core/index.ts
 *   (bench also core/testing.ts), and nothing but tests imports playground/;
 * - no import cycles in core/, cli/, bench/, playground/ (`import type` counts);
 * - banned globals in core/, a second line of defence beside eslint.config.js, by a
 *   different method (a small lexer and regular expressions, no AST), so a hole in one is
 *   not a hole in both;
 * - every core file opens with a comment paragraph: the concept it models, the teaching text.
 *
 * Each checker is a pure function from source files to `file:line: message` strings, and
 * the self-test at the bottom feeds each one a bad input to show that it fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// THE LAYER ORDER OF core/, top to bottom. This array is the single place to change it.
// A file may import its own layer and the layers below it. Names ending in '/' are folders
// of core/; the others are files at core/'s root. Moving a layer is a design change: update
// docs and DESIGN.md, and say why in the commit.
const CORE_LAYERS: readonly (readonly string[])[] = [
  ['index.ts', 'testing.ts'],
  ['campaign/'],
  ['simulation.ts', 'report.ts', 'expectations.ts', 'actions.ts'],
  ['faults/'],
  ['runtime/'],
  ['checkpoint/'],
  ['recovery/'],
  ['api/'],
  ['graph/'],
  ['connectors/'],
  ['operators/'],
  ['world/'],
  ['state/'],
  ['check/'],
  ['expr/'],
  ['trace/'],
  ['model/'],
  ['kernel/'],
];

/** Packages core/ may import (the same list as eslint.config.js). */
const CORE_PACKAGES = ['rxjs', 'immer'];
/** fast-check is for property runs: the test-only entry and the fault campaigns of `weir check` (the same list as eslint.config.js). */
const PROPERTY_PACKAGES = ['fast-check'];
const usesProperties = (p: string): boolean => p === 'core/testing.ts' || p.startsWith('core/campaign/');
/** Folders scanned for cycles and entry points. test/ may import anything and is not scanned. */
const SCANNED = ['core', 'cli', 'bench', 'playground', 'scripts'];
const SOURCE_FILE = /\.(?:ts|mts|cts|js|mjs|cjs|svelte)$/;

// ---------------------------------------------------------------------------------------
// Source files and their imports.

export interface SourceFile {
  /** Repository-relative, '/'-separated. */
  readonly path: string;
  readonly text: string;
}

interface Lexed {
  /** The text with comments and the insides of string, template and regex literals blanked (newlines kept). */
  readonly code: string;
  /** The value of each string literal, by the offset of its opening quote. */
  readonly strings: ReadonlyMap<number, string>;
}

interface Import {
  readonly spec: string;
  readonly line: number;
}

const REGEX_AFTER_CHAR = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));
const REGEX_AFTER_WORD = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

/** For .svelte files: only the `<script>` blocks are code; the markup is blanked. */
function scriptsOnly(text: string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(/(<script\b[^>]*>)([\s\S]*?)(<\/script\s*>)/g)) {
    const open = m.index + m[1]!.length;
    out += blank(text.slice(last, open)) + m[2]!;
    last = open + m[2]!.length;
  }
  return out + blank(text.slice(last));
}

/**
 * A small JavaScript/TypeScript lexer, just enough to tell code from comments, strings,
 * templates and regular expressions. Offsets and line breaks are preserved.
 */
export function lex(source: string): Lexed {
  const strings = new Map<number, string>();
  const out: string[] = [];
  const braces: ('code' | 'template')[] = [];
  let prevChar = '';
  let prevWord = '';
  let i = 0;
  const n = source.length;

  const emitCode = (text: string) => {
    out.push(text);
    const t = text.trim();
    if (t) {
      prevChar = t[t.length - 1]!;
      const word = /[\w$]+$/.exec(t);
      prevWord = word ? word[0] : '';
    }
  };

  // Template text from i (just after '`' or '}') to the closing '`' or to '${'.
  const templateText = () => {
    const start = i;
    while (i < n && source[i] !== '`' && !(source[i] === '$' && source[i + 1] === '{')) {
      i += source[i] === '\\' ? 2 : 1;
    }
    out.push(blank(source.slice(start, Math.min(i, n))));
    if (i >= n) return;
    if (source[i] === '`') {
      out.push('`');
      i += 1;
      prevChar = '`';
      prevWord = '';
    } else {
      out.push('${');
      i += 2;
      braces.push('template');
      prevChar = '{';
      prevWord = '';
    }
  };

  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out.push(blank(source.slice(i, stop)));
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      out.push(blank(source.slice(i, stop)));
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      strings.set(i, source.slice(i + 1, j));
      out.push(c + blank(source.slice(i + 1, j)) + (j < n && source[j] === c ? c : ''));
      i = j < n && source[j] === c ? j + 1 : j;
      prevChar = c;
      prevWord = '';
    } else if (c === '`') {
      out.push('`');
      i += 1;
      templateText();
    } else if (c === '/' && (prevChar === '' || REGEX_AFTER_CHAR.has(prevChar) || REGEX_AFTER_WORD.has(prevWord))) {
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== '\n') {
        const d = source[j];
        if (d === '\\') j += 1;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j += 1;
      }
      j += 1;
      while (j < n && /[a-z]/i.test(source[j]!)) j += 1;
      out.push('/' + blank(source.slice(i + 1, j - 1)) + '/');
      i = j;
      prevChar = '/';
      prevWord = '';
    } else if (c === '{') {
      braces.push('code');
      emitCode(c);
      i += 1;
    } else if (c === '}') {
      if (braces.pop() === 'template') {
        out.push('}');
        i += 1;
        templateText();
      } else {
        emitCode(c);
        i += 1;
      }
    } else {
      let j = i + 1;
      while (j < n && !'/"\'`{}'.includes(source[j]!)) j += 1;
      emitCode(source.slice(i, j));
      i = j;
    }
  }
  return { code: out.join(''), strings };
}

const lexCache = new WeakMap<SourceFile, Lexed>();
function lexFile(file: SourceFile): Lexed {
  let lexed = lexCache.get(file);
  if (!lexed) {
    lexed = lex(file.path.endsWith('.svelte') ? scriptsOnly(file.text) : file.text);
    lexCache.set(file, lexed);
  }
  return lexed;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) line += 1;
  return line;
}

// Each ends at the opening quote of the specifier; group 1 is the keyword.
const IMPORT_PATTERNS = [
  // import x from '…', import type { X } from '…', export { a } from '…', export * as n from '…'
  /(?<![\w$.])(import|export)\s+(?:type\s+)?[\w$\s{},*]*?\bfrom\s*['"]/g,
  // import '…' (for its effects)
  /(?<![\w$.])(import)\s*['"]/g,
  // import('…') and the type import('…').T
  /(?<![\w$.])(import)\s*\(\s*['"]/g,
  // require('…'), import x = require('…')
  /(?<![\w$.])(require)\s*\(\s*['"]/g,
];

/** Every import, `import type`, `export … from`, `import()` and `require()` of a file. */
export function importsOf(file: SourceFile): Import[] {
  const { code, strings } = lexFile(file);
  const found: Import[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const m of code.matchAll(pattern)) {
      const quote = m.index + m[0].length - 1;
      const spec = strings.get(quote);
      if (spec === undefined) continue;
      found.push({ spec, line: lineAt(code, m.index + m[0].indexOf(m[1]!)) });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

function isRelative(spec: string): boolean {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
}

/** The repository path a relative specifier names, completed to a known file where it can be. */
function resolve(from: string, spec: string, known: ReadonlySet<string>): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  if (known.has(target)) return target;
  for (const candidate of [`${target}.ts`, `${target}/index.ts`]) if (known.has(candidate)) return candidate;
  return target;
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]!]));
function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(packageName(spec));
}

// ---------------------------------------------------------------------------------------
// The checkers.

/** The index in CORE_LAYERS of a core file, or undefined when its layer is not listed. */
function layerOf(corePath: string): { rank: number | undefined; name: string } {
  const rest = corePath.slice('core/'.length);
  const name = rest.includes('/') ? rest.slice(0, rest.indexOf('/') + 1) : rest;
  const rank = CORE_LAYERS.findIndex((layer) => layer.includes(name));
  return { rank: rank < 0 ? undefined : rank, name };
}

function isCoreSource(file: SourceFile): boolean {
  return file.path.startsWith('core/') && /\.(?:ts|mts|cts)$/.test(file.path);
}

/** Layers inside core point downward; core imports only core and its allowed packages. */
export function checkLayers(files: readonly SourceFile[]): string[] {
  const known = new Set(files.map((f) => f.path));
  const problems: string[] = [];
  const unplaced = new Set<string>();
  for (const file of files.filter(isCoreSource)) {
    const from = layerOf(file.path);
    if (from.rank === undefined && !unplaced.has(from.name)) {
      unplaced.add(from.name);
      problems.push(
        `${file.path}:1: core/${from.name} is not a layer: place it in CORE_LAYERS at the top of test/tidy.test.ts (and in the design notes)`,
      );
    }
    for (const { spec, line } of importsOf(file)) {
      const at = `${file.path}:${line}`;
      if (!isRelative(spec)) {
        const allowed = usesProperties(file.path) ? [...CORE_PACKAGES, ...PROPERTY_PACKAGES] : CORE_PACKAGES;
        if (isNodeBuiltin(spec)) problems.push(`${at}: imports Node's '${spec}': core is host-free`);
        else if (!allowed.includes(packageName(spec))) {
          problems.push(`${at}: imports '${spec}': core imports only ${allowed.join(', ')} (CORE_PACKAGES)`);
        }
        continue;
      }
      const target = resolve(file.path, spec, known);
      if (!target.startsWith('core/')) {
        problems.push(`${at}: imports ${target}, outside core/: core imports only core`);
        continue;
      }
      if (target === 'core/testing.ts' && file.path !== 'core/testing.ts') {
        problems.push(`${at}: imports core/testing.ts: only tests and bench use the test-only entry`);
        continue;
      }
      const to = layerOf(target);
      if (from.rank !== undefined && to.rank !== undefined && to.rank < from.rank) {
        problems.push(`${at}: ${from.name} imports ${to.name} (${target}), a layer above it; layers point downward`);
      }
    }
  }
  return problems;
}

/** cli/, bench/, playground/ (and scripts/) use core's entry points; nothing imports playground/. */
export function checkEntryPoints(files: readonly SourceFile[]): string[] {
  const known = new Set(files.map((f) => f.path));
  const problems: string[] = [];
  for (const file of files) {
    const area = file.path.split('/')[0]!;
    if (area === 'core' || area === 'test') continue;
    const entries = area === 'bench' ? ['core/index.ts', 'core/testing.ts'] : ['core/index.ts'];
    for (const { spec, line } of importsOf(file)) {
      if (!isRelative(spec)) continue;
      const target = resolve(file.path, spec, known);
      if (target.startsWith('core/') && !entries.includes(target)) {
        problems.push(`${file.path}:${line}: imports ${target}: ${area}/ reaches core only through ${entries.join(' or ')}`);
      }
      if (target.startsWith('playground/') && area !== 'playground') {
        problems.push(`${file.path}:${line}: imports ${target}: nothing imports playground/`);
      }
    }
  }
  return problems;
}

/** No import cycles; each is reported once as a path with the line of each import. */
export function checkCycles(files: readonly SourceFile[]): string[] {
  const known = new Set(files.map((f) => f.path));
  const edges = new Map<string, { to: string; line: number }[]>();
  for (const file of files) {
    const out = importsOf(file)
      .filter(({ spec }) => isRelative(spec))
      .map(({ spec, line }) => ({ to: resolve(file.path, spec, known), line }))
      .filter(({ to }) => known.has(to) && to !== file.path);
    edges.set(file.path, out);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const stack: { node: string; line: number }[] = [];
  const onStack = new Map<string, number>();

  const visit = (node: string) => {
    onStack.set(node, stack.length);
    for (const { to, line } of edges.get(node) ?? []) {
      stack.push({ node, line });
      const start = onStack.get(to);
      if (start !== undefined) {
        const loop = stack.slice(start);
        const key = [...loop.map((s) => s.node)].sort().join(' ');
        if (!seen.has(key)) {
          seen.add(key);
          problems.push(`import cycle: ${loop.map((s) => `${s.node}:${s.line}`).join(' -> ')} -> ${to}`);
        }
      } else if (!done.has(to)) {
        visit(to);
      }
      stack.pop();
    }
    onStack.delete(node);
    done.add(node);
  };
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!done.has(file.path)) visit(file.path);
  }
  return problems;
}

interface Ban {
  readonly name: string;
  readonly pattern: RegExp;
  readonly why: string;
  /** Skip files that declare this name themselves (lint, which knows scopes, still checks). */
  readonly bindable?: boolean;
  /** A call that is really a method or function definition is not a use. */
  readonly callable?: boolean;
}

const CLOCK = "use the kernel's clock";
const RANDOM = "use the kernel's seeded random streams";
const SCHEDULER = "use the kernel's scheduler";
const HOST = 'core is host-free: effects belong to cli/ or playground/';
const FLOAT = 'engine-dependent floating point: use integer arithmetic';
const FLOAT_FUNCTIONS =
  'sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|exp|expm1|log|log1p|log2|log10|pow|cbrt|hypot';

const any = (name: string) => new RegExp(`(?<![\\w$.])${name}(?![\\w$])`, 'g');
const object = (name: string) => new RegExp(`(?<![\\w$.])${name}\\s*(?:\\?\\.|\\.|\\[)`, 'g');
const call = (name: string) => new RegExp(`(?<![\\w$.])${name}\\s*\\(`, 'g');

const BANS: readonly Ban[] = [
  { name: 'Date', pattern: any('Date'), why: CLOCK },
  { name: 'Math.random', pattern: /(?<![\w$.])Math\s*\.\s*random\b/g, why: RANDOM },
  { name: 'Math.<float>', pattern: new RegExp(`(?<![\\w$.])Math\\s*\\.\\s*(?:${FLOAT_FUNCTIONS})\\b`, 'g'), why: FLOAT },
  { name: 'Math (aliased)', pattern: /(?<![\w$.])Math\b(?!\s*\.)/g, why: 'use Math.<fn> directly so the bans can see it' },
  { name: '**', pattern: /\*\*/g, why: FLOAT },
  { name: 'performance', pattern: object('performance'), why: CLOCK, bindable: true },
  { name: 'setTimeout', pattern: call('setTimeout'), why: SCHEDULER, bindable: true, callable: true },
  { name: 'setInterval', pattern: call('setInterval'), why: SCHEDULER, bindable: true, callable: true },
  { name: 'setImmediate', pattern: call('setImmediate'), why: SCHEDULER, bindable: true, callable: true },
  { name: 'queueMicrotask', pattern: call('queueMicrotask'), why: SCHEDULER, bindable: true, callable: true },
  { name: 'requestAnimationFrame', pattern: call('requestAnimationFrame'), why: SCHEDULER, bindable: true, callable: true },
  { name: 'crypto', pattern: object('crypto'), why: RANDOM, bindable: true },
  { name: 'process', pattern: object('process'), why: HOST, bindable: true },
  { name: 'window', pattern: object('window'), why: HOST, bindable: true },
  { name: 'document', pattern: object('document'), why: HOST, bindable: true },
  { name: 'navigator', pattern: object('navigator'), why: HOST, bindable: true },
  { name: 'console', pattern: object('console'), why: `${HOST}; emit a trace event`, bindable: true },
  { name: 'localStorage', pattern: object('localStorage'), why: HOST, bindable: true },
  { name: 'indexedDB', pattern: object('indexedDB'), why: HOST, bindable: true },
  { name: 'fetch', pattern: call('fetch'), why: HOST, bindable: true, callable: true },
  { name: 'Intl', pattern: object('Intl'), why: 'locale-dependent', bindable: true },
  { name: 'globalThis', pattern: any('globalThis'), why: HOST },
  { name: 'eval', pattern: call('eval'), why: 'no code generation in core', callable: true },
  { name: 'Function', pattern: /(?<![\w$.])Function\s*\(/g, why: 'no code generation in core' },
  { name: 'WeakRef', pattern: any('WeakRef'), why: 'GC timing is not deterministic' },
  { name: 'FinalizationRegistry', pattern: any('FinalizationRegistry'), why: 'GC timing is not deterministic' },
  { name: 'localeCompare', pattern: /\.\s*(?:localeCompare|toLocale\w*)\b/g, why: 'locale-dependent: compare code units' },
];

/** Does the file bind `name` itself (a declaration, import or parameter)? */
function bindsName(code: string, name: string): boolean {
  return new RegExp(
    `\\b(?:const|let|var|function|class|enum|interface|type|as)\\s+${name}\\b|[(,]\\s*(?:(?:readonly|public|private|protected)\\s+)?${name}\\s*\\??\\s*:`,
  ).test(code);
}

/** `name(…) {` or `name(…): T {` is a definition (a method named like a global), not a call. */
function isDefinition(code: string, openParen: number, matchStart: number): boolean {
  if (/\bfunction\s*$/.test(code.slice(Math.max(0, matchStart - 20), matchStart))) return true;
  let depth = 0;
  let k = openParen;
  for (; k < code.length; k++) {
    if (code[k] === '(') depth += 1;
    else if (code[k] === ')' && --depth === 0) break;
  }
  return /^\s*[:{]/.test(code.slice(k + 1, k + 40));
}

/** The lint rules must not be switched off inside core/. */
const DISABLES_DETERMINISM =
  /eslint-disable(?:-next-line|-line)?(?:\s*(?:\*\/|$)|[^\n]*(?:no-restricted-|weir\/|no-eval|no-new-func|no-implied-eval))|\/\*\s*eslint\s[^*]*(?:no-restricted-|weir\/|no-eval|no-new-func)/gm;

/** Banned globals in core/, ignoring comments and strings. */
export function checkBannedGlobals(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files.filter(isCoreSource)) {
    const { code } = lexFile(file);
    const hits: { line: number; text: string }[] = [];
    for (const ban of BANS) {
      if (ban.bindable && bindsName(code, ban.name)) continue;
      for (const m of code.matchAll(ban.pattern)) {
        if (ban.callable && isDefinition(code, m.index + m[0].length - 1, m.index)) continue;
        hits.push({ line: lineAt(code, m.index), text: `${ban.name}: ${ban.why}` });
      }
    }
    for (const m of file.text.matchAll(DISABLES_DETERMINISM)) {
      hits.push({ line: lineAt(file.text, m.index), text: 'switches off a determinism lint rule; core has no exceptions' });
    }
    hits.sort((a, b) => a.line - b.line);
    for (const hit of hits) problems.push(`${file.path}:${hit.line}: ${hit.text}`);
  }
  return problems;
}

/** Each core file opens with a comment paragraph before its first import or statement. */
export function checkOpeningComments(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files.filter(isCoreSource)) {
    const text = file.text.replace(/^#![^\n]*\n/, '');
    const opening = /^\s*((?:\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)+)/.exec(text);
    const words = (opening?.[1] ?? '')
      .replace(/\/\*+|\*+\/|^\s*\*|\/\//gm, ' ')
      .replace(/@\w+|eslint[\w-]*|ts-\w+/g, ' ')
      .trim()
      .split(/\s+/)
      .filter((w) => /\w/.test(w));
    if (words.length < 4) {
      problems.push(`${file.path}:1: opens without a comment paragraph saying what this file models (the teaching text)`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------
// The repository.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function walk(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : walk(rel);
    return SOURCE_FILE.test(e.name) ? [rel] : [];
  });
}

function readRepository(): SourceFile[] {
  return SCANNED.flatMap(walk)
    .sort()
    .map((p) => ({ path: p, text: readFileSync(path.join(ROOT, p), 'utf8') }));
}

function expectClean(what: string, problems: readonly string[]): void {
  if (problems.length > 0) {
    expect.fail(`${what}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}\n`);
  }
}

describe('tidy', () => {
  const files = readRepository();

  test('reads the sources it checks', () => {
    expect(files.filter(isCoreSource).length).toBeGreaterThan(0);
  });
  test('core layers point downward (CORE_LAYERS)', () => {
    expectClean('core layering', checkLayers(files));
  });
  test('cli/, bench/, playground/ use core only through its entry points', () => {
    expectClean('entry points', checkEntryPoints(files));
  });
  test('no import cycles in core/, cli/, bench/, playground/', () => {
    expectClean('import cycles', checkCycles(files));
  });
  test('no banned globals in core/', () => {
    expectClean('banned globals in core', checkBannedGlobals(files));
  });
  test('every core file opens with a comment paragraph', () => {
    expectClean('opening comments', checkOpeningComments(files));
  });
});

// ---------------------------------------------------------------------------------------
// The checks themselves can fail: each is fed a bad input here.

const doc = '/** A paragraph on what this file models, for the learner. */\n';

describe('tidy checks catch what they should', () => {
  test('the lexer keeps code and blanks comments, strings, templates and regexes', () => {
    const src = "const a = 'Date.now()'; // Date\n/* Date */ const r = /'Date'/g; const t = `x ${Date} y`;\n";
    const { code } = lex(src);
    expect(code.length).toBe(src.length);
    expect(code.match(/Date/g)).toEqual(['Date']); // only the one inside ${…}
    expect(lineAt(code, code.indexOf('Date'))).toBe(2);
  });

  test('imports: all forms, multi-line, not text inside strings', () => {
    const file = {
      path: 'core/model/x.ts',
      text: [
        doc.trim(),
        "import { a,",
        "  b } from './a.ts';",
        "import type { T } from '../kernel/t.ts';",
        "export * from './c.ts';",
        "export { d, type E } from './d.ts';",
        "import './effect.ts';",
        "type U = import('./u.ts').U;",
        "const s = \"import x from './not-an-import.ts'\";",
        'const z = `export * from "./nor-this.ts"`;',
      ].join('\n'),
    };
    expect(importsOf(file)).toEqual([
      { spec: './a.ts', line: 2 },
      { spec: '../kernel/t.ts', line: 4 },
      { spec: './c.ts', line: 5 },
      { spec: './d.ts', line: 6 },
      { spec: './effect.ts', line: 7 },
      { spec: './u.ts', line: 8 },
    ]);
  });

  test('an upward import, an unplaced folder, a package and an escape from core are caught', () => {
    const problems = checkLayers([
      { path: 'core/kernel/clock.ts', text: `${doc}import { x } from './ok.ts';\nexport type { Task } from '../runtime/task.ts';\n` },
      { path: 'core/runtime/task.ts', text: `${doc}import type { K } from '../kernel/clock.ts';\nimport { readFile } from 'node:fs';\n` },
      { path: 'core/misc/helper.ts', text: `${doc}import { produce } from 'immer';\nimport { openDB } from 'idb';\n` },
      { path: 'core/trace/log.ts', text: `${doc}import cli from '../../cli/main.ts';\nimport fc from 'fast-check';\n` },
      { path: 'core/index.ts', text: `${doc}export * from './testing.ts';\n` },
      { path: 'core/testing.ts', text: `${doc}import fc from 'fast-check';\nimport { Kernel } from './kernel/clock.ts';\n` },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^core\/kernel\/clock\.ts:3: kernel\/ imports runtime\/ /),
      expect.stringMatching(/^core\/runtime\/task\.ts:3: imports Node's 'node:fs'/),
      expect.stringMatching(/^core\/misc\/helper\.ts:1: core\/misc\/ is not a layer/),
      expect.stringMatching(/^core\/misc\/helper\.ts:3: imports 'idb'/),
      expect.stringMatching(/^core\/trace\/log\.ts:2: imports cli\/main\.ts, outside core/),
      expect.stringMatching(/^core\/trace\/log\.ts:3: imports 'fast-check'/),
      expect.stringMatching(/^core\/index\.ts:2: imports core\/testing\.ts/),
    ]);
  });

  test('reaching past core/index.ts, and importing playground/, are caught', () => {
    const problems = checkEntryPoints([
      { path: 'cli/run.ts', text: "import { Kernel } from '../core/kernel/index.ts';\nimport { x } from '../core/index.ts';\n" },
      { path: 'bench/w.ts', text: "import { arb } from '../core/testing.ts';\nimport { App } from '../playground/src/app.ts';\n" },
      { path: 'playground/src/a.svelte', text: "<script lang=\"ts\">\n  import { T } from '../../core/testing.ts';\n</script>\n<p>don't</p>\n" },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^cli\/run\.ts:1: imports core\/kernel\/index\.ts/),
      expect.stringMatching(/^bench\/w\.ts:2: imports playground\/src\/app\.ts/),
      expect.stringMatching(/^playground\/src\/a\.svelte:2: imports core\/testing\.ts/),
    ]);
  });

  test('a cycle is caught and reported as a path, type-only imports included', () => {
    const problems = checkCycles([
      { path: 'core/model/a.ts', text: `${doc}import { b } from './b.ts';\n` },
      { path: 'core/model/b.ts', text: `${doc}\nimport type { C } from './c.ts';\n` },
      { path: 'core/model/c.ts', text: `${doc}export * from './a.ts';\n` },
      { path: 'core/model/d.ts', text: `${doc}import { a } from './a.ts';\n` },
      { path: 'playground/src/App.svelte', text: "<script lang=\"ts\">\n  import { s } from './s.svelte.ts';\n</script>\n" },
      { path: 'playground/src/s.svelte.ts', text: "import App from './App.svelte';\n" },
    ]);
    expect(problems).toEqual([
      'import cycle: core/model/a.ts:2 -> core/model/b.ts:3 -> core/model/c.ts:2 -> core/model/a.ts',
      'import cycle: playground/src/App.svelte:2 -> playground/src/s.svelte.ts:1 -> playground/src/App.svelte',
    ]);
  });

  test('banned globals are caught in code, not in comments, strings or look-alike names', () => {
    const text = [
      doc.trim(), // 1
      'const t = Date.now(); // Date.now() here is a comment', // 2
      "const label = 'Math.random() in a string';", // 3
      'const r = Math.random() + Math.sin(1) + Math.imul(2, 3) + 2 ** 8;', // 4
      'setTimeout(() => tick(), 10);', // 5
      'class Log { fetch(offset: number): number { return this.fetch(offset); } process(x: number) { return x; } }', // 6
      'log.process(console);', // 7
      'console.log(label);', // 8
      'const g = globalThis;', // 9
      '// eslint-disable-next-line no-restricted-globals', // 10
      "const id = 'a'.localeCompare('b');", // 11
    ].join('\n');
    const problems = checkBannedGlobals([{ path: 'core/kernel/bad.ts', text }]);
    expect(problems.map((p) => p.slice(0, p.indexOf(': ', p.indexOf(':') + 1)))).toEqual([
      'core/kernel/bad.ts:2',
      'core/kernel/bad.ts:4',
      'core/kernel/bad.ts:4',
      'core/kernel/bad.ts:4',
      'core/kernel/bad.ts:5',
      'core/kernel/bad.ts:8',
      'core/kernel/bad.ts:9',
      'core/kernel/bad.ts:10',
      'core/kernel/bad.ts:11',
    ]);
    expect(problems.join('\n')).toMatch(/:2: Date: /);
    expect(problems.join('\n')).toMatch(/:4: Math\.random: /);
    expect(problems.join('\n')).toMatch(/:4: \*\*: /);
    expect(problems.join('\n')).toMatch(/:5: setTimeout: /);
  });

  test('a core file without an opening comment paragraph is caught', () => {
    const problems = checkOpeningComments([
      { path: 'core/kernel/ok.ts', text: `${doc}export const a = 1;\n` },
      { path: 'core/kernel/line-comments.ts', text: '// Virtual time: the only clock.\n// It moves when events run.\nexport const a = 1;\n' },
      { path: 'core/kernel/bare.ts', text: "import { x } from './x.ts';\n/** Too late for a file comment. */\n" },
      { path: 'core/kernel/stub.ts', text: '/** @module */\nexport {};\n' },
    ]);
    expect(problems).toEqual([
      expect.stringMatching(/^core\/kernel\/bare\.ts:1: opens without/),
      expect.stringMatching(/^core\/kernel\/stub\.ts:1: opens without/),
    ]);
  });
});
