import { Logger } from '@nestjs/common';
import type { Client, QueryResult } from 'pg';
import { lsnToBigInt } from '@kasho/contracts';
import { KASHO_PUBLICATION_COMMENT, PipelinePublications, pipelinePublications } from './publication-names';
import { renderSetupSql } from './render-setup-sql';
import { SourcePrivilegeError, SourceSetupError, isPrivilegeError, pgMessage } from './replication.errors';
import { ReplicationOptions } from './replication.options';

/** The publication names one replication session is given, and when to start over with both. */
export interface StreamPlan {
  names: string[];
  /**
   * Set while the slot has not yet passed the creation of `<publication>_inserts` (pgoutput refuses to
   * decode a change made before a publication it is given existed): stream `main` alone, which still
   * holds kasho.ddl_log, and start a new session once the slot is acknowledged up to this LSN.
   */
  switchAtLsn?: bigint;
}

interface PublicationRow {
  pubname: string;
  puballtables: boolean;
  pubinsert: boolean;
  pubupdate: boolean;
  pubdelete: boolean;
  pubtruncate: boolean;
  pubviaroot: boolean;
  comment: string | null;
  has_ddl_log: boolean;
}

/** At most this many table names in one warning (names only, never values). */
const MAX_NAMES = 50;

/**
 * Kasho's two publications on the source (publication-names.ts): created, converted from an earlier
 * Kasho's FOR ALL TABLES, reconciled with the catalog at each start by `sql/20-publication.sql`
 * (`kasho.setup_publications`); a user's own publication is only checked. Says at start which tables
 * without a replica identity are insert-only, FULL or left out.
 */
export class PublicationSetup {
  private readonly logger = new Logger(PublicationSetup.name);
  private readonly names: PipelinePublications;

  constructor(private readonly options: ReplicationOptions) {
    this.names = pipelinePublications(options.publicationName);
  }

  async ensure(client: Client): Promise<void> {
    await this.reportUpkeepErrors(client);
    try {
      for (const line of await this.runSetupSql(client)) this.logger.log(`Publications: ${line}`);
    } catch (err) {
      if (!isPrivilegeError(err)) {
        throw new SourceSetupError(`setting up the publications (sql/20-publication.sql) failed: ${pgMessage(err)}`, { cause: err });
      }
      await this.verifyWithoutPrivilege(client, err);
    }
    const main = await this.publication(client, this.names.main);
    const inserts = await this.publication(client, this.names.inserts);
    if (!main || !inserts?.has_ddl_log) {
      throw new SourceSetupError(
        `publications "${this.names.main}" and "${this.names.inserts}" (with kasho.ddl_log) are missing after sql/20-publication.sql ran`,
      );
    }
    if (isKashos(main)) await this.reportNoKeyTables(client);
    else if (!isLegacy(main)) await this.checkUserPublication(client, main);
  }

  /** Both publications, or `main` alone while the slot is older than `inserts` (see {@link StreamPlan}). */
  async streamPlan(client: Client): Promise<StreamPlan> {
    const both = { names: [this.names.main, this.names.inserts] };
    const main = await this.publication(client, this.names.main);
    let row: { since: string | null; confirmed: string | null } | undefined;
    try {
      ({
        rows: [row],
      } = await client.query<{ since: string | null; confirmed: string | null }>(
        `SELECT k.inserts_since_lsn::text AS since,
                (SELECT s.confirmed_flush_lsn::text FROM pg_catalog.pg_replication_slots s WHERE s.slot_name = $2) AS confirmed
           FROM kasho.publications k WHERE k.publication = $1`,
        [this.names.main, this.options.slotName],
      ));
    } catch (err) {
      if (!isPrivilegeError(err)) throw err;
      return both; // A role that may not read kasho.*: the DBA's setup made both publications before the slot.
    }
    const behind = row?.since != null && row.confirmed != null && lsnToBigInt(row.confirmed) < lsnToBigInt(row.since);
    if (behind && main?.has_ddl_log) {
      this.logger.warn(
        `Streaming from publication "${this.names.main}" alone until slot "${this.options.slotName}" passes ${row?.since}, ` +
          `where "${this.names.inserts}" was created (the slot is older than it); then the stream restarts with both`,
      );
      return { names: [this.names.main], switchAtLsn: lsnToBigInt(row?.since ?? '0/0') };
    }
    if (main && isLegacy(main)) await this.ensure(client); // The slot has passed it: convert the old FOR ALL TABLES now.
    return both;
  }

  private async runSetupSql(client: Client): Promise<string[]> {
    const sql = renderSetupSql('20-publication.sql', {
      publication_name: this.names.main,
      no_key_tables: this.options.noKeyTables ?? 'insert-only',
      exclude_tables: (this.options.excludeTables ?? []).join(','),
      publish_via_partition_root: String(this.options.publishViaPartitionRoot ?? false),
      slot_name: this.options.slotName,
    });
    let results: QueryResult | QueryResult[];
    try {
      results = (await client.query(sql)) as unknown as QueryResult | QueryResult[];
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    const all = Array.isArray(results) ? results : [results];
    return all.flatMap((r) => (r.fields.some((f) => f.name === 'done') ? r.rows.map((row: { done: string }) => row.done) : []));
  }

  /**
   * The role may not run the setup (a DBA ran sql/20-publication.sql for it): go on only if Kasho's
   * publications exist with the same settings, so EXCLUDE_TABLES is never silently ignored.
   */
  private async verifyWithoutPrivilege(client: Client, cause: unknown): Promise<void> {
    const main = await this.publication(client, this.names.main);
    const inserts = await this.publication(client, this.names.inserts);
    const what = `set up publications "${this.names.main}" and "${this.names.inserts}"`;
    if (!main || !inserts || isLegacy(main)) throw new SourcePrivilegeError('20-publication.sql', what, cause);
    if (isKashos(main)) {
      const expected = {
        no_key_tables: this.options.noKeyTables ?? 'insert-only',
        exclude_tables: (this.options.excludeTables ?? []).join(','),
        publish_via_partition_root: String(this.options.publishViaPartitionRoot ?? false),
      };
      const differs = Object.entries(expected).filter(([key, value]) => settingInComment(main.comment ?? '', key) !== value);
      if (differs.length > 0) {
        throw new SourcePrivilegeError(
          '20-publication.sql',
          `${what} with ${differs.map(([k, v]) => `${k}=${v}`).join(', ')} (the source has ${differs.map(([k]) => `${k}=${settingInComment(main.comment ?? '', k) ?? '?'}`).join(', ')})`,
          cause,
        );
      }
    }
    this.logger.warn(
      `The role may not reconcile the publications with the catalog (${pgMessage(cause)}); the event trigger keeps them in step with DDL. ` +
        'A DBA re-runs sql/20-publication.sql if DDL ran while the trigger was disabled',
    );
  }

  private async publication(client: Client, name: string): Promise<PublicationRow | undefined> {
    const { rows } = await client.query<PublicationRow>(
      `SELECT p.pubname, p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate, p.pubviaroot,
              pg_catalog.obj_description(p.oid, 'pg_publication') AS comment,
              EXISTS (SELECT FROM pg_catalog.pg_publication_tables t
                       WHERE t.pubname = p.pubname AND t.schemaname = 'kasho' AND t.tablename = 'ddl_log') AS has_ddl_log
         FROM pg_catalog.pg_publication p WHERE p.pubname = $1`,
      [name],
    );
    return rows[0];
  }

  /** Names only: which tables without a replica identity are insert-only, replicated with FULL, or left out. */
  private async reportNoKeyTables(client: Client): Promise<void> {
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
                             WHERE (x.oid = c.oid OR x.oid IN (SELECT relid FROM pg_catalog.pg_partition_tree(c.oid))) AND x.relreplident = 'f'))
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
  private async checkUserPublication(client: Client, main: PublicationRow): Promise<void> {
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
  private async reportUpkeepErrors(client: Client): Promise<void> {
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

/** Kasho's own: its comment starts with KASHO_PUBLICATION_COMMENT. */
function isKashos(p: PublicationRow): boolean {
  return (p.comment ?? '').startsWith(KASHO_PUBLICATION_COMMENT);
}

/** The FOR ALL TABLES publication an earlier Kasho made (kasho.setup_publications recognises it the same way). */
function isLegacy(p: PublicationRow): boolean {
  return p.puballtables && p.comment === null && p.pubinsert && p.pubupdate && p.pubdelete && p.pubtruncate && !p.pubviaroot;
}

function settingInComment(comment: string, key: string): string | undefined {
  return new RegExp(`(?:^|; )${key}=([^;]*)`).exec(comment)?.[1];
}

function nameList(names: string[]): string {
  return names.length <= MAX_NAMES ? names.join(', ') : `${names.slice(0, MAX_NAMES).join(', ')} and ${names.length - MAX_NAMES} more`;
}
