import type { Client } from 'pg';
import type { SnapshotTable } from '@kasho/contracts';
import { recordIndexed } from './snapshot-store';

/**
 * Foreign keys on or to the snapshot's tables are dropped before the pre-data SQL runs: its
 * DROP TABLE IF EXISTS (pg_dump --clean) cannot drop a table another one references, and the
 * post-data SQL re-creates every foreign key after the rows are in.
 */
export async function dropForeignKeys(client: Client, tables: readonly SnapshotTable[]): Promise<number> {
  if (tables.length === 0) return 0;
  const names = tables.map((t) => `${client.escapeIdentifier(t.schema)}.${client.escapeIdentifier(t.table)}`);
  const { rows } = await client.query<{ sql: string }>(
    `SELECT pg_catalog.format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::pg_catalog.regclass, c.conname) AS sql
       FROM pg_catalog.pg_constraint c
      WHERE c.contype = 'f'
        AND (c.conrelid = ANY (ARRAY(SELECT pg_catalog.to_regclass(n) FROM pg_catalog.unnest($1::text[]) n))
          OR c.confrelid = ANY (ARRAY(SELECT pg_catalog.to_regclass(n) FROM pg_catalog.unnest($1::text[]) n)))`,
    [names],
  );
  for (const row of rows) await client.query(row.sql);
  return rows.length;
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
    throw new Error(`building the indexes and constraints of ${table.schema}.${table.table} failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs pg_dump SQL (many statements, simple protocol). pg_dump sets search_path to '' for the session. */
export async function runDumpSql(client: Client, sql: string): Promise<void> {
  if (sql.trim()) await client.query(sql);
  await client.query(`SELECT pg_catalog.set_config('search_path', '"$user", public', false)`);
}
