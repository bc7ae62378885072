// The views rendered on the server side of Svelte: the trace list's cap, tables of sink
// records, and descriptions that stay text.
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Description from '../../playground/src/components/Description.svelte';
import OutputTable from '../../playground/src/components/OutputTable.svelte';
import TraceList from '../../playground/src/components/TraceList.svelte';

const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe('TraceList', () => {
  const events = Array.from({ length: 5_000 }, (_, i) =>
    i % 2 === 0
      ? { tag: 'record.emitted', timeMs: i, task: 'map#0', operator: 'map', value: { i }, timestamp: i }
      : { tag: 'watermark.advanced', timeMs: i, task: 'map#0', operator: 'map', watermark: i },
  );

  it('renders at most maxRows events and says how many more there are', () => {
    const { body } = render(TraceList, { props: { events, maxRows: 2_000 } });
    expect(count(body, 'data-testid="trace-row"')).toBe(2_000);
    expect(body).toContain('Showing the first 2,000 of 5,000 events; 3,000 more');
    expect(body).toContain('record.emitted (2,500)');
  });

  it('renders every event of a small trace, with no note', () => {
    const { body } = render(TraceList, { props: { events: events.slice(0, 10) } });
    expect(count(body, 'data-testid="trace-row"')).toBe(10);
    expect(body).not.toContain('data-testid="trace-more"');
  });
});

describe('OutputTable', () => {
  it('shows each record as its fields, the exact JSON in a tooltip, with its timestamp, capped', () => {
    const committed = Array.from({ length: 30 }, (_, i) => ({ value: { n: i * 1000, s: '<b>' }, timestamp: i * 1000 }));
    const { body } = render(OutputTable, { props: { kind: 'sink', id: 'out', committed, maxRows: 25 } });
    expect(count(body, 'data-testid="output-row"')).toBe(25);
    expect(body).toMatch(/<span class="name[^"]*">n<\/span> <code[^>]*>2,000<\/code>/);
    expect(body).toMatch(/<span class="name[^"]*">s<\/span> <code[^>]*>&lt;b><\/code>/);
    expect(body).toContain('title="{&quot;n&quot;:2000,&quot;s&quot;:&quot;&lt;b>&quot;}"');
    expect(body).toMatch(/<td class="ts[^"]*"[^>]*>2,000<\/td>/);
    expect(body).toContain('30 records');
    expect(body).toContain('5 more');
  });

  it('shows uncommitted records apart when the sink has them', () => {
    const { body } = render(OutputTable, {
      props: { kind: 'sink', id: 'tx', committed: [{ value: 1, timestamp: 1 }], uncommitted: [{ value: 2, timestamp: null }] },
    });
    expect(body).toMatch(/<h4[^>]*>uncommitted<\/h4>/);
    expect(count(body, 'data-testid="output-row"')).toBe(2);
  });
});

describe('Description', () => {
  it('renders code spans as code and markup as text', () => {
    const { body } = render(Description, { props: { text: 'Uses `keyBy`.\n\n<script>alert(1)</script>' } });
    expect(body).toMatch(/<code[^>]*>keyBy<\/code>/);
    expect(body).not.toContain('<script>');
    expect(body).toContain('&lt;script>alert(1)&lt;/script>');
  });
});
