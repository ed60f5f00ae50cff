import { Logger } from '@nestjs/common';
import type { Client } from 'pg';
import { KASHO_PUBLICATION_COMMENT, PipelinePublications } from './publication-names';
import type { PublicationRow } from './publication-setup';
import { isPrivilegeError, pgMessage } from './replication.errors';

/** At most this many table names in one warning (names only, never values). */
const MAX_NAMES = 50;

/** What a start found about the publications, in the log: table names and settings, never values. */
export class PublicationReport {
  private readonly logger = new Logger(PublicationReport.name);

  constructor(private readonly names: PipelinePublications) {}

  /** Names only: which tables without a replica identity are insert-only, replicated with FULL, or left out. */
  async noKeyTables(client: Client): Promise<void> {
    let rows: { name: string; handling: 'insert-only' | 'full' | 'skip' }[];
    try {
      ({ rows } = await client.query(
        `SELECT c.oid::pg_catalog.regclass::text AS name,
                CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_publication_rel r WHERE r.prrelid = c.oid
                                     AND r.prpubid = (SELECT oid FROM pg_catalog.pg_publication WHERE pubname = k.publication)) THEN 'full'
                     WHEN EXISTS (SELECT FROM pg_catalog.pg_publication_rel r WHERE r.prrelid = c.oid
                                     AND r.prpubid = (SELECT oid FROM pg_catalog.pg_publication WHERE pubname = k.inserts_publication)) THEN 'insert-only'
                     ELSE 'skip' END AS handling
           FROM kasho.publications k, pg_catalog.pg_class c
          WHERE k.publication = $1 AND kasho.table_selected(c.oid, k.exclude_tables)
            AND (NOT kasho.has_replica_identity(c.oid, k.via_partition_root)
                 OR EXISTS (SELECT FROM pg_catalog.pg_class x
                             WHERE (x.oid = c.oid OR x.oid IN (SELECT relid FROM pg_catalog.pg_partition_tree(c.oid))) AND x.relreplident = 'f'
                               AND NOT EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = x.oid AND i.indisprimary)))
          ORDER BY 1`,
        [this.names.main],
      ));
    } catch (err) {
      if (!isPrivilegeError(err)) throw err;
      this.logger.warn(`Cannot list the tables without a replica identity (${pgMessage(err)}); run kasho check`);
      return;
    }
    const of = (handling: string) => rows.filter((r) => r.handling === handling).map((r) => r.name);
    const insertOnly = of('insert-only');
    const full = of('full');
    const skipped = of('skip');
    if (insertOnly.length > 0) {
      this.logger.warn(
        `Tables without a replica identity (no primary key), replicated insert-only: ${nameList(insertOnly)}. ` +
          'Their INSERT and TRUNCATE are replicated; their UPDATE and DELETE are accepted by the source and not replicated ' +
          '(add a primary key, or set NO_KEY_TABLES=full)',
      );
    }
    if (full.length > 0) {
      this.logger.warn(
        `Tables without a primary key, replicated with REPLICA IDENTITY FULL (each UPDATE and DELETE writes the whole old row to WAL): ${nameList(full)}`,
      );
    }
    if (skipped.length > 0) this.logger.warn(`Tables without a replica identity, not replicated (NO_KEY_TABLES=skip): ${nameList(skipped)}`);
  }

  /** A publication the user made: used as it is, never altered; say what it will not do. */
  async userPublication(client: Client, main: PublicationRow): Promise<void> {
    this.logger.log(`Publication "${main.pubname}" is not Kasho's (no "${KASHO_PUBLICATION_COMMENT}" comment): used as it is, never altered`);
    const missing = (['insert', 'update', 'delete', 'truncate'] as const).filter((op) => !main[`pub${op}`]);
    if (missing.length > 0) this.logger.warn(`Publication "${main.pubname}" does not publish ${missing.join(', ')}: those changes are not replicated`);
    if (!main.pubupdate && !main.pubdelete) return;
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.oid::pg_catalog.regclass::text AS name
         FROM pg_catalog.pg_publication_tables t
         JOIN pg_catalog.pg_namespace n ON n.nspname = t.schemaname
         JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.tablename
        WHERE t.pubname = $1 AND n.nspname <> 'kasho' AND c.relkind = 'r'
          AND NOT CASE c.relreplident
                    WHEN 'f' THEN true
                    WHEN 'd' THEN EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
                    WHEN 'i' THEN EXISTS (SELECT FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)
                    ELSE false END
        ORDER BY 1`,
      [main.pubname],
    );
    if (rows.length > 0) {
      this.logger.warn(
        `Publication "${main.pubname}" (yours) publishes UPDATE/DELETE for tables without a replica identity, so PostgreSQL refuses ` +
          `UPDATE and DELETE on them: ${nameList(rows.map((r) => r.name))}`,
      );
    }
  }

  /** What the event trigger could not do since the last start (reconciled by this start). */
  async upkeepErrors(client: Client): Promise<void> {
    try {
      const { rows } = await client.query<{ object: string; error: string; at: string }>(
        `SELECT object, error, created_at::text AS at FROM kasho.publication_upkeep_errors WHERE publication IN ($1, '*') ORDER BY id LIMIT 100`,
        [this.names.main],
      );
      for (const r of rows) this.logger.warn(`Publication upkeep failed at ${r.at} for ${r.object}: ${r.error}; reconciled now`);
    } catch (err) {
      // 42P01: installed by an earlier version (the table comes with this one); 42501/3F000: no access.
      if (!/^(42P01|42501|3F000)$/.test((err as { code?: string }).code ?? '')) throw err;
    }
  }
}

function nameList(names: string[]): string {
  return names.length <= MAX_NAMES ? names.join(', ') : `${names.slice(0, MAX_NAMES).join(', ')} and ${names.length - MAX_NAMES} more`;
}
