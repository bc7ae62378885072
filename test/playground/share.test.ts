// `#s=` links (CONTRACT section 4): the codec (base64url, raw DEFLATE, UTF-8) round-trips any
// JSON, agrees with Node's zlib on RFC 1951, and turns every hostile link into a sentence
// that names its problem; opening links and files in a session validates them as
// `weir validate` would, never overwrites what the person last opened, and a shared
// scenario runs to the trace hash Node gives it. Also the page's Content-Security-Policy.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulation, validateScenario } from '../../core/index.ts';
import { readScenarioFile, readScenarioText, readSharedLink, SHARED_PLACE } from '../../playground/src/lib/open-scenario.ts';
import {
  decodeShare,
  encodeShare,
  encodeShareText,
  fromBase64Url,
  inflateCapped,
  SHARE_MAX_BYTES,
  SHARE_MAX_CHARS,
  sharedAddress,
  sharedData,
  toBase64Url,
  withoutShared,
} from '../../playground/src/lib/share.ts';
import { Session, type SessionEnv } from '../../playground/src/session.svelte.ts';
import { openStorage } from '../../playground/src/storage/db.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const shipped = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`scenarios/${name}.json`, 'utf8')) as Record<string, unknown>;

describe('base64url', () => {
  it("writes RFC 4648's test vectors in the URL alphabet without padding", () => {
    const vectors: [string, string][] = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, coded] of vectors) {
      expect(toBase64Url(utf8(plain))).toBe(coded);
      expect(fromBase64Url(coded)).toEqual({ ok: true, value: utf8(plain) });
    }
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  fcTest.prop([fc.uint8Array({ maxLength: 300 })])('agrees with Node on any bytes, both ways', (bytes) => {
    expect(toBase64Url(bytes)).toBe(b64(bytes));
    expect(fromBase64Url(b64(bytes))).toEqual({ ok: true, value: bytes });
  });

  it('tolerates padding, and names the character that is not base64url', () => {
    expect(fromBase64Url('Zg==')).toEqual({ ok: true, value: utf8('f') });
    const plus = fromBase64Url('ab+c');
    expect(plus).toEqual({ ok: false, problem: expect.stringContaining('character 3 is “+”') as string });
    expect(plus.ok ? '' : plus.problem).toContain("plain base64's; base64url writes - and _");
    expect(fromBase64Url('ab c')).toEqual({ ok: false, problem: 'not base64url: character 3 is “ ”' });
    expect(fromBase64Url('ab\u0000c')).toEqual({ ok: false, problem: 'not base64url: character 3 is “U+0000”' });
    expect(fromBase64Url('abcde')).toEqual({ ok: false, problem: expect.stringContaining('5 characters cannot be whole bytes') as string });
  });
});

describe('the codec', () => {
  it('is the example of its documentation', () => {
    expect(encodeShare({ format: 'weir/scenario@1', name: 'x' })).toBe('q1ZKyy_KTSxRslIqT80s0i9OTs1LLMrMdzBU0lHKS8xNBUpUKNUCAA');
  });

  fcTest.prop([fc.jsonValue()])('round-trips any JSON value: decode(encode(v)) is v as JSON writes it', (value) => {
    const decoded = decodeShare(encodeShare(value));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(JSON.parse(decoded.value)).toEqual(JSON.parse(JSON.stringify(value)));
  });

  fcTest.prop([fc.string({ unit: 'grapheme', maxLength: 200 })])('round-trips any text, and Node’s zlib reads the same raw DEFLATE (RFC 1951) both ways', (text) => {
    const data = encodeShareText(text);
    expect(data).toMatch(/^[A-Za-z0-9_-]*$/);
    expect(decodeShare(data)).toEqual({ ok: true, value: text });
    expect(inflateRawSync(Buffer.from(data, 'base64url')).toString('utf8')).toBe(text);
    expect(decodeShare(b64(deflateRawSync(Buffer.from(text, 'utf8'))))).toEqual(text === '' ? { ok: true, value: '' } : { ok: true, value: text });
  });

  const names = ['hello-map-filter', 'late-data', 'exactly-once-vs-at-least-once', 'training/hourly-tips'];
  fcTest.prop([fc.constantFrom(...names), fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), fc.integer({ min: -1000, max: 1000 })])(
    'round-trips every shipped scenario with a changed name and seed, and opens it as valid',
    (name, title, seed) => {
      const scenario = { ...shipped(name), name: title, seed };
      const opened = readSharedLink(encodeShare(scenario));
      expect(opened).toEqual({ ok: true, data: JSON.parse(JSON.stringify(scenario)), text: JSON.stringify(scenario) });
    },
  );

  fcTest.prop([fc.string({ maxLength: 400 })])('never throws on any DATA: valid, or issues that name the link', (data) => {
    const opened = readSharedLink(data);
    if (!opened.ok) {
      expect(opened.issues.length).toBeGreaterThan(0);
      for (const issue of opened.issues) expect(issue.startsWith(`${SHARED_PLACE}: `)).toBe(true);
    }
  });

  fcTest.prop([fc.uint8Array({ maxLength: 400 })])('never throws on any bytes after base64url: a problem, or text', (bytes) => {
    const decoded = decodeShare(b64(bytes) || 'AA');
    expect(typeof (decoded.ok ? decoded.value : decoded.problem)).toBe('string');
  });
});

describe('hostile links each say what is wrong', () => {
  const issue = (data: string): string => {
    const opened = readSharedLink(data);
    if (opened.ok) throw new Error('opened');
    expect(opened.issues).toHaveLength(1);
    return opened.issues[0]!;
  };

  it('an empty link', () => {
    expect(issue('')).toBe(`${SHARED_PLACE}: the link holds no data after “#s=”`);
  });

  it('bad base64', () => {
    expect(issue('q1ZK/y8k')).toBe(`${SHARED_PLACE}: not base64url: character 5 is “/” (“/” is plain base64's; base64url writes - and _)`);
    expect(issue('%%%')).toContain('not base64url: character 1 is “%”');
  });

  it('bad deflate: a reserved block type, and a stream cut short', () => {
    expect(issue(toBase64Url(new Uint8Array([0xff, 0xff, 0xff])))).toBe(`${SHARED_PLACE}: not raw DEFLATE data (RFC 1951): invalid block type`);
    const whole = encodeShare(shipped('hello-map-filter'));
    expect(issue(whole.slice(0, whole.length - 12))).toBe(`${SHARED_PLACE}: not raw DEFLATE data (RFC 1951): it ends before its last block (cut short?)`);
    // zlib-wrapped (RFC 1950) is not raw: its header is not a valid raw block.
    expect(issue(b64(Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])))).toContain('not raw DEFLATE data');
  });

  it('a zip bomb: 64 MB of zeros in a link of about 90 KB stops at 5 MB with a clear message, quickly', () => {
    const bomb = toBase64Url(deflateRawSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 }));
    expect(bomb.length).toBeLessThan(100_000);
    const started = performance.now();
    expect(issue(bomb)).toBe(
      `${SHARED_PLACE}: the scenario is larger than 5 MB once decompressed (a link that inflates so much is not a lesson; Weir reads at most 5 MB)`,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    // The cap itself: exactly at it is read, one byte past it is not.
    const atCap = deflateRawSync(Buffer.alloc(SHARE_MAX_BYTES, 0x20));
    expect(inflateCapped(atCap).ok).toBe(true);
    expect(inflateCapped(deflateRawSync(Buffer.alloc(SHARE_MAX_BYTES + 1, 0x20))).ok).toBe(false);
  });

  it('a link longer than any browser keeps', () => {
    expect(issue('A'.repeat(SHARE_MAX_CHARS + 1))).toContain(`Weir reads at most ${SHARE_MAX_CHARS}`);
  });

  it('non-UTF-8: a lone continuation byte, an overlong form, a surrogate, each with its byte', () => {
    const bad = (bytes: number[]): string => issue(b64(deflateRawSync(Buffer.from(bytes))));
    expect(bad([0x7b, 0x22, 0x80, 0x22, 0x7d])).toBe(`${SHARED_PLACE}: not UTF-8 text: byte 3 (from 1) does not continue a character`);
    expect(bad([0x7b, 0xc0, 0xaf])).toContain('byte 2 (from 1)');
    expect(bad([0x20, 0xed, 0xa0, 0x80])).toContain('byte 3 (from 1)');
    expect(bad([0x20, 0x20, 0xe2, 0x82])).toContain('byte 3 (from 1)');
  });

  it('bad JSON, with its line and column', () => {
    expect(issue(encodeShareText('{\n  "format": "weir/scenario@1",\n  "name": "x",\n}'))).toBe(
      `${SHARED_PLACE}: $: not valid JSON: line 4, column 1: a trailing comma before '}' is not allowed in JSON`,
    );
    expect(issue(encodeShareText(''))).toBe(`${SHARED_PLACE}: $: not valid JSON: line 1, column 1: the text is empty: expected a JSON value`);
    expect(issue(encodeShareText('{"a": [1, 2'))).toContain('line 1, column 12');
  });

  it('a scenario nested too deep: the validator’s nesting limit, with the path', () => {
    const deep = `{"format": "weir/scenario@1", "name": "deep", "job": {"operators": []}, "x": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const text = issue(encodeShareText(deep));
    expect(text).toMatch(/^shared link \(#s=\): \$\.x(\[0\])+: nested more than 128 levels deep/);
  });

  it('JSON that is not a scenario: every issue as `weir validate` prints it, naming the link', () => {
    const opened = readSharedLink(encodeShare({ format: 'weir/scenario@2', job: { operators: [{ id: 'a', type: 'teleport' }] } }));
    expect(opened.ok).toBe(false);
    const expected = validateScenario({ format: 'weir/scenario@2', job: { operators: [{ id: 'a', type: 'teleport' }] } }, SHARED_PLACE);
    if (opened.ok || expected.ok) return;
    expect(opened.issues).toEqual(expected.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`));
    expect(opened.issues.length).toBeGreaterThan(1);
  });

  it('the text checks of a file too: a duplicate key', () => {
    const text = JSON.stringify(shipped('hello-map-filter')).replace('"seed":1', '"seed":1,"seed":2');
    const opened = readScenarioText(text, 'x.json');
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.issues.join('\n')).toMatch(/x\.json: \$\.seed: .*duplicate|x\.json: \$: .*seed/);
  });
});

describe('scenario files', () => {
  it('opens UTF-8 with or without a byte-order mark', () => {
    const text = JSON.stringify(shipped('hello-map-filter'));
    expect(readScenarioFile('a.json', utf8(text)).ok).toBe(true);
    expect(readScenarioFile('a.json', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)])).ok).toBe(true);
  });

  it('refuses Latin-1 text, a file over 5 MB and one that is not a scenario, naming the file', () => {
    expect(readScenarioFile('latin.json', new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x7d]))).toEqual({
      ok: false,
      issues: ['latin.json: not UTF-8 text: byte 4 (from 1) does not continue a character'],
    });
    expect(readScenarioFile('big.json', new Uint8Array(SHARE_MAX_BYTES + 1))).toEqual({
      ok: false,
      issues: ['big.json: the file is larger than 5 MB; Weir opens scenario files of at most that'],
    });
    const notScenario = readScenarioFile('list.json', utf8('[1, 2]'));
    expect(notScenario.ok ? [] : notScenario.issues[0]).toMatch(/^list\.json: \$: /);
  });
});

describe('the address', () => {
  it('reads DATA from the fragment, undoing percent-escapes a browser may add', () => {
    expect(sharedData('#s=q1ZK')).toBe('q1ZK');
    expect(sharedData('s=ab%2Dc')).toBe('ab-c');
    expect(sharedData('#s=bad%')).toBe('bad%');
    expect(sharedData('#t=1')).toBeNull();
    expect(sharedData('')).toBeNull();
  });

  it('writes `#s=` in place of scenario=NAME, keeping parameters it does not own', () => {
    expect(sharedAddress({ pathname: '/', search: '?scenario=a&x=1&seed=2' }, { data: 'q1ZK', seed: 3, runToEnd: true })).toBe('/?x=1&seed=3&run=end#s=q1ZK');
    expect(sharedAddress({ pathname: '/p/', search: '' }, { data: null, seed: -4, runToEnd: false })).toBe('/p/?seed=-4');
    expect(withoutShared('#s=abc')).toBe('');
    expect(withoutShared('#other')).toBe('#other');
  });
});

// ---------------------------------------------------------------------------------------
// In a session.

let counter = 0;
const sessions: Session[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.dispose();
});

/** A browser at `address` (`?search#hash`, or a path with them as Share gives it). */
function browserAt(link: string): { env: SessionEnv; urls: string[] } {
  const urls: string[] = [];
  const address = link.startsWith('/') ? link.slice(link.search(/[?#]|$/)) : link;
  const hashAt = address.indexOf('#');
  const location = { pathname: '/', search: hashAt < 0 ? address : address.slice(0, hashAt), hash: hashAt < 0 ? '' : address.slice(hashAt) };
  let clock = 0;
  const env: SessionEnv = {
    location,
    history: {
      replaceState(_data, _unused, url) {
        if (typeof url !== 'string') return;
        urls.push(url);
        const at = url.indexOf('#');
        location.search = url.slice(url.indexOf('?'), at < 0 ? undefined : at);
        location.hash = at < 0 ? '' : url.slice(at);
      },
    },
    indexedDB,
    now: () => (clock += 1),
    pause: () => Promise.resolve(),
  };
  return { env, urls };
}

function sessionAt(address: string, dbName = `weir-test-share-${++counter}`): { s: Session; urls: string[]; env: SessionEnv } {
  const browser = browserAt(address);
  const s = new Session({ env: browser.env, dbName });
  sessions.push(s);
  return { s, urls: browser.urls, env: browser.env };
}

function nodeHash(scenario: unknown, seed: number): string {
  const checked = validateScenario(scenario, 'x.json');
  if (!checked.ok) throw new Error('not valid');
  const sim = createSimulation({ scenario: checked.scenario, seed });
  sim.run();
  return sim.report().traceHash;
}

/** hello-map-filter with its map changed: a scenario that is not shipped. */
function changedHello(): Record<string, unknown> {
  const scenario = shipped('hello-map-filter');
  const job = scenario['job'] as { operators: Record<string, unknown>[] };
  const triple = job.operators.find((o) => o['type'] === 'map')!;
  triple['expr'] = '{n: $, v: $ * 5 + 2}';
  return { ...scenario, name: 'Hello, changed' };
}

describe('a session opened on a `#s=` link', () => {
  it('opens the shared scenario, runs it on run=end to the hash Node gives it, and keeps it in the address', async () => {
    const scenario = changedHello();
    const data = encodeShare(scenario);
    const { s, urls } = sessionAt(`?seed=4&run=end#s=${data}`);
    await s.start();
    expect(s.openProblems).toBeNull();
    expect(s.shared?.data).toEqual(scenario);
    expect(s.entry).toBe(s.shared);
    expect(s.entry?.file).toBe('shared.json');
    const outcome = s.outcome;
    expect(outcome?.kind).toBe('done');
    if (outcome?.kind !== 'done') return;
    expect(outcome.run.report.traceHash).toBe(nodeHash(scenario, 4));
    expect(outcome.run.report.traceHash).not.toBe(nodeHash(shipped('hello-map-filter'), 4));
    expect(urls.at(-1)).toBe(`/?seed=4&run=end#s=${data}`);
  });

  it('never saves a shared scenario as the last opened one: the saved one stays', async () => {
    const dbName = `weir-test-share-${++counter}`;
    const opened = await openStorage({ indexedDB, name: dbName });
    if (!opened.ok) throw new Error(opened.message);
    await opened.storage.saveLastOpened({ scenario: 'late-data', seed: 9 });
    opened.storage.close();
    const { s } = sessionAt(`?seed=2#s=${encodeShare(changedHello())}`, dbName);
    await s.start();
    s.setSeedText('3');
    await s.whenSaved();
    const again = await openStorage({ indexedDB, name: dbName });
    if (!again.ok) throw new Error(again.message);
    expect(await again.storage.loadLastOpened()).toEqual({ scenario: 'late-data', seed: 9 });
    again.storage.close();
  });

  it('shows the problems of a hostile link and opens what it would have opened (the saved scenario)', async () => {
    const dbName = `weir-test-share-${++counter}`;
    const opened = await openStorage({ indexedDB, name: dbName });
    if (!opened.ok) throw new Error(opened.message);
    await opened.storage.saveLastOpened({ scenario: 'late-data', seed: 9 });
    opened.storage.close();
    const { s } = sessionAt('?run=end#s=q1ZK/y8k', dbName);
    await s.start();
    expect(s.openProblems).toEqual({ source: 'link', place: SHARED_PLACE, issues: [expect.stringContaining('not base64url') as string] });
    expect(s.shared).toBeNull();
    expect([s.scenarioName, s.seedText]).toEqual(['late-data', '9']);
    expect(s.outcome).toBeNull();
    expect(s.canRun).toBe(true);
  });

  it('an invalid scenario in a link is shown, never opened or run', async () => {
    const { s } = sessionAt(`?run=end#s=${encodeShare({ format: 'weir/scenario@1', name: 'bad', job: { operators: [{ id: 'x', type: 'map', input: 'nowhere', expr: 'a +' }] } })}`);
    await s.start();
    expect(s.openProblems?.issues.length).toBeGreaterThan(0);
    expect(s.openProblems?.issues.every((i) => i.startsWith(`${SHARED_PLACE}: $.`))).toBe(true);
    expect(s.scenarioName).toBe('hello-map-filter');
    expect(s.outcome).toBeNull();
  });

  it('the picker goes back to a shipped scenario (the address drops `#s=`) and to the shared one again', async () => {
    const { s, urls } = sessionAt(`?seed=1#s=${encodeShare(changedHello())}`);
    await s.start();
    const sharedName = s.scenarioName;
    s.pick('late-data');
    expect(s.entry?.name).toBe('late-data');
    expect(urls.at(-1)).toMatch(/^\/\?scenario=late-data&seed=\d+$/);
    s.pick(sharedName);
    expect(s.entry).toBe(s.shared);
    expect(urls.at(-1)).toContain('#s=');
  });
});

describe('Share and Open file in a session', () => {
  it('Share gives the link of what Run runs (edits and added faults in it); opening it runs to the same hash', async () => {
    const { s } = sessionAt('?scenario=hello-map-filter&seed=6');
    await s.start();
    const link = s.shareLink();
    expect(link).toMatch(/^\/\?seed=6&run=end#s=[A-Za-z0-9_-]+$/);
    const opened = readSharedLink(link!.slice(link!.indexOf('#s=') + 3));
    expect(opened.ok && opened.data).toEqual(s.runData);

    const other = sessionAt(link!);
    await other.s.start();
    const outcome = other.s.outcome;
    expect(outcome?.kind === 'done' ? outcome.run.report.traceHash : null).toBe(nodeHash(shipped('hello-map-filter'), 6));
  });

  it('a fault added from the page travels in the Share link, and the link runs to the hash of the run with it', async () => {
    const { s } = sessionAt('?scenario=hello-map-filter&seed=2&run=end');
    await s.start();
    s.transport.seek(5);
    await s.breakAt('kill-task', 'numbers#0');
    expect(s.outcome?.kind).toBe('done');
    const link = s.shareLink()!;
    const opened = readSharedLink(link.slice(link.indexOf('#s=') + 3));
    expect(opened.ok && (opened.data as { faults?: unknown[] }).faults).toEqual([{ type: 'kill-task', operator: 'numbers', subtask: 0, at: 5 }]);
    const other = sessionAt(link);
    await other.s.start();
    const [mine, theirs] = [s.outcome, other.s.outcome];
    expect(theirs?.kind === 'done' && mine?.kind === 'done' && theirs.run.report.traceHash === mine.run.report.traceHash).toBe(true);
    expect(other.s.addedFaults).toEqual([]);
  });

  it('opens a valid file (not saved as last opened), refuses an invalid one with its name and keeps the open scenario', async () => {
    const { s, urls } = sessionAt('?scenario=late-data&seed=3');
    await s.start();
    expect(s.openFile('mine.json', new Uint8Array([0x7b, 0x7d]))).toBe(false);
    expect(s.openProblems?.place).toBe('mine.json');
    expect(s.openProblems?.issues.every((i) => i.startsWith('mine.json: '))).toBe(true);
    expect(s.scenarioName).toBe('late-data');

    const scenario = changedHello();
    expect(s.openFile('mine.json', utf8(JSON.stringify(scenario, null, 2)))).toBe(true);
    expect(s.openProblems).toBeNull();
    expect(s.entry?.file).toBe('mine.json');
    expect(s.canRun).toBe(true);
    expect(urls.at(-1)).toBe(`/?seed=${scenario['seed'] as number}#s=${encodeShare(scenario)}`);
    await s.run();
    expect(s.outcome?.kind === 'done' ? s.outcome.run.report.traceHash : null).toBe(nodeHash(scenario, scenario['seed'] as number));
    await s.whenSaved();
    expect(s.saved).toEqual({ scenario: 'late-data', seed: 3 });
  });

  it('follows a `#s=` link pasted into the address bar of the open page', async () => {
    const { s, env } = sessionAt('?scenario=late-data&seed=3');
    await s.start();
    const scenario = changedHello();
    (env.location as { search: string }).search = '?seed=8&run=end';
    await s.followLink(`#s=${encodeShare(scenario)}`);
    expect(s.shared?.data).toEqual(scenario);
    expect(s.outcome?.kind === 'done' ? s.outcome.run.report.traceHash : null).toBe(nodeHash(scenario, 8));
    await s.followLink('#s=!!');
    expect(s.openProblems?.issues[0]).toContain('not base64url');
    expect(s.shared?.data).toEqual(scenario);
  });
});

describe("the page's Content-Security-Policy", () => {
  const html = readFileSync('playground/index.html', 'utf8');
  const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

  it('runs only the page’s own scripts: no inline script, no eval, no other origin', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(policy).not.toContain('unsafe-eval');
    for (const [name, values] of directives) if (name.startsWith('script') || name === 'worker-src') expect(values).not.toContain("'unsafe-inline'");
  });

  it('comes before anything the page loads, and the page has no inline script', () => {
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=/);
  });
});
