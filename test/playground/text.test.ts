// Descriptions as safe data (no HTML), and the one-line reading of trace events.
import { describe, expect, it } from 'vitest';
import { compactJson, describeEvent, describeThrown, formatBytes, formatMs, tagFamily } from '../../playground/src/lib/format.ts';
import { parseInline, parseMarkdownish } from '../../playground/src/lib/markdown.ts';

describe('parseMarkdownish', () => {
  it('splits paragraphs on blank lines and joins wrapped lines', () => {
    expect(parseMarkdownish('One\nline.\n\nTwo.')).toEqual([
      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'One line.' }] },
      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'Two.' }] },
    ]);
  });

  it('reads `code` and **strong** spans', () => {
    expect(parseInline('a `keyBy` is **not** free')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'code', text: 'keyBy' },
      { kind: 'text', text: ' is ' },
      { kind: 'strong', text: 'not' },
      { kind: 'text', text: ' free' },
    ]);
  });

  it('reads bullet lists, with a paragraph before them', () => {
    expect(parseMarkdownish('Watch:\n- the `map`\n- the sink\n  continued')).toEqual([
      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'Watch:' }] },
      {
        kind: 'list',
        items: [
          [{ kind: 'text', text: 'the ' }, { kind: 'code', text: 'map' }],
          [{ kind: 'text', text: 'the sink continued' }],
        ],
      },
    ]);
  });

  it('keeps markup as text, never as HTML', () => {
    const blocks = parseMarkdownish('<img src=x onerror=alert(1)> `<b>`');
    expect(blocks).toEqual([
      {
        kind: 'paragraph',
        inlines: [
          { kind: 'text', text: '<img src=x onerror=alert(1)> ' },
          { kind: 'code', text: '<b>' },
        ],
      },
    ]);
  });

  it('leaves an unclosed backtick as text', () => {
    expect(parseInline('a ` b')).toEqual([{ kind: 'text', text: 'a ` b' }]);
  });

  it('reads empty text as no blocks', () => {
    expect(parseMarkdownish('')).toEqual([]);
    expect(parseMarkdownish('\n\n  \n')).toEqual([]);
  });
});

describe('describeEvent', () => {
  it('names the task and lists the other fields', () => {
    expect(
      describeEvent({ tag: 'record.emitted', timeMs: 3, task: 'triple#0', operator: 'triple', value: { n: 1, v: 4 }, timestamp: 1000 }),
    ).toEqual({ timeMs: 3, tag: 'record.emitted', who: 'triple#0', details: 'value={"n":1,"v":4} timestamp=1000' });
  });

  it('keeps the operator when it is not the task vertex', () => {
    expect(describeEvent({ tag: 'record.emitted', timeMs: 0, task: 'numbers#0', operator: 'keep', value: 1, timestamp: null }).details).toBe(
      'operator=keep value=1',
    );
  });

  it('reads events it does not know', () => {
    expect(describeEvent({ tag: 'checkpoint.completed', timeMs: 1004, id: 1, sizeBytes: 512 })).toEqual({
      timeMs: 1004,
      tag: 'checkpoint.completed',
      who: '',
      details: 'id=1 sizeBytes=512',
    });
  });
});

describe('describeEvent, for checkpoints, faults and restarts', () => {
  it('names the checkpoint of a coordinator event, and leaves out savepoint=false', () => {
    expect(
      describeEvent({ tag: 'checkpoint.completed', timeMs: 1004, checkpoint: 1, savepoint: false, stateSize: 1584, checkpointedSize: 1584, durationMs: 4 }),
    ).toEqual({ timeMs: 1004, tag: 'checkpoint.completed', who: 'checkpoint 1', details: 'stateSize=1584 checkpointedSize=1584 durationMs=4' });
    expect(describeEvent({ tag: 'checkpoint.triggered', timeMs: 9, checkpoint: 4, savepoint: true, tasks: 2 }).who).toBe('savepoint 4');
  });

  it("leaves out a subtask's first attempt and shows a later one", () => {
    const barrier = { tag: 'barrier.aligned', timeMs: 3, task: 'counts#0', checkpoint: 1, alignmentMs: 1, unaligned: false };
    expect(describeEvent({ attempt: 1, ...barrier }).details).toBe('checkpoint=1 alignmentMs=1');
    expect(describeEvent({ attempt: 2, ...barrier }).details).toBe('attempt=2 checkpoint=1 alignmentMs=1');
  });

  it('names what a fault hit and the TaskManager of a TaskManager event', () => {
    expect(describeEvent({ tag: 'fault.injected', timeMs: 3500, fault: 'kill-task', target: 'counts#0', description: 'killed' })).toMatchObject({
      who: 'counts#0',
      details: 'fault=kill-task description=killed',
    });
    expect(describeEvent({ tag: 'taskmanager.status', timeMs: 5, taskManager: 'tm-1', status: 'LOST' }).who).toBe('tm-1');
  });

  it('lists restarted subtasks without quotes, and says when a restore had no checkpoint', () => {
    const tasks = ['a#0', 'b#0'];
    expect(describeEvent({ tag: 'job.restarting', timeMs: 3500, attempt: 1, delayMs: 500, cause: 'kill-task b#0', tasks }).details).toBe(
      'attempt=1 delayMs=500 cause=kill-task b#0 tasks=a#0,b#0',
    );
    expect(describeEvent({ tag: 'job.restored', timeMs: 4000, checkpoint: null, savepoint: false, tasks }).details).toBe('checkpoint=none tasks=a#0,b#0');
  });

  it('colours tags by family', () => {
    expect(['snapshot.taken', 'alignment.started', 'barrier.received', 'fault.injected', 'taskmanager.status', 'who.knows'].map(tagFamily)).toEqual([
      'checkpoint',
      'checkpoint',
      'barrier',
      'fault',
      'task',
      'other',
    ]);
  });
});

describe('formatting', () => {
  it('formats byte sizes: exact below 10 KiB, then binary units', () => {
    expect(formatBytes(985)).toBe('985 B');
    expect(formatBytes(1_584)).toBe('1,584 B');
    expect(formatBytes(20 * 1024 + 512)).toBe('20.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
  });

  it('cuts long JSON', () => {
    expect(compactJson({ a: 'x'.repeat(50) }, 20)).toBe('{"a":"xxxxxxxxxxxxx…');
    expect(compactJson([1, 'a', null])).toBe('[1,"a",null]');
  });

  it('formats virtual times', () => {
    expect(formatMs(12345)).toBe('12,345 ms');
    expect(formatMs(-5)).toBe('-5 ms');
    expect(formatMs(null)).toBe('—');
  });

  it('describes anything thrown', () => {
    expect(describeThrown(new RangeError('too far'))).toBe('RangeError: too far');
    expect(describeThrown(new Error('plain'))).toBe('plain');
    expect(describeThrown('text')).toBe('text');
  });
});
