/// <reference types="vite/client" />
/**
 * The shipped scenarios (`scenarios/*.json`, and Flink's training exercises in
 * `scenarios/training/*.json`), bundled at build time. A scenario's name is its path under
 * `scenarios/` without `.json`: `scenarios/hello-map-filter.json` is `hello-map-filter`,
 * `scenarios/training/hourly-tips.json` is `training/hourly-tips`, the name the address
 * (`?scenario=NAME`) and `weir run scenarios/NAME.json` use.
 */

export interface CatalogEntry {
  /** The file's path under `scenarios/`, without `.json`. */
  name: string;
  /** The path `weir run` takes, used in messages: `scenarios/NAME.json`. */
  file: string;
  /** The file's JSON, not yet validated. */
  data: unknown;
}

/** Opens `hello-map-filter` when nothing else is asked for or remembered. */
export const DEFAULT_SCENARIO = 'hello-map-filter';

/** Builds the catalog from `import.meta.glob` results, sorted by name. */
export function catalogFromModules(modules: Record<string, unknown>): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const [path, data] of Object.entries(modules)) {
    const at = path.lastIndexOf('scenarios/');
    const relative = at < 0 ? path.slice(path.lastIndexOf('/') + 1) : path.slice(at + 'scenarios/'.length);
    if (!relative.endsWith('.json')) continue;
    const name = relative.slice(0, -'.json'.length);
    entries.push({ name, file: `scenarios/${relative}`, data });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const modules: Record<string, unknown> = import.meta.glob(['../../scenarios/*.json', '../../scenarios/training/*.json'], { eager: true, import: 'default' });

export const SHIPPED_SCENARIOS: readonly CatalogEntry[] = catalogFromModules(modules);

/**
 * The entry an address names: its name (`training/hourly-tips`), or the file's base name
 * alone (`hourly-tips`, as CONTRACT section 4 puts it) when exactly one entry has it.
 * @example findEntry(SHIPPED_SCENARIOS, 'hourly-tips')?.name // 'training/hourly-tips'
 */
export function findEntry(catalog: readonly CatalogEntry[], name: string | null): CatalogEntry | null {
  if (name === null) return null;
  const exact = catalog.find((e) => e.name === name);
  if (exact !== undefined) return exact;
  const byBase = catalog.filter((e) => e.name.slice(e.name.lastIndexOf('/') + 1) === name);
  return byBase.length === 1 ? byBase[0]! : null;
}

/** The title and description a scenario file gives, read without validating it. */
export function headline(entry: CatalogEntry): { title: string; description: string } {
  const data = typeof entry.data === 'object' && entry.data !== null ? (entry.data as Record<string, unknown>) : {};
  const title = typeof data['name'] === 'string' && data['name'].trim() !== '' ? data['name'] : entry.name;
  const description = typeof data['description'] === 'string' ? data['description'] : '';
  return { title, description };
}
