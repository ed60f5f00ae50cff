import { Logger } from '@nestjs/common';
import type { Client, QueryResult } from 'pg';
import { lsnToBigInt } from '@kasho/contracts';
import { KASHO_PUBLICATION_COMMENT, PipelinePublications, pipelinePublications } from './publication-names';
import { PublicationReport } from './publication-report';
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

export interface PublicationRow {
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

/**
 * Kasho's two publications on the source (publication-names.ts): created, converted from an earlier
 * Kasho's FOR ALL TABLES, reconciled with the catalog at each start by `sql/20-publication.sql`
 * (`kasho.setup_publications`); a user's own publication is only checked. Says at start which tables
 * without a replica identity are insert-only, FULL or left out.
 */
export class PublicationSetup {
  private readonly logger = new Logger(PublicationSetup.name);
  private readonly names: PipelinePublications;
  private readonly report: PublicationReport;

  constructor(private readonly options: ReplicationOptions) {
    this.names = pipelinePublications(options.publicationName);
    this.report = new PublicationReport(this.names);
  }

  async ensure(client: Client): Promise<void> {
    await this.report.upkeepErrors(client);
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
    if (isKashos(main)) await this.report.noKeyTables(client);
    else if (!isLegacy(main)) await this.report.userPublication(client, main);
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
