/**
 * Scenario descriptions are "markdown-ish" text written by teachers. The playground shows
 * paragraphs, bullet lists, `code` and **strong** text, and nothing else: the text is
 * turned into plain data here and rendered as text nodes, never as HTML, so a scenario
 * file cannot inject markup or script into the page.
 */

export type Inline = { kind: 'text'; text: string } | { kind: 'code'; text: string } | { kind: 'strong'; text: string };

export type Block = { kind: 'paragraph'; inlines: Inline[] } | { kind: 'list'; items: Inline[][] };

/** Limits so that a huge description cannot stall the page. */
const MAX_CHARS = 20_000;

const BULLET = /^\s*[-*]\s+/;

/**
 * @example
 * parseMarkdownish('Doubles `v`.\n\n- keeps odd values');
 * // [{ kind: 'paragraph', inlines: [text 'Doubles ', code 'v', text '.'] },
 * //  { kind: 'list', items: [[text 'keeps odd values']] }]
 */
export function parseMarkdownish(source: string): Block[] {
  const text = source.length > MAX_CHARS ? `${source.slice(0, MAX_CHARS)}…` : source;
  const blocks: Block[] = [];
  const chunks = text.replace(/\r\n?/g, '\n').split(/\n\s*\n/);
  for (const chunk of chunks) {
    const lines = chunk.split('\n').filter((line) => line.trim() !== '');
    if (lines.length === 0) continue;
    let paragraph: string[] = [];
    let items: string[] = [];
    const flushParagraph = (): void => {
      if (paragraph.length > 0) blocks.push({ kind: 'paragraph', inlines: parseInline(paragraph.join(' ')) });
      paragraph = [];
    };
    const flushList = (): void => {
      if (items.length > 0) blocks.push({ kind: 'list', items: items.map(parseInline) });
      items = [];
    };
    for (const line of lines) {
      if (BULLET.test(line)) {
        flushParagraph();
        items.push(line.replace(BULLET, '').trim());
      } else if (items.length > 0 && /^\s+/.test(line)) {
        // An indented line continues the previous bullet.
        items[items.length - 1] += ` ${line.trim()}`;
      } else {
        flushList();
        paragraph.push(line.trim());
      }
    }
    flushParagraph();
    flushList();
  }
  return blocks;
}

/** Splits one paragraph into text, `code` spans and **strong** spans. */
export function parseInline(text: string): Inline[] {
  const inlines: Inline[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match.index > last) inlines.push({ kind: 'text', text: text.slice(last, match.index) });
    if (match[1] !== undefined) inlines.push({ kind: 'code', text: match[1] });
    else if (match[2] !== undefined) inlines.push({ kind: 'strong', text: match[2] });
    last = match.index + match[0].length;
  }
  if (last < text.length) inlines.push({ kind: 'text', text: text.slice(last) });
  return inlines;
}
