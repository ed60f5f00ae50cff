import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { ClientConfig } from 'pg';
import { pgClientConfig, withPg } from '@kasho/runtime';
import { loadSqlGrammar } from '@kasho/sql-grammar';
import { PublicationSetup, StreamPlan } from './publication-setup';
import { ReplicationSession, WalReaderHandlers } from './replication-session';
import { ReplicationError, pgMessage } from './replication.errors';
import { REPLICATION_OPTIONS } from './replication.module-definition';
import { ReplicationOptions } from './replication.options';
import { TypeNames } from './type-names';

export type { WalReaderHandlers } from './replication-session';

/**
 * Reads the source's WAL through the slot (pgoutput proto v1, values as text) and hands on change
 * envelopes in commit order. One session at a time: after `onError`, call `stop()` then `start()`,
 * which resumes from the slot's confirmed_flush_lsn, so everything not acknowledged is re-delivered.
 *
 * Nothing is acknowledged unless `acknowledge()` is called. While `onChanges` is pending no message
 * (keepalives included) is read: a caller that waits there for long must keep the connection alive
 * by calling `acknowledge()` with its last durable LSN at least every wal_sender_timeout / 2.
 */
@Injectable()
export class WalReader implements OnModuleDestroy {
  private readonly logger = new Logger(WalReader.name);
  private session: ReplicationSession | null = null;
  private typeNames?: TypeNames;
  private readonly publications: PublicationSetup;

  constructor(@Inject(REPLICATION_OPTIONS) private readonly options: ReplicationOptions) {
    this.publications = new PublicationSetup(options);
  }

  /** Resolves once streaming has started; rejects with SlotInUseError when another process holds the slot. */
  async start(handlers: WalReaderHandlers): Promise<void> {
    if (this.session) throw new ReplicationError('the WAL reader is already started; stop() it first');
    this.typeNames ??= await this.loadTypeNames();
    // The decoder finds DDL statements with PostgreSQL's parser (WASM, loaded once).
    await loadSqlGrammar();
    const plan = await this.streamPlan();
    const session = new ReplicationSession(
      {
        client: this.clientConfig('kasho-wal-reader'),
        slotName: this.options.slotName,
        publicationNames: plan.names,
        switchAtLsn: plan.switchAtLsn,
        typeNames: this.typeNames,
        chunkSize: this.options.chunkSize,
      },
      {
        ...handlers,
        onSkippedDdl: (skipped) => {
          // Tag and object identity only: the source's SQL text may hold literals.
          this.logger.warn(
            `Not replicated: "${skipped.tag}" on ${skipped.object || 'an unnamed object'} ran inside a function, procedure or DO block ` +
              `(source transaction ${skipped.txid}) and could not be derived from the catalog; apply it to the target by hand if it matters`,
          );
          handlers.onSkippedDdl?.(skipped);
        },
      },
    );
    this.session = session;
    try {
      await session.start();
    } catch (err) {
      if (this.session === session) this.session = null;
      await session.stop();
      throw err;
    }
    this.logger.log(`Streaming from slot "${this.options.slotName}", publications ${plan.names.map((n) => `"${n}"`).join(', ')}`);
  }

  /** Sends a standby status update confirming `lsn` (a commit end LSN) as flushed: the slot may drop WAL before it. */
  async acknowledge(lsn: bigint): Promise<void> {
    if (!this.session) throw new ReplicationError('cannot acknowledge: the WAL reader is not started');
    await this.session.acknowledge(lsn);
  }

  /** Closes the replication connection; idempotent. */
  async stop(): Promise<void> {
    const session = this.session;
    this.session = null;
    await session?.stop();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Which publications this session streams (both, unless the slot is older than the second one). */
  private async streamPlan(): Promise<StreamPlan> {
    try {
      return await withPg(this.clientConfig('kasho-wal-reader-setup'), (client) => this.publications.streamPlan(client));
    } catch (err) {
      if (err instanceof ReplicationError) throw err;
      throw new ReplicationError(`cannot read the publications from the source: ${pgMessage(err)}`, { cause: err });
    }
  }

  private clientConfig(applicationName: string): ClientConfig {
    return pgClientConfig({ connectionString: this.options.connectionString, application_name: applicationName, keepAlive: true });
  }

  /** Names of built-in types the static table lacks, once per process (they do not change). */
  private async loadTypeNames(): Promise<TypeNames> {
    try {
      const { rows } = await withPg(
        { connectionString: this.options.connectionString, application_name: 'kasho-wal-reader-types', keepAlive: true },
        (client) =>
          client.query<{ oid: number; name: string }>(
            'SELECT oid::int AS oid, pg_catalog.format_type(oid, NULL) AS name FROM pg_catalog.pg_type WHERE oid < 16384',
          ),
      );
      return new TypeNames(new Map(rows.map((r) => [r.oid, r.name])));
    } catch (err) {
      throw new ReplicationError(`cannot read type names from the source: ${pgMessage(err)}`, { cause: err });
    }
  }
}
