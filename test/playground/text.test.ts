// Descriptions as safe data (no HTML), and the one-line reading of trace events.
import { describe, expect, it } from 'vitest';
import { compactJson, describeEvent, describeThrown, formatMs } from '../../playground/src/lib/format.ts';
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

describe('formatting', () => {
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
