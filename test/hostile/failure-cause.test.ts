// A job whose operators are chained into one task says which operator of the chain failed,
// not only the task: the task `lines#0` runs four operators.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimulation, formatIssue, validateScenario } from '../../core/index.ts';

function failureOf(failing: Record<string, unknown>): { cause: string | null; taskCause: string } {
  const result = validateScenario(
    {
      format: 'weir/scenario@1',
      name: 'chained failure',
      config: { restartStrategy: { type: 'none' } },
      job: {
        operators: [
          { id: 'lines', type: 'sequence', items: [{ value: { a: 1 }, timestamp: 1 }] },
          { id: 'parse', type: 'map', input: 'lines', expr: '{b: a}' },
          { id: 'boom', input: 'parse', ...failing },
          { id: 'out', type: 'sink', input: 'boom', sink: { type: 'print' } },
        ],
      },
    },
    'f.json',
  );
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  const failed = sim.trace.events.find((e) => e.tag === 'task.status' && e.status === 'FAILED') as { cause: string } | undefined;
  return { cause: sim.report().failureCause, taskCause: failed?.cause ?? '' };
}

describe('a failure in a chain names the operator', () => {
  it('a map whose expression fails', () => {
    const { cause, taskCause } = failureOf({ type: 'map', expr: 'missing + 1' });
    expect(taskCause).toBe("operator 'boom' failed: record has no field 'missing' (its fields: b)");
    expect(cause).toMatch(/^lines#0 failed: operator 'boom' failed: record has no field/);
  });

  it('a filter, and a flatMap whose result is not a list', () => {
    expect(failureOf({ type: 'filter', expr: 'b.c' }).taskCause).toMatch(/^operator 'boom' failed: cannot read field 'c'/);
    expect(failureOf({ type: 'flatMap', expr: 'b' }).taskCause).toBe("operator 'boom' failed: a flatMap function must return a list, it returned number");
  });
});

it('a two-phase-commit sink whose transaction the log aborted (transactionTimeout, no checkpoint yet) fails its task, as a fenced Kafka producer does', () => {
  const scenario = JSON.parse(readFileSync(new URL('../../scenarios/transaction-timeout-loses-data.json', import.meta.url), 'utf8')) as Record<string, unknown> & { config: { checkpointing: { interval: number } } };
  // Found by the fuzz test: with no checkpoint for 2^31 ms the transaction outlives its 2000 ms timeout.
  scenario.config.checkpointing.interval = 2 ** 31;
  delete scenario['expect'];
  const result = validateScenario(scenario, 'f.json');
  if (!result.ok) throw new Error(result.issues.map(formatIssue).join('\n'));
  const sim = createSimulation({ scenario: result.scenario });
  sim.run();
  const report = sim.report();
  expect(report.restarts[0]?.cause).toMatch(/failed: operator 'out' failed: ProducerFencedError: producer 'out-0-1' with epoch 0 is fenced/);
  expect(report.status).toBe('FINISHED');
});
