import type { Client } from 'pg';
import { UnsupportedServerVersionError } from './server-version.errors';

/**
 * The PostgreSQL majors Kasho supports, on the source and on the target alike. 13 is the oldest the
 * version matrix (test/postgres-versions.e2e-spec.ts) replicates from and to, and the first with
 * `max_slot_wal_keep_size` and `pg_replication_slots.wal_status`, which bound and report the WAL a
 * slot holds (I10). A server newer than the newest tested is let through with a warning until the
 * matrix includes it (docs/deployment.md).
 */
export const MIN_POSTGRES_MAJOR = 13;
export const NEWEST_TESTED_POSTGRES_MAJOR = 17;

/** A server's version as it reports it (`server_version_num`, `server_version`). */
export interface PgServerVersion {
  /** `server_version_num`, e.g. 170010. */
  num: number;
  /** 17 for 17.x; 9.6 for 9.6.x (majors before 10 had two parts). */
  major: number;
  /** The release without the packager's suffix, e.g. `17.10` (from `17.10 (Debian 17.10-1)`). */
  release: string;
}

/** Parses `server_version_num` (and `server_version` for the release text); throws on anything else. */
export function parseServerVersion(num: string | number, text?: string): PgServerVersion {
  const n = typeof num === 'number' ? num : Number(String(num).trim());
  if (!Number.isInteger(n) || n < 70000 || n > 9_999_999) throw new Error(`not a server_version_num: ${String(num)}`);
  const major = n >= 100000 ? Math.floor(n / 10000) : Math.floor(n / 10000) + (Math.floor(n / 100) % 100) / 10;
  const release = text?.trim().split(/\s+/)[0] || (n >= 100000 ? `${major}.${n % 10000}` : `${major}.${n % 100}`);
  return { num: n, major, release };
}

/** What Kasho makes of a server: refused (error), let through with a warning, or fine. */
export interface ServerVersionVerdict {
  error?: string;
  warning?: string;
}

/**
 * The version rule. `where` names the connection as the operator configured it, for example
 * `PRIMARY_DATABASE_URL (the source)`: a message must say which server to upgrade.
 */
export function judgeServerVersion(version: PgServerVersion, where: string): ServerVersionVerdict {
  const tested = `${MIN_POSTGRES_MAJOR} to ${NEWEST_TESTED_POSTGRES_MAJOR}`;
  if (version.major < MIN_POSTGRES_MAJOR) {
    return {
      error: `${where} is PostgreSQL ${version.release}; Kasho needs PostgreSQL ${MIN_POSTGRES_MAJOR} or newer (tested: ${tested}). Upgrade that server or point the variable at a supported one`,
    };
  }
  if (version.major > NEWEST_TESTED_POSTGRES_MAJOR) {
    return { warning: `${where} is PostgreSQL ${version.release}, newer than Kasho is tested with (${tested}); continuing` };
  }
  return {};
}

const VERSION_SQL = `SELECT pg_catalog.current_setting('server_version_num') AS num, pg_catalog.current_setting('server_version') AS text`;

/** The connected server's version. */
export async function readServerVersion(client: Client): Promise<PgServerVersion> {
  const { rows } = await client.query<{ num: string; text: string }>(VERSION_SQL);
  return parseServerVersion(rows[0].num, rows[0].text);
}

/**
 * Reads the connected server's version and applies the rule: throws UnsupportedServerVersionError
 * for a server older than the minimum, hands a warning to `warn` for one newer than the newest tested.
 */
export async function checkServerVersion(client: Client, where: string, warn: (message: string) => void): Promise<PgServerVersion> {
  const version = await readServerVersion(client);
  const verdict = judgeServerVersion(version, where);
  if (verdict.error) throw new UnsupportedServerVersionError(verdict.error, version);
  if (verdict.warning) warn(verdict.warning);
  return version;
}
