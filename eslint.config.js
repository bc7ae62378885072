// Lint for Weir. typescript-eslint's recommended rules without type information (so
// `eslint .` stays fast), eslint-plugin-svelte for the playground, and the rules that make
// the engine's determinism and host-freedom mechanical:
//
// - core/ may not touch the wall clock, ambient randomness, timers, the host (DOM, Node,
//   storage, network) or engine-dependent floating point. Each ban says what to use instead.
// - core/ imports only core/ and a short list of packages; cli/, bench/, playground/ reach
//   core only through core/index.ts (bench also core/testing.ts); nothing but tests imports
//   playground/.
//
// test/tidy.test.ts checks the same ground a second way (and the layer order inside core,
// and import cycles), the way TigerBeetle's tidy sits beside its compiler.

import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------
// Determinism: what core/ may not use, and why.

const CLOCK = "core runs on virtual time: read the kernel's clock (kernel.clock.nowMs), never the host's";
const RANDOM = "core draws randomness only from the kernel's seeded random streams (kernel.random.stream('component-name')), so a seed replays the run";
const SCHEDULER = "core defers work only through the kernel's scheduler (kernel.schedule / kernel.scheduleAfter, or the rxjs KernelScheduler passed explicitly), never the host's timers";
const HOST = 'core is host-free (it runs the same in Node and Chromium): effects live in cli/ or playground/ and are passed in';
const STORAGE = 'core is host-free: persistence is checkpoint storage passed in by the shell (playground/ uses idb, cli/ uses files)';
const GC = 'garbage collection timing differs between runs and engines; keep explicit references and release them explicitly';
const CODEGEN = 'no code generation in core: the scenario expression language (core/expr) is the interpreter';
const FLOAT =
  'engine-dependent floating point: V8, SpiderMonkey and JavaScriptCore may differ in the last bit, and a run must hash the same everywhere. Use integer arithmetic (Math.imul, shifts, integer milliseconds), or a table/series in core that fixes the result';
const LOCALE = 'locale- and ICU-dependent output differs between hosts: compare with < / > on strings (code-unit order) and format explicitly';

const bannedGlobals = [
  ['Date', `${CLOCK}. Timestamps are integer milliseconds of virtual time.`],
  ['performance', `${CLOCK}. Measure in bench/ or cli/, outside the engine.`],
  ['setTimeout', SCHEDULER],
  ['clearTimeout', SCHEDULER],
  ['setInterval', SCHEDULER],
  ['clearInterval', SCHEDULER],
  ['setImmediate', SCHEDULER],
  ['clearImmediate', SCHEDULER],
  ['queueMicrotask', SCHEDULER],
  ['requestAnimationFrame', `${SCHEDULER}. Animation frames belong to playground/.`],
  ['cancelAnimationFrame', `${SCHEDULER}. Animation frames belong to playground/.`],
  ['requestIdleCallback', SCHEDULER],
  ['crypto', `${RANDOM}. For hashing use core/trace's Fnv64 or the kernel's string hash.`],
  ['process', HOST],
  ['require', `${HOST}. Use an ES import of a core/ file.`],
  ['Buffer', `${HOST}. Use strings or Uint8Array.`],
  ['__dirname', HOST],
  ['__filename', HOST],
  ['global', HOST],
  ['globalThis', `${HOST}. Take what you need as a parameter.`],
  ['self', HOST],
  ['window', HOST],
  ['document', HOST],
  ['navigator', HOST],
  ['console', `${HOST}. Emit a typed trace event instead; the CLI and playground print the trace.`],
  ['localStorage', STORAGE],
  ['sessionStorage', STORAGE],
  ['indexedDB', STORAGE],
  ['fetch', `${HOST}. Connectors in core are simulated; real I/O belongs to cli/ or playground/.`],
  ['XMLHttpRequest', HOST],
  ['WebSocket', HOST],
  ['Worker', `${HOST}. Worker threads belong to cli/.`],
  ['SharedArrayBuffer', `${HOST}. Shared memory makes results depend on thread timing.`],
  ['Atomics', `${HOST}. Shared memory makes results depend on thread timing.`],
  ['eval', CODEGEN],
  ['Function', `${CODEGEN}. As a type, write the signature: (x: T) => U.`],
  ['WeakRef', GC],
  ['FinalizationRegistry', GC],
  ['Intl', LOCALE],
].map(([name, message]) => ({ name, message }));

const FLOAT_FUNCTIONS = [
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2',
  'sinh', 'cosh', 'tanh', 'asinh', 'acosh', 'atanh',
  'exp', 'expm1', 'log', 'log1p', 'log2', 'log10', 'pow', 'cbrt', 'hypot',
];

const bannedProperties = [
  { object: 'Math', property: 'random', message: RANDOM },
  ...FLOAT_FUNCTIONS.map((property) => ({ object: 'Math', property, message: FLOAT })),
  { property: 'localeCompare', message: LOCALE },
  { property: 'toLocaleString', message: LOCALE },
  { property: 'toLocaleDateString', message: LOCALE },
  { property: 'toLocaleTimeString', message: LOCALE },
  { property: 'toLocaleUpperCase', message: LOCALE },
  { property: 'toLocaleLowerCase', message: LOCALE },
];

// no-restricted-globals sees values only; a type such as `d: Date` still invites the value.
const BANNED_TYPES = ['Date', 'WeakRef', 'FinalizationRegistry', 'Worker', 'SharedArrayBuffer'];

const bannedSyntax = [
  ...bannedGlobals
    .filter(({ name }) => BANNED_TYPES.includes(name))
    .map(({ name, message }) => ({
      selector: `TSTypeReference > Identifier.typeName[name='${name}']`,
      message: `The type ${name} belongs to a banned global: ${message}`,
    })),
  {
    selector: "BinaryExpression[operator='**'], AssignmentExpression[operator='**=']",
    message: `\`**\` is Math.pow: ${FLOAT}. Write the constant (0x1_0000_0000, Number.MAX_SAFE_INTEGER) or multiply.`,
  },
];

// ---------------------------------------------------------------------------------------
// Import boundaries, as a local rule: it resolves each relative specifier against the
// importing file, so it works at any depth and for `import type`, `export ... from`,
// `import()` and `import('x').T` alike.

/** Packages core/ may import. Adding one is a design decision: say why in the commit. */
const CORE_PACKAGES = ['rxjs', 'immer'];
/** Packages the test-only entry and the fault campaigns of `weir check` (core/campaign/) may import on top of CORE_PACKAGES. */
const PROPERTY_PACKAGES = ['fast-check'];
const usesProperties = (p) => p === 'core/testing.ts' || p.startsWith('core/campaign/');

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));

const PACKAGE_REASONS = {
  svelte: 'svelte is the playground\'s view layer; core exposes Observables and plain data that the playground subscribes to',
  idb: 'idb is the playground\'s persistence; core takes checkpoint storage as a parameter',
  'fake-indexeddb': 'fake-indexeddb is for tests of playground code',
  vitest: 'vitest belongs to test/; put reusable test helpers in core/testing.ts without vitest',
  'fast-check': 'fast-check may be imported in core only by core/testing.ts and core/campaign/ (the property runs of weir check)',
  '@fast-check/vitest': 'test-only package',
  '@playwright/test': 'test-only package',
  playwright: 'test-only package',
};

/** The package name of a bare specifier: `@scope/name/sub` -> `@scope/name`, `a/b` -> `a`. */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Repository-relative, slash-separated path. */
function repoPath(absolute) {
  return path.relative(ROOT, absolute).split(path.sep).join('/');
}

/** The top-level area of a repository path: core, cli, bench, playground, test, scripts, ... */
function areaOf(rel) {
  return rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '';
}

/** Returns a message when `spec`, imported by the file at `fromRel`, crosses a boundary. */
function boundaryProblem(fromRel, spec) {
  const area = areaOf(fromRel);
  const relative = spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
  if (!relative) {
    if (spec.startsWith('/')) return `absolute import '${spec}': import by a relative path`;
    if (area !== 'core') return null;
    if (spec.startsWith('node:') || NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(packageName(spec))) {
      return `core may not import Node's '${spec}': ${HOST}`;
    }
    const name = packageName(spec);
    const allowed = usesProperties(fromRel) ? [...CORE_PACKAGES, ...PROPERTY_PACKAGES] : CORE_PACKAGES;
    if (allowed.includes(name)) return null;
    const why = PACKAGE_REASONS[name] ?? 'core imports only the packages listed in CORE_PACKAGES (eslint.config.js and test/tidy.test.ts); adding one is a design decision';
    return `core may not import '${spec}': ${why}`;
  }
  const target = repoPath(path.resolve(ROOT, path.dirname(fromRel), spec));
  const targetArea = areaOf(target);
  if (target.startsWith('..')) return `'${spec}' resolves outside the repository`;
  if (area === 'test') return null; // tests may import anything
  if (area === 'core') {
    if (targetArea !== 'core') return `'${spec}' resolves outside core/ (to ${target}): core imports only core`;
    return null;
  }
  if (targetArea === 'playground' && area !== 'playground') {
    return `'${spec}' imports playground/: nothing imports the playground (it is a leaf)`;
  }
  if (targetArea === 'core') {
    const entries = area === 'bench' ? ['core/index.ts', 'core/testing.ts'] : ['core/index.ts'];
    if (!entries.includes(target)) {
      const via = entries.join(' or ');
      return `'${spec}' reaches into core (${target}): ${area || 'this file'} imports core only through ${via}`;
    }
  }
  return null;
}

const importBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'keep core host-free and reach it only through its entry points' },
    schema: [],
    messages: { boundary: '{{problem}}' },
  },
  create(context) {
    const fromRel = repoPath(context.filename);
    function check(node, source) {
      if (!source || typeof source.value !== 'string') return;
      const problem = boundaryProblem(fromRel, source.value);
      if (problem) context.report({ node: source, messageId: 'boundary', data: { problem } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal),
      TSExternalModuleReference: (node) => check(node, node.expression),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
          check(node, node.arguments[0]);
        }
      },
    };
  },
};

const weir = { meta: { name: 'weir' }, rules: { 'import-boundaries': importBoundaries } };

// ---------------------------------------------------------------------------------------

export default defineConfig([
  globalIgnores(['dist/', 'dist-*/', 'node_modules/', 'reports/', 'test-results/', 'test-results-*/', 'playwright-report/']),

  ...tseslint.configs.recommended,
  {
    rules: {
      // An unused parameter an interface requires is named with a leading underscore.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },

  // The playground: Svelte components and rune modules, with TypeScript inside.
  ...svelte.configs.recommended,
  {
    files: ['playground/**/*.svelte', 'playground/**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
    rules: {
      // TypeScript (svelte-check) knows the browser globals; core's no-undef would not.
      'no-undef': 'off',
    },
  },

  // Import boundaries everywhere.
  {
    files: ['**/*.{ts,mts,cts,js,mjs,cjs,svelte}'],
    plugins: { weir },
    rules: { 'weir/import-boundaries': 'error' },
  },

  // Determinism and host-freedom in the engine.
  {
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...bannedGlobals],
      'no-restricted-properties': ['error', ...bannedProperties],
      'no-restricted-syntax': ['error', ...bannedSyntax],
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
]);
