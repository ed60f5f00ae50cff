import { execFile } from 'node:child_process';
import { locatePgDump } from '@kasho/runtime';
import { PgDumpError, PgDumpNotFoundError } from './snapshot.errors';

/** pg_dump's options for the snapshot's schema (docs/snapshot.md); the section and snapshot are added per call. */
export const SCHEMA_DUMP_OPTIONS = [
  '--schema-only',
  '--no-owner',
  '--no-privileges',
  '--no-publications',
  '--no-subscriptions',
  '--no-tablespaces',
  '--no-security-labels',
  '--exclude-schema=kasho',
] as const;

const MAX_OUTPUT = 512 * 1024 * 1024;

/**
 * The pg_dump to run when the snapshot is given none: `locatePgDump` (PG_DUMP, else the newest in
 * /usr/lib/postgresql/<major>/bin, else on PATH). pg_dump must be at least the source server's major
 * version; the Docker image installs postgresql-client-17 and sets PG_DUMP.
 */
export function findPgDump(configured: string | undefined, searchPath = process.env.PATH): string {
  const found = locatePgDump(configured, searchPath);
  if (!found)
    throw new PgDumpNotFoundError(
      'pg_dump not found on PATH or in /usr/lib/postgresql/*/bin: install postgresql-client (the snapshot reads the schema with it) or set PG_DUMP to its path',
    );
  return found;
}

/**
 * Runs pg_dump against `connectionString` and returns its SQL. The password travels in PGPASSWORD,
 * never on the command line (where `ps` would show it); errors never contain it either.
 */
export async function runPgDump(pgDump: string, connectionString: string, args: readonly string[]): Promise<string> {
  const { url, password } = splitPassword(connectionString);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PGAPPNAME: 'kasho-snapshot-schema' };
  if (password !== undefined) env.PGPASSWORD = password;
  return new Promise((resolve, reject) => {
    execFile(pgDump, [...args, `--dbname=${url}`], { env, maxBuffer: MAX_OUTPUT, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || err.message).trim().split('\n').slice(-3).join(' ');
        reject(new PgDumpError(`pg_dump failed: ${password ? detail.split(password).join('***') : detail}`));
      } else resolve(stdout);
    });
  });
}

/** A postgresql:// URL without its password, and the (decoded) password. */
export function splitPassword(connectionString: string): { url: string; password?: string } {
  let parsed: URL;
  try {
    parsed = new URL(connectionString);
  } catch {
    return { url: connectionString };
  }
  if (!parsed.password) return { url: connectionString };
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { url: parsed.toString(), password };
}
