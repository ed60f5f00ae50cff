import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMBEDDED_POSTGRES_PACKAGE } from './embedded-postgres';

const LOCK_WAIT_MS = 300_000;
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 600_000;

/**
 * Where tests keep what they download (server binaries of other PostgreSQL majors, the Docker image's
 * pg_dump): `KASHO_TEST_CACHE`, else `node_modules/.cache/kasho` (gone with `npm ci`), else the temp dir.
 * Readable by everyone: PostgreSQL runs its binaries as the `postgres` OS user.
 */
export function downloadCacheDir(): string {
  const nodeModules = (require.resolve.paths(EMBEDDED_POSTGRES_PACKAGE) ?? []).find((dir) => existsSync(dir));
  const root = process.env.KASHO_TEST_CACHE || (nodeModules ? join(nodeModules, '.cache', 'kasho') : join(tmpdir(), 'kasho-test-cache'));
  mkdirSync(root, { recursive: true, mode: 0o755 });
  return root;
}

/**
 * Fills `dir` once, safely against other test processes doing the same: `fill(tmp)` writes into a fresh
 * folder that is renamed into place only when complete, under a lock folder (mkdir is atomic). A run
 * that finds `dir` complete returns at once; one that finds the lock waits (bounded) for the other.
 */
export async function cachedDir(dir: string, fill: (tmp: string) => Promise<void>): Promise<string> {
  if (existsSync(dir)) return dir;
  const lock = `${dir}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (existsSync(dir)) return dir;
      if (Date.now() - lockTime(lock) > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by another run for more than ${LOCK_WAIT_MS / 1000} s; remove it if no run is using it`);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (existsSync(dir)) return dir;
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true, mode: 0o755 });
    try {
      await fill(tmp);
      renameSync(tmp, dir);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    return dir;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function lockTime(lock: string): number {
  try {
    return statSync(lock).mtimeMs;
  } catch {
    return Date.now();
  }
}
