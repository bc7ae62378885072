/**
 * Opening a scenario that is not shipped: a `#s=` link or a file from the person's disk.
 * Both take the path a file takes through `weir validate`: JSON (a syntax error says its
 * line and column), then the text checks and the validator of `parseScenarioText`, with
 * issues formatted as the CLI prints them and named after the place the scenario came
 * from. Nothing in it is run before it has passed; an invalid one is only ever shown.
 */
import { formatIssue, parseScenarioText } from '../../../core/index.ts';
import { parseJsonText } from './json-text.ts';
import { decodeShare, decodeUtf8, SHARE_MAX_BYTES } from './share.ts';

/** How messages name a scenario that came in a link. */
export const SHARED_PLACE = 'shared link (#s=)';

export type Opened = { ok: true; data: unknown; text: string } | { ok: false; issues: string[] };

/**
 * Validates a scenario's JSON text as `weir validate` would the file `place`.
 * @example readScenarioText('{"format": 1}', 'a.json') // { ok: false, issues: ['a.json: $.format: …', …] }
 */
export function readScenarioText(text: string, place: string): Opened {
  const parsed = parseJsonText(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.problem;
    return { ok: false, issues: [`${place}: $: not valid JSON: line ${line}, column ${column}: ${message}`] };
  }
  let checked: ReturnType<typeof parseScenarioText>;
  try {
    checked = parseScenarioText(text, place);
  } catch (error) {
    return { ok: false, issues: [`${place}: $: the validator failed: ${error instanceof Error ? error.message : String(error)}`] };
  }
  return checked.ok ? { ok: true, data: parsed.value, text } : { ok: false, issues: checked.issues.map(formatIssue) };
}

/** Opens `#s=DATA`: decoded (each problem of the link named), then validated. */
export function readSharedLink(data: string, place: string = SHARED_PLACE): Opened {
  const decoded = decodeShare(data);
  if (!decoded.ok) return { ok: false, issues: [`${place}: ${decoded.problem}`] };
  return readScenarioText(decoded.value, place);
}

/** Opens a file's bytes (its name is the place): UTF-8, at most 5 MB, then validated. */
export function readScenarioFile(name: string, bytes: Uint8Array): Opened {
  if (bytes.length > SHARE_MAX_BYTES) {
    return { ok: false, issues: [`${name}: the file is larger than ${SHARE_MAX_BYTES / (1024 * 1024)} MB; Weir opens scenario files of at most that`] };
  }
  const text = decodeUtf8(bytes);
  if (!text.ok) return { ok: false, issues: [`${name}: ${text.problem}`] };
  return readScenarioText(text.value, name);
}

/** The file a shared link's scenario is named as once open (in `weir run FILE`, and in issues of its drafts). */
export const SHARED_FILE = 'shared.json';

/**
 * A short key for a scenario's text (FNV-1a, 32 bits, in hex): two different links or files
 * open under different names, so their drafts never mix.
 * @example scenarioKey('{}') // '5465b825'
 */
export function scenarioKey(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
