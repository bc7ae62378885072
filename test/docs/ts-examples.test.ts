/**
 * The TypeScript in the docs compiles against the real API. Every ```ts block of docs/*.md
 * and README.md is written to a temporary folder as a module of its own and type-checked
 * with the options of the repository's tsconfig.json, so a renamed method or a changed type
 * fails here rather than in a reader's first try. A snippet imports what a user imports,
 * './core/index.ts' (pointed here at this repository's file); any other path fails to
 * resolve, on purpose. The names a snippet continues from without defining them are
 * declared in doc-globals.d.ts.
 *
 * A block that is not meant to compile (pseudo-code, a shape) is fenced ```text or
 * ```jsonc instead, so nothing is skipped in silence.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORE_ENTRY = path.join(ROOT, 'core', 'index.ts').split(path.sep).join('/');
const GLOBALS = fileURLToPath(new URL('doc-globals.d.ts', import.meta.url));
const TS_LANGS = new Set(['ts', 'typescript']);

interface Block {
  /** Repository-relative path of the markdown file. */
  readonly doc: string;
  /** 1-based, among the doc's ts blocks. */
  readonly index: number;
  /** The markdown line of the block's first line of code. */
  readonly mdLine: number;
  readonly code: string;
}

/** The ```ts blocks of a markdown text (CommonMark fences: ``` or ~~~, indented at most 3 spaces). */
function tsBlocks(doc: string, markdown: string): Block[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const [, indent = '', fence = '', info = ''] = open;
    const closer = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !closer.test(lines[j]!); j++) body.push(lines[j]!.replace(new RegExp(`^ {0,${indent.length}}`), ''));
    const lang = info.trim().split(/\s+/)[0]!.toLowerCase();
    if (TS_LANGS.has(lang)) blocks.push({ doc, index: blocks.length + 1, mdLine: i + 2, code: body.join('\n') });
    i = j;
  }
  return blocks;
}

/** The snippet as a module: its core imports made absolute, and `export {}` (on the last line, so line numbers hold) so that its names stay its own. */
function asModule(code: string): string {
  return `${code.replace(/(['"])(?:\.\.?\/)+core\/index\.ts\1/g, `'${CORE_ENTRY}'`)}\nexport {};\n`;
}

/** The compiler options of the repository's tsconfig.json (strict, bundler resolution, node types). */
function repoOptions(): ts.CompilerOptions {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error !== undefined) throw new Error(formatHostless([read.error]).join('\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configPath);
  if (parsed.errors.length > 0) throw new Error(formatHostless(parsed.errors).join('\n'));
  return { ...parsed.options, noEmit: true };
}

function formatHostless(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((d) => {
    const where = d.file === undefined ? '' : `${path.relative(ROOT, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1} `;
    return `${where}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** Type-checks the blocks in one program; returns the problems of each doc as `doc:mdLine (block n, line m) TScode: message`. */
function check(blocks: readonly Block[], dir: string): { byDoc: Map<string, string[]>; general: string[] } {
  const byFile = new Map<string, Block>();
  for (const block of blocks) {
    const file = path.join(dir, `${block.doc.replace(/[^\w]+/g, '-')}-${block.index}.ts`);
    writeFileSync(file, asModule(block.code));
    byFile.set(file, block);
  }
  const program = ts.createProgram({ rootNames: [GLOBALS, ...byFile.keys()], options: repoOptions() });
  const byDoc = new Map<string, string[]>(blocks.map((b) => [b.doc, []]));
  for (const [file, block] of byFile) {
    const source = program.getSourceFile(file)!;
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      byDoc.get(block.doc)!.push(`${block.doc}:${block.mdLine + line - 1} (block ${block.index}, line ${line}) TS${d.code}: ${message}`);
    }
  }
  const globals = program.getSourceFile(GLOBALS)!;
  const general = formatHostless([
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...program.getSyntacticDiagnostics(globals),
    ...program.getSemanticDiagnostics(globals),
  ]);
  return { byDoc, general };
}

// ---------------------------------------------------------------------------------------

const DOCS = [
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
  'README.md',
];
const BLOCKS = DOCS.flatMap((doc) => tsBlocks(doc, readFileSync(path.join(ROOT, doc), 'utf8')));
const DOCS_WITH_BLOCKS = [...new Set(BLOCKS.map((b) => b.doc))];

// A wrong snippet, compiled in the same program, shows that a mistake is caught and placed.
const SELF_TEST_DOC = 'self-test.md';
const SELF_TEST = tsBlocks(SELF_TEST_DOC, ['# A doc', '', '```ts', "import { valueState } from './core/index.ts';", 'const n: number = valueState();', '```', ''].join('\n'));

const dir = mkdtempSync(path.join(tmpdir(), 'weir-doc-ts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let result: ReturnType<typeof check> | undefined;
/** One program for all the blocks (a program per doc would repeat the work of loading core). */
const checked = (): ReturnType<typeof check> => (result ??= check([...BLOCKS, ...SELF_TEST], dir));

describe('the ```ts blocks of the docs', () => {
  it('are found', () => {
    // docs/datastream-api.md opens with a ts example; finding none means the extraction broke.
    expect(BLOCKS.filter((b) => b.doc === 'docs/datastream-api.md').length).toBeGreaterThan(0);
  });

  it('have globals that compile (doc-globals.d.ts, and the options)', () => {
    expect(checked().general).toEqual([]);
  });

  it.each(DOCS_WITH_BLOCKS)('type-check in %s', (doc) => {
    expect(checked().byDoc.get(doc)).toEqual([]);
  });

  it('fail, placed at the markdown line, when one does not type-check', () => {
    const problems = checked().byDoc.get(SELF_TEST_DOC) ?? [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^self-test\.md:5 \(block 1, line 2\) TS2322: /);
  });
});
