// Shared by the browser tests: the shipped scenarios, the Node engine's report and trace hash
// (through the `weir` command, as a person would get them), the `#s=` address of a scenario
// that is not shipped, and a watcher for console errors.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = join(REPO_ROOT, 'reports', 'screenshots');

export interface ShippedScenario {
  name: string;
  /** The scenario's own seed (0 when it names none). */
  seed: number;
}

/** Every `scenarios/*.json` and `scenarios/training/*.json`, by name (`training/NAME` for those), sorted. */
export function shippedScenarios(): ShippedScenario[] {
  const dir = join(REPO_ROOT, 'scenarios');
  const files = [
    ...readdirSync(dir).filter((file) => file.endsWith('.json')),
    ...readdirSync(join(dir, 'training')).filter((file) => file.endsWith('.json')).map((file) => `training/${file}`),
  ];
  return files
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { seed?: unknown };
      return { name: file.slice(0, -'.json'.length), seed: typeof data.seed === 'number' ? data.seed : 0 };
    });
}

/** The parts of `weir/report@1` the browser tests compare with the page. */
export interface NodeReport {
  traceHash: string;
  status: string;
  checkpoints: { id: number; status: string }[];
  restarts: { at: number; cause: string; attempt: number; restoredFrom: number | null }[];
}

const reports = new Map<string, NodeReport>();

/** `traceHash` of `weir run scenarios/NAME.json --seed S --json`, run in this process. */
export function nodeTraceHash(name: string, seed: number): string {
  return nodeReport(name, seed).traceHash;
}

/** The report of `weir run scenarios/NAME.json --seed S --json`, run in this process. */
export function nodeReport(name: string, seed: number): NodeReport {
  const key = `${name}@${seed}`;
  const known = reports.get(key);
  if (known !== undefined) return known;
  const args = ['--import', 'tsx', 'cli/main.ts', 'run', `scenarios/${name}.json`, '--seed', String(seed), '--json'];
  let stdout: string;
  try {
    stdout = execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  } catch (error) {
    // Exit 3: the scenario's own expectations failed; the report is printed all the same.
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    if (failed.status !== 3 || !failed.stdout) {
      throw new Error(`weir run scenarios/${name}.json --seed ${seed} failed (exit ${failed.status}): ${failed.stderr ?? ''}`);
    }
    stdout = failed.stdout;
  }
  const report = JSON.parse(stdout) as NodeReport;
  if (typeof report.traceHash !== 'string') throw new Error(`no traceHash in the report of ${key}`);
  reports.set(key, report);
  return report;
}

/** Collects console errors, uncaught exceptions, failed requests and requests off the page's origin. */
export function watchForProblems(page: Page, origin = `http://localhost:${process.env['WEIR_E2E_PORT'] ?? 4173}`): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const error = request.failure()?.errorText;
    // ERR_ABORTED is the page's own cancelling, not a failure: a navigation, or a run that a
    // newer one replaced, whose worker is terminated while its script is still loading.
    if (error === 'net::ERR_ABORTED' && request.url().startsWith(origin)) return;
    problems.push(`request failed: ${request.url()} (${error})`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:')) problems.push(`request off the page's origin: ${url}`);
  });
  return problems;
}

/** The `lastOpened` setting as IndexedDB holds it, read in the page without the app's code. */
export async function readStoredSettings(page: Page): Promise<{ version: number; stores: string[]; lastOpened: unknown }> {
  return page.evaluate(
    () =>
      new Promise<{ version: number; stores: string[]; lastOpened: unknown }>((resolve, reject) => {
        const request = indexedDB.open('weir');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const stores = [...db.objectStoreNames];
          if (!stores.includes('settings')) {
            db.close();
            resolve({ version: db.version, stores, lastOpened: undefined });
            return;
          }
          const get = db.transaction('settings').objectStore('settings').get('lastOpened');
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            db.close();
            resolve({ version: db.version, stores, lastOpened: get.result as unknown });
          };
        };
      }),
  );
}
