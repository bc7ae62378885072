// Share links (`#s=`, CONTRACT section 4), Open file, and the page's Content-Security-Policy,
// in Chromium: a link made in Node from a changed shipped scenario runs to the trace hash
// Node gives that scenario; the page's own Share link opens in a new page to the same hash;
// hostile links and files show their problems and the page goes on working; an inline
// script is refused. Screenshots at 1366x768 go to reports/screenshots/.
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { encodeShare, encodeShareText } from '../../playground/src/lib/share.ts';
import { nodeTraceHash, REPO_ROOT, SCREENSHOTS, watchForProblems } from './helpers.ts';

const scratch = mkdtempSync(join(tmpdir(), 'weir-share-'));

function shipped(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'scenarios', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** `traceHash` of `weir run FILE --seed S --json` for a scenario that is not shipped (createSimulation in Node). */
function nodeHashOf(scenario: unknown, seed: number): string {
  const file = join(scratch, `scenario-${seed}-${Math.abs(JSON.stringify(scenario).length)}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  const args = ['--import', 'tsx', 'cli/main.ts', 'run', file, '--seed', String(seed), '--json'];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    if (failed.status !== 3 || !failed.stdout) throw new Error(`weir run ${file} failed (exit ${failed.status}): ${failed.stderr ?? ''}`);
    stdout = failed.stdout;
  }
  return (JSON.parse(stdout) as { traceHash: string }).traceHash;
}

/** late-data with its window's allowed lateness changed: a scenario that is not shipped. */
function changedLateData(): Record<string, unknown> {
  const scenario = structuredClone(shipped('late-data'));
  const operators = (scenario['job'] as { operators: Record<string, unknown>[] }).operators;
  const window = operators.find((o) => o['type'] === 'window');
  if (window === undefined) throw new Error('late-data has no window');
  window['allowedLateness'] = Number(window['allowedLateness'] ?? 0) + 1500;
  // Its `expect` states the shipped lesson, which more lateness changes.
  delete scenario['expect'];
  return { ...scenario, name: 'Late data, more lateness allowed' };
}

async function whenReady(page: Page): Promise<void> {
  await expect(page.locator('main')).toHaveAttribute('data-ready', 'true');
}

test('a link made in Node from a changed shipped scenario runs in Chromium to the hash Node gives it', async ({ page }) => {
  const problems = watchForProblems(page);
  const scenario = changedLateData();
  const expected = nodeHashOf(scenario, 5);
  expect(expected).not.toBe(nodeTraceHash('late-data', 5));
  const data = encodeShare(scenario);
  await page.goto(`/?seed=5&run=end#s=${data}`);
  await expect(page.getByTestId('trace-hash')).toHaveText(expected, { timeout: 60_000 });
  await expect(page.getByTestId('scenario-title')).toHaveText('Late data, more lateness allowed');
  await expect(page.getByTestId('scenario-origin')).toHaveText('from a shared link');
  await expect(page.getByTestId('seed-input')).toHaveValue('5');
  // The address still holds the scenario: a reload opens and runs it again.
  await expect(page).toHaveURL(new RegExp(`\\?seed=5&run=end#s=${data}$`));
  await page.reload();
  await expect(page.getByTestId('trace-hash')).toHaveText(expected, { timeout: 60_000 });
  expect(problems).toEqual([]);
});

test('Share copies the link of the open scenario; it opens in a new page and runs to the same hash', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.setViewportSize({ width: 1366, height: 768 });
  const problems = watchForProblems(page);
  await page.goto('/?scenario=hello-map-filter&seed=3&run=end');
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('hello-map-filter', 3), { timeout: 60_000 });
  await page.getByTestId('share').click();
  const field = page.getByTestId('share-link');
  await expect(field).toHaveValue(/\/\?seed=3&run=end#s=[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId('share-status')).toContainText('Copied to the clipboard.');
  const link = await field.inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await page.screenshot({ path: join(SCREENSHOTS, 'share-link.png') });

  const other = await context.newPage();
  const otherProblems = watchForProblems(other);
  await other.goto(link);
  await expect(other.getByTestId('trace-hash')).toHaveText(nodeTraceHash('hello-map-filter', 3), { timeout: 60_000 });
  await expect(other.getByTestId('scenario-origin')).toHaveText('from a shared link');
  // The shipped scenarios are still a pick away (and a pick runs the lesson).
  await other.getByTestId('scenario-select').selectOption('hello-map-filter');
  await expect(other).toHaveURL(/\?scenario=hello-map-filter&seed=1&run=end$/);
  expect([...problems, ...otherProblems]).toEqual([]);
});

test('a `#s=` link pasted into the address bar of the open page opens without a reload', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=hello-map-filter&seed=1');
  await whenReady(page);
  const scenario = changedLateData();
  await page.evaluate((data) => {
    window.location.hash = `s=${data}`;
  }, encodeShare(scenario));
  await expect(page.getByTestId('scenario-title')).toHaveText('Late data, more lateness allowed');
  await expect(page.getByTestId('scenario-origin')).toHaveText('from a shared link');
  expect(problems).toEqual([]);
});

test('without a clipboard the link is shown to copy by hand', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await page.goto('/?scenario=hello-map-filter&seed=1');
  await whenReady(page);
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toContainText('Copy it from the box');
  await expect(page.getByTestId('share-link')).toHaveValue(/#s=/);
});

const bomb = Buffer.from(deflateRawSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 })).toString('base64url');
const hostile: { what: string; data: string; says: string }[] = [
  { what: 'bad base64', data: 'q1ZK*y8k', says: 'not base64url: character 5 is “*”' },
  { what: 'bad deflate', data: Buffer.from([0xff, 0xff, 0xff]).toString('base64url'), says: 'not raw DEFLATE data (RFC 1951): invalid block type' },
  { what: 'a zip bomb', data: bomb, says: 'larger than 5 MB once decompressed' },
  { what: 'non-UTF-8', data: Buffer.from(deflateRawSync(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]))).toString('base64url'), says: 'not UTF-8 text: byte 3' },
  { what: 'bad JSON', data: encodeShareText('{\n  "format": "weir/scenario@1",\n  "name": }'), says: '$: not valid JSON: line 3, column 11' },
  { what: 'too deep', data: encodeShareText(`{"format": "weir/scenario@1", "name": "d", "job": {"operators": []}, "x": ${'['.repeat(5000)}${']'.repeat(5000)}}`), says: 'nested more than 128 levels deep' },
  { what: 'not a scenario', data: encodeShare({ format: 'weir/scenario@1', name: 'x', job: { operators: [{ id: 'm', type: 'map', input: 'nowhere', expr: '1' }] } }), says: 'shared link (#s=): $.job.operators[0]' },
];

for (const link of hostile) {
  test(`a hostile link (${link.what}) shows its problem; the page still opens and runs a shipped scenario`, async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`/?seed=2&run=end#s=${link.data}`);
    await whenReady(page);
    const shown = page.getByTestId('open-problems');
    await expect(shown).toContainText('The shared link could not be opened');
    await expect(shown).toContainText(link.says);
    await expect(page.getByTestId('no-run')).toBeVisible();
    await expect(page.getByTestId('scenario-title')).not.toHaveText('');
    if (link.what === 'a zip bomb') await page.screenshot({ path: join(SCREENSHOTS, 'share-hostile-link.png') });

    await page.getByTestId('scenario-select').selectOption('late-data');
    await page.getByTestId('seed-input').fill('2');
    await page.getByTestId('run-button').click();
    await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('late-data', 2), { timeout: 60_000 });
    await page.getByTestId('open-problems-dismiss').click();
    await expect(shown).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  });
}

test('Open file: a valid file opens and runs to the hash Node gives it; an invalid one names its problems and the page keeps its scenario', async ({ page }) => {
  const problems = watchForProblems(page);
  await page.goto('/?scenario=hello-map-filter&seed=1');
  await whenReady(page);
  const input = page.getByTestId('open-file');

  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "weir/scenario@1",\n "job": 3,}') });
  await expect(page.getByTestId('open-problems')).toContainText('“broken.json” could not be opened');
  await expect(page.getByTestId('open-problems')).toContainText('broken.json: $: not valid JSON: line 2, column 11');
  await expect(page.getByTestId('scenario-select')).toHaveValue('hello-map-filter');

  const scenario = changedLateData();
  await input.setInputFiles({ name: 'more-lateness.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario, null, 2)) });
  await expect(page.getByTestId('open-problems')).toHaveCount(0);
  await expect(page.getByTestId('scenario-title')).toHaveText('Late data, more lateness allowed');
  await expect(page.getByTestId('scenario-origin')).toHaveText('from the file more-lateness.json');
  await page.getByTestId('seed-input').fill('4');
  await page.getByTestId('run-button').click();
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeHashOf(scenario, 4), { timeout: 60_000 });
  await expect(page.getByText('npx weir run more-lateness.json --seed 4 --json')).toBeVisible();
  expect(problems).toEqual([]);
});

test('the Content-Security-Policy forbids inline scripts and eval, and the page runs under it', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  const response = await page.goto('/?scenario=late-data&seed=1&run=end');
  const header = response?.headers()['content-security-policy'] ?? '';
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toBe(header);
  const scripts = /(?:^|;)\s*script-src ([^;]*)/.exec(header)?.[1] ?? '';
  expect(scripts.trim()).toBe("'self'");
  expect(header).not.toMatch(/unsafe-eval/);

  // The page runs under it, with no violation of its own.
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('late-data', 1), { timeout: 60_000 });
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-link')).toHaveValue(/#s=/);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);

  // An inline script put into the page is refused, and says so.
  const ran = await page.evaluate(async () => {
    const violation = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }));
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.body.append(script);
    const directive = await violation;
    let evalResult: string;
    try {
      evalResult = String((0, eval)('1 + 1'));
    } catch (error) {
      evalResult = error instanceof Error ? error.name : String(error);
    }
    return { directive, inlineRan: (window as unknown as { inlineRan?: boolean }).inlineRan === true, evalResult };
  });
  expect(ran.directive).toBe('script-src-elem');
  expect(ran.inlineRan).toBe(false);
  expect(ran.evalResult).toBe('EvalError');
});
