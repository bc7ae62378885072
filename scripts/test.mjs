// What `npm test` runs: every check of the repository, cheapest first, stopping at the
// first stage that fails (with that stage's exit code).
//
//   1. type checks   tsc -p core/tsconfig.json, tsc -p tsconfig.json, svelte-check
//   2. lint          eslint .
//   3. unit tests    vitest run                (writes reports/vitest.json)
//   4. browser tests playwright test           (builds the playground, serves it with
//                                               vite preview; writes reports/playwright.json)
//
// Usage:
//   node scripts/test.mjs               all four stages (what CI runs, through `npm test`)
//   node scripts/test.mjs --no-browser  skip stage 4, for quick local runs
//
// At the end it prints, alone on the last line, `N passed, N failed` (with `, N skipped`
// when some were skipped), summed over the Vitest and Playwright JSON reports. CI reads that
// line. It is printed even when a stage fails, from whatever reports exist; reports from an
// earlier run are deleted first so they are never counted.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const VITEST_REPORT = path.join(ROOT, 'reports', 'vitest.json');
const PLAYWRIGHT_REPORT = path.join(ROOT, 'reports', 'playwright.json');

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--no-browser');
if (unknown.length > 0) {
  console.error(`unknown option(s): ${unknown.join(' ')}\nusage: node scripts/test.mjs [--no-browser]`);
  process.exit(2);
}
const browser = !args.includes('--no-browser');

/** True when test/browser holds at least one spec; Playwright would otherwise fail with "No tests found". */
function hasBrowserSpecs(dir = path.join(ROOT, 'test', 'browser')) {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? hasBrowserSpecs(path.join(dir, e.name)) : e.name.endsWith('.spec.ts'),
  );
}

const STAGES = [
  {
    name: 'type check',
    commands: [
      ['tsc', '-p', 'core/tsconfig.json'],
      ['tsc', '-p', 'tsconfig.json'],
      ['svelte-check', '--tsconfig', 'playground/tsconfig.json', '--fail-on-warnings'],
    ],
  },
  { name: 'lint', commands: [['eslint', '.']] },
  { name: 'unit tests', commands: [['vitest', 'run']] },
  {
    name: 'browser tests',
    skip: browser ? null : '--no-browser',
    // Until the first spec exists, still build and serve the playground, but do not fail on "No tests found".
    commands: [['playwright', 'test', ...(hasBrowserSpecs() ? [] : ['--pass-with-no-tests'])]],
  },
];

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function run([bin, ...rest]) {
  const file = path.join(BIN, bin);
  console.log(`$ ${bin} ${rest.join(' ')}`);
  const result = spawnSync(file, rest, { cwd: ROOT, stdio: 'inherit' });
  if (result.error) {
    console.error(`could not start ${file}: ${result.error.message}`);
    return 127;
  }
  if (result.signal) return 128 + ({ SIGINT: 2, SIGTERM: 15, SIGKILL: 9 }[result.signal] ?? 1);
  return result.status ?? 1;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Counts from both reports; a test file that failed to load counts as one failure. */
function tally() {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const vitest = readJson(VITEST_REPORT);
  if (vitest) {
    total.passed += vitest.numPassedTests ?? 0;
    total.failed += vitest.numFailedTests ?? 0;
    total.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
    for (const file of vitest.testResults ?? []) {
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed')) total.failed += 1;
    }
  }
  const playwright = readJson(PLAYWRIGHT_REPORT);
  if (playwright?.stats) {
    const s = playwright.stats;
    total.passed += (s.expected ?? 0) + (s.flaky ?? 0);
    total.failed += s.unexpected ?? 0;
    total.skipped += s.skipped ?? 0;
    // Errors outside any test (a broken config, a web server that did not start).
    if ((s.unexpected ?? 0) === 0 && (playwright.errors ?? []).length > 0) total.failed += 1;
  }
  return total;
}

function finish(code, timings) {
  console.log('\n== summary');
  for (const t of timings) console.log(`   ${t.name.padEnd(14)} ${t.result.padEnd(8)} ${seconds(t.ms)}`);
  const { passed, failed, skipped } = tally();
  console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  process.exit(code);
}

rmSync(VITEST_REPORT, { force: true });
rmSync(PLAYWRIGHT_REPORT, { force: true });

const timings = [];
const started = Date.now();
for (const [index, stage] of STAGES.entries()) {
  const header = `[${index + 1}/${STAGES.length}] ${stage.name}`;
  if (stage.skip) {
    console.log(`\n== ${header}: skipped (${stage.skip})`);
    timings.push({ name: stage.name, result: 'skipped', ms: 0 });
    continue;
  }
  console.log(`\n== ${header}`);
  const t0 = Date.now();
  let code = 0;
  for (const command of stage.commands) {
    code = run(command);
    if (code !== 0) break;
  }
  const ms = Date.now() - t0;
  timings.push({ name: stage.name, result: code === 0 ? 'ok' : `exit ${code}`, ms });
  console.log(`== ${header}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds(ms)}`);
  if (code !== 0) {
    timings.push({ name: 'total', result: 'failed', ms: Date.now() - started });
    finish(code, timings);
  }
}
timings.push({ name: 'total', result: 'ok', ms: Date.now() - started });
finish(0, timings);
