/**
 * Validation issues for a narrow panel: a JSON path of many steps (`$.a.a.a…`, 128 of them
 * for a file nested too deep) is shortened in the middle, `$.a.a.a … .a.a (128 levels)`,
 * so the message after it stays in view; the list keeps the full text in a tooltip.
 */

/** Paths of more steps than this are shortened. */
const MAX_STEPS = 8;
const HEAD_STEPS = 3;
const TAIL_STEPS = 2;

/** One step of a path as core's reader writes it: `.name`, `[3]` or `["odd key"]`. */
const STEP = String.raw`(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])`;
const PATH = new RegExp(String.raw`(?<![\w$])\$(${STEP})+`, 'g');
const ONE_STEP = new RegExp(STEP, 'g');

/**
 * `text` with every JSON path of more than 8 steps shortened in the middle.
 * @example shortenPaths('$.a.a.a.a.a.a.a.a.a.a: too deep') // '$.a.a.a … .a.a (10 levels): too deep'
 */
export function shortenPaths(text: string): string {
  return text.replace(PATH, (path) => {
    const steps = path.slice(1).match(ONE_STEP) ?? [];
    if (steps.length <= MAX_STEPS) return path;
    return `$${steps.slice(0, HEAD_STEPS).join('')} … ${steps.slice(-TAIL_STEPS).join('')} (${steps.length} levels)`;
  });
}
