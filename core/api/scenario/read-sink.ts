/**
 * A sink operator's `sink` description (CONTRACT 1.1): where the job's output goes and with
 * which guarantee. `print` and `at-least-once` write every record as it comes; a
 * `two-phase-commit` sink writes in transactions committed when checkpoints complete; a
 * `write-ahead-log` sink holds records in its state until their checkpoint completes, so
 * it needs checkpointing; an `idempotent` sink upserts rows of a table by a key.
 *
 * A sink's topic exists only in the log it writes to. Declaring it in `$.topics` (with no
 * records) chooses its number of partitions; otherwise it has one per sink subtask.
 */
import { compileExpression, ExprSyntaxError } from '../../expr/index.ts';
import { DEFAULT_TRANSACTION_TIMEOUT_MS } from '../../world/index.ts';
import { readMs } from './read-fault-tolerance.ts';
import { child, describe, type Obj, type Reader } from './reader.ts';
import type { SinkTargetSpec, TopicSpec } from './types.ts';

export const SINK_TYPES = ['print', 'two-phase-commit', 'write-ahead-log', 'idempotent', 'at-least-once'] as const;

const FIELDS: Record<(typeof SINK_TYPES)[number], readonly string[]> = {
  print: [],
  'two-phase-commit': ['topic', 'transactionTimeout'],
  'write-ahead-log': ['topic'],
  idempotent: ['table', 'key'],
  'at-least-once': ['topic'],
};

export interface SinkContext {
  readonly operatorId: string;
  readonly topics: Readonly<Record<string, TopicSpec>>;
  /** Whether `config.checkpointing` is set: a write-ahead log sends only on completed checkpoints. */
  readonly checkpointing: boolean;
}

/**
 * @example
 * readSink(r, { type: 'two-phase-commit', topic: 'out' }, '$.job.operators[3].sink', ctx)
 * // { type: 'two-phase-commit', topic: 'out', partitions: null, transactionTimeoutMs: 900000 }
 */
export function readSink(r: Reader, value: unknown, path: string, ctx: SinkContext): SinkTargetSpec | null {
  const sink = r.object(value, path, 'a sink description such as {"type": "print"}');
  if (sink === null) return null;
  const type = r.string(sink, 'type', path);
  if (type === null) return null;
  if (!(SINK_TYPES as readonly string[]).includes(type)) {
    r.issue(child(path, 'type'), `unknown sink type '${type}' (known: ${SINK_TYPES.join(', ')})`);
    return null;
  }
  const t = type as (typeof SINK_TYPES)[number];
  r.onlyKeys(sink, path, ['type', ...FIELDS[t]]);
  switch (t) {
    case 'print':
      return { type: t };
    case 'idempotent': {
      const table = readName(r, sink, 'table', path);
      const key = readKey(r, sink, path, ctx.operatorId);
      return table === null || key === null ? null : { type: t, table, key };
    }
    case 'two-phase-commit': {
      const topic = readTopic(r, sink, path, ctx);
      const timeout = readMs(r, sink, 'transactionTimeout', path, 1, DEFAULT_TRANSACTION_TIMEOUT_MS);
      return topic === null || timeout === null ? null : { type: t, topic: topic.name, partitions: topic.partitions, transactionTimeoutMs: timeout };
    }
    case 'write-ahead-log': {
      const topic = readTopic(r, sink, path, ctx);
      if (!ctx.checkpointing) {
        r.issue(child(path, 'type'), `a write-ahead-log sink sends a checkpoint's records when the checkpoint completes, so without checkpoints it never sends anything: set config.checkpointing`);
        return null;
      }
      return topic === null ? null : { type: t, topic: topic.name, partitions: topic.partitions };
    }
    case 'at-least-once': {
      const topic = readTopic(r, sink, path, ctx);
      return topic === null ? null : { type: t, topic: topic.name, partitions: topic.partitions };
    }
  }
}

function readName(r: Reader, obj: Obj, key: string, path: string): string | null {
  const value = obj[key];
  if (value === undefined) {
    r.issue(child(path, key), `missing required field '${key}'`);
    return null;
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    r.issue(child(path, key), `expected a name (a non-empty string of at most 200 characters), found ${describe(value)}`);
    return null;
  }
  return value;
}

function readTopic(r: Reader, obj: Obj, path: string, ctx: SinkContext): { name: string; partitions: number | null } | null {
  const name = readName(r, obj, 'topic', path);
  if (name === null) return null;
  const declared = Object.hasOwn(ctx.topics, name) ? ctx.topics[name]! : null;
  if (declared !== null && (declared.generator !== null || declared.records.some((p) => p.length > 0))) {
    r.issue(
      child(path, 'topic'),
      `sink '${ctx.operatorId}' writes to topic '${name}', which $.topics gives input records: an output topic is declared with "records": [] only, to choose its partitions`,
    );
    return null;
  }
  return { name, partitions: declared?.partitions ?? null };
}

function readKey(r: Reader, obj: Obj, path: string, operatorId: string): string | null {
  if (obj['key'] === undefined) {
    r.issue(child(path, 'key'), `an idempotent sink upserts rows by a key: give 'key', an expression over the record such as "key"`);
    return null;
  }
  const src = r.string(obj, 'key', path);
  if (src === null) return null;
  try {
    compileExpression(src);
    return src;
  } catch (e) {
    if (e instanceof ExprSyntaxError) {
      r.issue(child(path, 'key'), `operator '${operatorId}': expression does not parse: ${e.message}`);
      return null;
    }
    throw e;
  }
}
