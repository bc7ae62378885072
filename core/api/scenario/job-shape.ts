/**
 * Checks of the job as a graph rather than field by field: ids are unique, every `input`
 * names an existing operator, nothing reads from a sink, there are no cycles, windows and
 * process functions read a keyed stream, and the job has a source and a sink. These are
 * the mistakes that would otherwise surface as a job that silently does nothing.
 */
import { needsKey } from '../../operators/index.ts';
import type { Reader } from './reader.ts';
import type { OperatorSpec } from './types.ts';

/** Whether `op` reads two inputs, keyed (where keyed) by its own `key` list. */
export function isTwoInput(op: OperatorSpec): op is Extract<OperatorSpec, { type: 'connect' | 'intervalJoin' | 'windowJoin' | 'coGroup' }> {
  return op.type === 'connect' || op.type === 'intervalJoin' || op.type === 'windowJoin' || op.type === 'coGroup';
}

export function inputsOf(op: OperatorSpec): string[] {
  if (op.type === 'union' || isTwoInput(op)) return op.inputs;
  return 'input' in op ? [op.input] : [];
}

/**
 * `otherIds` are ids of operators that exist in the file but did not validate: inputs may
 * name them without a second, misleading "not an operator" issue.
 */
export function checkJobShape(r: Reader, operators: readonly OperatorSpec[], otherIds: ReadonlySet<string> = new Set()): void {
  const byId = new Map<string, OperatorSpec>();
  for (const op of operators) {
    if (byId.has(op.id)) r.issue(`${op.path}.id`, `duplicate operator id '${op.id}' (first used at ${byId.get(op.id)!.path})`);
    else byId.set(op.id, op);
  }
  let dangling = false;
  for (const op of operators) {
    const inputs = inputsOf(op);
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i]!;
      const where = 'inputs' in op ? `${op.path}.input[${i}]` : `${op.path}.input`;
      const from = byId.get(input);
      if (from === undefined && otherIds.has(input)) {
        dangling = true;
      } else if (from === undefined) {
        r.issue(where, `operator '${op.id}' reads from '${input}', which is not an operator of this job`);
        dangling = true;
      } else if (from.type === 'sink') {
        r.issue(where, `operator '${op.id}' reads from the sink '${input}'; a sink has no output`);
      } else if (input === op.id) {
        r.issue(where, `operator '${op.id}' reads from itself`);
        dangling = true;
      }
    }
  }
  if (dangling || otherIds.size > 0) return;
  const cycle = findCycle(operators, byId);
  if (cycle !== null) {
    const op = byId.get(cycle[0]!)!;
    r.issue(`${op.path}.input`, `the operators form a cycle: ${cycle.join(' -> ')}; a job is a directed acyclic graph`);
    return;
  }
  for (const op of operators) {
    if ((op.type === 'window' || op.type === 'process') && byId.get(op.input)?.type !== 'keyBy') {
      // A process without keyed state or timers is Flink's ProcessFunction: it needs no key.
      const keyedPart = op.type === 'process' ? needsKey(op.process) : null;
      if (op.type === 'process' && keyedPart === null) continue;
      const from = byId.get(op.input)!;
      const what = op.type === 'window' ? 'a window needs a keyed stream (for a window over the whole stream, use a windowAll)' : `${keyedPart} needs a keyed stream (keyed state and timers are per key)`;
      r.issue(`${op.path}.input`, `operator '${op.id}': ${what}, but its input '${from.id}' is a ${from.type}; put a keyBy between them`);
    }
  }
  for (const op of operators) {
    if (!isTwoInput(op)) continue;
    op.inputs.forEach((input, i) => {
      const from = byId.get(input)!;
      if (from.type !== 'keyBy') return;
      r.issue(
        `${op.path}.input[${i}]`,
        `operator '${op.id}' reads the keyBy '${from.id}', but a ${op.type} keys its inputs itself with "key": [EXPR, EXPR]; read '${from.input}' directly and give the key expression there`,
      );
    });
  }
  if (!operators.some((op) => op.type === 'sequence' || op.type === 'source')) {
    r.issue('$.job.operators', 'the job has no source: add a source or sequence operator');
  }
  if (!operators.some((op) => op.type === 'sink')) {
    r.issue('$.job.operators', 'the job has no sink: add {"type": "sink", "sink": {"type": "print"}}');
  }
}

function findCycle(operators: readonly OperatorSpec[], byId: Map<string, OperatorSpec>): string[] | null {
  const color = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const c = color.get(id);
    if (c === 'black') return null;
    if (c === 'grey') return [...stack.slice(stack.indexOf(id)), id];
    color.set(id, 'grey');
    stack.push(id);
    for (const input of inputsOf(byId.get(id)!)) {
      const found = visit(input);
      if (found !== null) return found;
    }
    stack.pop();
    color.set(id, 'black');
    return null;
  };
  for (const op of operators) {
    const found = visit(op.id);
    if (found !== null) return found.reverse();
  }
  return null;
}
