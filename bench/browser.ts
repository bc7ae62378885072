/**
 * The scenario benchmark in Chromium: `npm run bench:browser` (or `npx tsx bench/browser.ts
 * [FILE] [--repeat K] [--json]`). It bundles bench/scenario-run.ts and the engine with
 * Vite, opens the machine's Chromium headless through Playwright (Debian's, as the browser
 * tests use; CHROMIUM_PATH overrides), runs the scenario file there at trace levels `full`
 * and `summary` (a warm-up, then K timed runs each, median reported), and runs it in this
 * Node process too, so that the line shows both figures and that the trace hashes agree.
 *
 * Exit codes: 0 measured and the hashes agree, 3 they differ (determinism is broken),
 * 2 bad arguments, 1 anything else.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { timeScenarioRun, type ScenarioRunResult } from './scenario-run.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const DEFAULT_SCENARIO = resolve(here, 'scenarios/windowed-100k.json');
const LEVELS = ['full', 'summary'] as const;

async function bundle(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry: resolve(here, 'browser-entry.ts'), formats: ['iife'], name: 'weirBench', fileName: 'weir-bench' },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if ('output' in o) for (const chunk of o.output) if (chunk.type === 'chunk') return chunk.code;
  }
  throw new Error('vite produced no bundle');
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ allowPositionals: true, options: { repeat: { type: 'string', default: '3' }, json: { type: 'boolean', default: false } } });
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const repeat = Number(args.values.repeat);
  if (!Number.isInteger(repeat) || repeat < 1 || repeat > 50) {
    process.stderr.write(`--repeat must be a whole number in 1..50, got '${args.values.repeat}'\n`);
    return 2;
  }
  const file = resolve(args.positionals[0] ?? DEFAULT_SCENARIO);
  const text = readFileSync(file, 'utf8');
  const code = await bundle();
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let exit = 0;
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>weir bench</title>');
    await page.addScriptTag({ content: code });
    const version = browser.version();
    for (const level of LEVELS) {
      const inBrowser: ScenarioRunResult[] = [];
      const inNode: ScenarioRunResult[] = [];
      for (let i = 0; i <= repeat; i++) {
        const b = await page.evaluate(({ t, f, l }) => (globalThis as unknown as { weirBench: { run(t: string, f: string, l: string): ScenarioRunResult } }).weirBench.run(t, f, l), { t: text, f: file, l: level });
        const n = timeScenarioRun(text, file, level, () => performance.now());
        // The first run of each is a warm-up (JIT), not counted.
        if (i > 0) {
          inBrowser.push(b);
          inNode.push(n);
        }
      }
      const b = inBrowser[0]!;
      const n = inNode[0]!;
      const line = {
        workload: `scenario.${level}`,
        scenario: file.slice(file.lastIndexOf('/') + 1),
        chromium: version,
        traceEvents: b.traceEvents,
        records: b.records,
        chromiumMs: round(median(inBrowser.map((r) => r.ms))),
        chromiumMsRuns: inBrowser.map((r) => round(r.ms)),
        chromiumNsPerTraceEvent: Math.round((median(inBrowser.map((r) => r.ms)) * 1e6) / b.traceEvents),
        nodeMs: round(median(inNode.map((r) => r.ms))),
        nodeMsRuns: inNode.map((r) => round(r.ms)),
        traceHash: b.traceHash,
        sameHash: inBrowser.every((r) => r.traceHash === n.traceHash) && inNode.every((r) => r.traceHash === n.traceHash),
      };
      if (!line.sameHash) exit = 3;
      process.stdout.write(
        args.values.json
          ? JSON.stringify(line) + '\n'
          : `${line.workload.padEnd(18)} ${line.scenario}: Chromium ${line.chromiumMs} ms (${line.chromiumNsPerTraceEvent} ns per trace event, ${line.traceEvents} events, runs ${line.chromiumMsRuns.join(' ')}), Node ${line.nodeMs} ms; trace hash ${line.traceHash} ${line.sameHash ? 'equal in both' : 'DIFFERS'}\n`,
      );
    }
  } finally {
    await browser.close();
  }
  return exit;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
