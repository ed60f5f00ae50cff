import { Logger } from '@nestjs/common';
import { applyPolicyToDumpSql, recordIndexed } from '@kasho/apply';
import type { Client } from 'pg';
import type { SnapshotTable } from '@kasho/contracts';
import { SnapshotStepError } from './snapshot.errors';

/**
 * Foreign keys on or to the snapshot's tables, and on or to every table the pre-data SQL drops (the
 * tables outside the table selection are re-created too, empty), are dropped before the pre-data
 * SQL runs: its DROP TABLE IF EXISTS (pg_dump --clean) cannot drop a table another one references,
 * and the post-data SQL re-creates every foreign key after the rows are in.
 */
export async function dropForeignKeys(client: Client, tables: readonly SnapshotTable[], preDataSql = ''): Promise<number> {
  const names = [...new Set([...tables.map((t) => `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.table)}`), ...droppedTables(preDataSql)])];
  if (names.length === 0) return 0;
  const { rows } = await client.query<{ sql: string }>(
    `SELECT pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::pg_catalog.regclass, c.conname) AS sql
       FROM pg_catalog.pg_constraint c
      WHERE c.contype = 'f' AND c.conparentid = 0
        AND (c.conrelid = ANY (ARRAY(SELECT pg_catalog.to_regclass(n) FROM pg_catalog.unnest($1::text[]) n))
          OR c.confrelid = ANY (ARRAY(SELECT pg_catalog.to_regclass(n) FROM pg_catalog.unnest($1::text[]) n)))`,
    [names],
  );
  // Top-level keys only: a partitioned table's clones go with their parent, and cannot be dropped alone.
  for (const row of rows) await client.query(row.sql);
  return rows.length;
}

/** pg_dump --clean writes one `DROP TABLE IF EXISTS schema.table;` line per table, names quoted as SQL needs. */
const DROP_TABLE = /^DROP TABLE IF EXISTS ((?:"(?:[^"]|"")*"|[^\s."]+)\.(?:"(?:[^"]|"")*"|[^\s."]+));$/gm;

/** The tables (qualified, quoted as in the dump) the pre-data SQL drops and re-creates. */
export function droppedTables(preDataSql: string): string[] {
  return [...preDataSql.matchAll(DROP_TABLE)].map((m) => m[1]);
}

/**
 * A table's own indexes and constraints (SnapshotTable.postDataSql) in one transaction with the
 * bookkeeping row that says they are built, so a restart neither misses nor repeats them.
 */
export async function buildTableIndexes(client: Client, table: SnapshotTable): Promise<void> {
  await client.query('BEGIN');
  try {
    await runDumpSql(client, table.postDataSql);
    await recordIndexed(client, table.schema, table.table);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new SnapshotStepError(`building the indexes and constraints of ${table.schema}.${table.table}`, err);
  }
}

const logger = new Logger('Snapshot');

/**
 * Runs pg_dump SQL under the DDL policy (docs/ddl-policy.md: functions, triggers, rules, extensions,
 * privileges… are skipped and logged by statement type, never by text), the kept statements in one
 * simple-protocol query. pg_dump sets search_path to '' for the session; it is restored after.
 * A `SET` of a parameter this target does not have (pg_dump 17's transaction_timeout on a target
 * before 17) is left out and logged.
 */
export async function runDumpSql(client: Client, sql: string): Promise<void> {
  const { rows } = await client.query<{ name: string }>('SELECT name FROM pg_catalog.pg_settings');
  const filtered = applyPolicyToDumpSql(sql, new Set(rows.map((r) => r.name)));
  if (filtered.droppedSettings.length > 0) {
    logger.log(`pg_dump's SET ${[...new Set(filtered.droppedSettings)].join(', ')} left out: the target server has no such setting`);
  }
  if (filtered.skipped.length > 0) {
    const counts = new Map<string, number>();
    for (const { rule, node } of filtered.skipped) counts.set(`${rule} (${node})`, (counts.get(`${rule} (${node})`) ?? 0) + 1);
    logger.warn(
      `${filtered.skipped.length} statement(s) of the source schema skipped by the DDL policy: ${[...counts].map(([what, n]) => `${n} ${what}`).join(', ')}`,
    );
  }
  if (filtered.sql.trim()) await client.query(filtered.sql);
  await client.query(`SELECT pg_catalog.set_config('search_path', '"$user", public', false)`);
}
