// `weir check FILE`: the exactly-once property check (CONTRACT 2.1). The campaign itself is
// core/campaign; this file is its shell: it reads the file, splits the runs across worker
// threads (cli/check-worker.ts) when asked, shrinks the first violation, writes the
// counterexample, prints the summary or the weir/check@1 line, and picks the exit code.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Campaign, CampaignInputError, canonicalJson, type CampaignResult, type OracleExample, type RunOutcome } from '../core/index.ts';
import type { Command } from './args.ts';
import type { FromWorker, ToWorker } from './check-protocol.ts';
import { refuseUnwritable, writeOutputFile } from './output-file.ts';
import { InvalidInput, loadScenarioFile } from './scenario-file.ts';

type CheckCommand = Extract<Command, { name: 'check' }>;

/** The contract's line (CONTRACT 2.1), with Weir's additions after its fields. */
export interface CheckLine {
  format: 'weir/check@1';
  runs: number;
  violated: boolean;
  lost: number;
  duplicated: number;
  unexpected: number;
  faults: number;
  shrinkSteps: number;
  counterexample: string | null;
  seed: number;
  maxFaults: number;
  plan: unknown[] | null;
  coverage: CampaignResult['coverage'];
  elapsedMs: number;
}

export async function runCheck(command: CheckCommand): Promise<number> {
  loadScenarioFile(command.file); // invalid input: exit 2, with every issue
  // Before the campaign, not after it: a counterexample that cannot be written is found in vain.
  refuseUnwritable('weir check', '--out', command.out);
  const input: unknown = JSON.parse(readFileSync(command.file, 'utf8'));
  const options = { runs: command.runs, seed: command.seed, maxFaults: command.maxFaults };
  const started = performance.now();
  let campaign: Campaign;
  try {
    campaign = new Campaign(input, command.file, options);
  } catch (e) {
    if (e instanceof CampaignInputError) throw new InvalidInput(e.lines.map((l) => `weir check: ${l}`));
    throw e;
  }
  const progress = new Progress(campaign.runs, !command.json && process.stderr.isTTY === true);
  const workers = Math.min(command.workers, campaign.runs);
  const outcomes = workers <= 1 ? serial(campaign, progress) : await parallel(campaign, input, command.file, options, workers, progress);
  const first = outcomes.filter((o) => o.violated).reduce<number | null>((m, o) => (m === null || o.index < m ? o.index : m), null);
  progress.done(first !== null ? 'shrinking…' : '');
  const shrunk = first === null ? null : campaign.shrink(first);
  const result = campaign.result(outcomes, shrunk);
  progress.clear();
  if (result.counterexample !== null) writeOutputFile('weir check', '--out', command.out, JSON.stringify(result.counterexample, null, 2) + '\n');
  const line: CheckLine = {
    format: 'weir/check@1',
    runs: result.runs,
    violated: result.violated,
    lost: result.lost,
    duplicated: result.duplicated,
    unexpected: result.unexpected,
    faults: result.faults,
    shrinkSteps: result.shrinkSteps,
    counterexample: result.violated ? command.out : null,
    seed: result.seed,
    maxFaults: result.maxFaults,
    plan: result.violation?.shrunk ?? null,
    coverage: result.coverage,
    elapsedMs: Math.round(performance.now() - started),
  };
  process.stdout.write(command.json ? JSON.stringify(line) + '\n' : summary(command, result, line));
  return result.violated ? 3 : 0;
}

function serial(campaign: Campaign, progress: Progress): RunOutcome[] {
  const outcomes: RunOutcome[] = [];
  for (let i = 0; i < campaign.runs; i++) {
    const o = campaign.runIndex(i);
    outcomes.push(o);
    progress.tick(1);
    if (o.violated) break;
  }
  return outcomes;
}

/**
 * Runs the campaign's indices on `count` worker threads, in chunks handed out in index
 * order. Once a run violates, no chunk beyond it is handed out, but the chunks before it
 * finish: the answer is the lowest violating index, whatever the number of workers.
 */
async function parallel(campaign: Campaign, input: unknown, file: string, options: { runs: number; seed: number; maxFaults: number }, count: number, progress: Progress): Promise<RunOutcome[]> {
  const chunk = Math.max(1, Math.min(50, Math.ceil(campaign.runs / (count * 4))));
  const outcomes: RunOutcome[] = [];
  let next = 0;
  let firstViolation = Number.POSITIVE_INFINITY;
  const url = new URL('./check-worker.mjs', import.meta.url);
  const run = (worker: Worker): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const send = (): void => {
        if (next >= campaign.runs || next > firstViolation) {
          resolve();
          return;
        }
        const from = next;
        next = Math.min(campaign.runs, next + chunk);
        worker.postMessage({ type: 'chunk', from, to: next } satisfies ToWorker);
      };
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            send();
            return;
          case 'chunk-done':
            outcomes.push(...message.outcomes);
            progress.tick(message.outcomes.length);
            for (const o of message.outcomes) if (o.violated) firstViolation = Math.min(firstViolation, o.index);
            send();
            return;
          case 'error':
            reject(new Error(message.message));
            return;
        }
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0) reject(new Error(`a weir check worker exited with code ${code}`));
      });
      worker.postMessage({ type: 'init', input, file, options } satisfies ToWorker);
    });
  const threads = Array.from({ length: count }, () => new Worker(url));
  try {
    await Promise.all(threads.map(run));
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  return outcomes;
}

/** A progress bar on stderr, only when stderr is a terminal. */
class Progress {
  #done = 0;
  #drawnAt = 0;
  constructor(
    private readonly total: number,
    private readonly enabled: boolean,
  ) {}
  tick(n: number): void {
    this.#done += n;
    if (!this.enabled) return;
    const now = performance.now();
    if (now - this.#drawnAt < 50 && this.#done < this.total) return;
    this.#drawnAt = now;
    this.#draw('');
  }
  done(note: string): void {
    if (this.enabled) this.#draw(note);
  }
  clear(): void {
    if (this.enabled) process.stderr.write('\r\x1b[K');
  }
  #draw(note: string): void {
    const width = 30;
    const filled = Math.round((width * Math.min(this.#done, this.total)) / this.total);
    process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.#done}/${this.total} runs ${note}`);
  }
}

const record = (r: { value: unknown; timestamp: number | null }): string => `${canonicalJson(r.value as never)} @${r.timestamp ?? '-'}`;

function example(e: OracleExample): string {
  switch (e.kind) {
    case 'lost':
      return `lost ${record(e.record)}${e.copies > 1 ? ` (${e.copies} copies)` : ''}`;
    case 'duplicated':
      return `duplicated ${record(e.record)} (${e.copies} extra ${e.copies === 1 ? 'copy' : 'copies'})`;
    case 'unexpected':
      return `unexpected ${record(e.record)}${e.copies > 1 ? ` (${e.copies} times)` : ''}`;
    case 'lost-row':
      return `lost row ${JSON.stringify(e.key)}: ${canonicalJson(e.expected!)}`;
    case 'unexpected-row':
      return e.expected === null ? `unexpected row ${JSON.stringify(e.key)}: ${canonicalJson(e.found!)}` : `row ${JSON.stringify(e.key)} is ${canonicalJson(e.found!)}, expected ${canonicalJson(e.expected)}`;
  }
}

function describeFault(f: Record<string, unknown>): string {
  const when = f['at'] !== undefined ? ` at ${String(f['at'])} ms` : f['afterRecords'] !== undefined ? ` after ${String(f['afterRecords'])} records` : '';
  const rest = Object.entries(f)
    .filter(([k]) => !['type', 'at', 'afterRecords'].includes(k))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `${String(f['type'])}${rest ? ` ${rest}` : ''}${when}`;
}

/**
 * Faults planned / fired per type and crash point, in the campaign's runs; after a violation
 * also in the shrink's, a column of its own: the counterexample's faults fired there, and a
 * table of the campaign's runs alone would say they never fired.
 */
function coverageTable(coverage: CampaignResult['coverage'], runs: number): string[] {
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const shrink = coverage.shrink;
  const cell = (c: { planned: number; fired: number } | undefined): string => (c === undefined ? '' : `${String(c.planned).padStart(5)} / ${String(c.fired).padEnd(5)}`);
  const rows = [
    ...Object.entries(coverage.types).map(([t, c]) => [t, c, shrink?.types[t]] as const),
    ...Object.entries(coverage.points).map(([p, c]) => [`  crash-at:${p}`, c, shrink?.points[p]] as const),
  ];
  const width = Math.max(...rows.map(([k]) => k.length), 10);
  if (shrink === null) return [`coverage (faults planned / fired, in the ${plural(runs, 'campaign run')}):`, ...rows.map(([k, c]) => `  ${k.padEnd(width)}  ${cell(c)}`)];
  return [
    `coverage (faults planned / fired, in the ${plural(runs, 'campaign run')} and in the ${plural(shrink.runs, 'run')} of the shrink):`,
    // Each heading centred on the '/' of its column.
    `  ${''.padEnd(width)}    campaign        shrink`,
    ...rows.map(([k, c, s]) => `  ${k.padEnd(width)}  ${cell(c)}  ${cell(s)}`.trimEnd()),
  ];
}

function summary(command: CheckCommand, result: CampaignResult, line: CheckLine): string {
  const out: string[] = [];
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  out.push(`weir check ${command.file}: ${plural(result.runs, 'run')} of at most ${plural(result.maxFaults, 'fault')}, seed ${result.seed} (${(line.elapsedMs / 1000).toFixed(1)} s)`);
  const v = result.violation;
  if (v === null) {
    out.push(`held: every run committed exactly the fault-free run's output and FINISHED`);
  } else {
    const verdict = v.run.verdict;
    out.push(`VIOLATED at run ${v.index} (a plan of ${plural(v.drawn.length, 'fault')}); shrunk in ${plural(v.shrinkSteps, 'step')} (${plural(v.shrinkRuns, 'run')}) to ${plural(v.shrunk.length, 'fault')}:`);
    v.shrunk.forEach((f, i) => out.push(`  $.faults[${i}]  ${describeFault(f as Record<string, unknown>)}`));
    // A job that gave up (out of restarts) lost nothing by a sink's fault: say that first, then what it had committed.
    if (verdict.statusViolation) out.push(`the job did not finish: ${verdict.statusViolation}; compared with the fault-free run, what it had committed by then:`);
    out.push(`lost ${verdict.lost}, duplicated ${verdict.duplicated}, unexpected ${verdict.unexpected}`);
    for (const d of verdict.differences) {
      out.push(`  ${d.kind} ${d.name}: lost ${d.lost}, duplicated ${d.duplicated}, unexpected ${d.unexpected}`);
      for (const e of d.examples.slice(0, 3)) out.push(`    ${example(e)}`);
    }
    out.push(`counterexample: ${command.out} (weir run ${command.out} reproduces it and exits 3)`);
  }
  out.push(...coverageTable(result.coverage, result.runs));
  if (result.coverage.neverFired.length > 0) out.push(`never fired: ${result.coverage.neverFired.join(', ')}`);
  for (const n of result.coverage.notApplicable) out.push(`not applicable: ${n.type} (${n.reason})`);
  return out.join('\n') + '\n';
}
