import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from 'pg';
import { checkServerVersion, closePg, connectPg } from '@kasho/runtime';
import { PublicationSetup } from './publication-setup';
import { DDL_CAPTURE_VERSION, renderSetupSql } from './render-setup-sql';
import {
  ReplicationError,
  SlotInUseError,
  SourcePrivilegeError,
  SourceSetupError,
  WalLevelError,
  isPrivilegeError,
  pgMessage,
  sqlState,
} from './replication.errors';
import { REPLICATION_OPTIONS } from './replication.module-definition';
import { ReplicationOptions } from './replication.options';

interface DdlCaptureStatus {
  table_ok: boolean;
  fn_version: string | null;
  trigger_ok: boolean;
}

interface SlotStatus {
  plugin: string | null;
  slot_type: string;
  database: string | null;
  current_db: string;
  active: boolean;
  active_pid: number | null;
}

/**
 * Idempotent setup of the source, in dependency order: the server's version (once per process:
 * older than PostgreSQL 13 is refused before anything is created), wal_level check, DDL capture (kasho schema,
 * kasho.ddl_log, event triggers, publication upkeep), the two publications, reconciled with the catalog
 * at every start (before the slot: pgoutput reads them with the historic snapshot), then the pgoutput slot. Each step first checks what exists, so a role without DDL
 * privileges works once a DBA has run the `sql/` files; it runs the same SQL as those files.
 */
@Injectable()
export class SourceSetupService {
  private readonly logger = new Logger(SourceSetupService.name);
  private versionChecked = false;
  private readonly publications: PublicationSetup;

  constructor(@Inject(REPLICATION_OPTIONS) private readonly options: ReplicationOptions) {
    this.publications = new PublicationSetup(options);
  }

  async ensure(): Promise<void> {
    let client: Client;
    try {
      client = await connectPg({ connectionString: this.options.connectionString, application_name: 'kasho-setup' });
    } catch (err) {
      throw new ReplicationError(`cannot connect to the source database: ${pgMessage(err)}`, { cause: err });
    }
    try {
      await this.checkVersion(client);
      await this.checkWalLevel(client);
      await this.ensureDdlCapture(client);
      await this.publications.ensure(client);
      await this.ensureSlot(client);
    } finally {
      await closePg(client);
    }
  }

  /** UnsupportedServerVersionError (@kasho/runtime) for a source older than the minimum; a warning above the newest tested. */
  private async checkVersion(client: Client): Promise<void> {
    if (this.versionChecked) return;
    const where = this.options.connectionName ?? 'the source database';
    const version = await checkServerVersion(client, where, (message) => this.logger.warn(message));
    this.versionChecked = true;
    this.logger.log(`Source is PostgreSQL ${version.release}`);
  }

  private async checkWalLevel(client: Client): Promise<void> {
    const { rows } = await client.query<{ wal_level: string }>(renderSetupSql('00-check-wal-level.sql'));
    if (rows[0]?.wal_level !== 'logical') throw new WalLevelError(rows[0]?.wal_level ?? 'unknown');
  }

  private async ensureDdlCapture(client: Client): Promise<void> {
    if (ddlCaptureReady(await this.ddlCaptureStatus(client))) return;
    try {
      await client.query(renderSetupSql('10-ddl-capture.sql'));
    } catch (err) {
      if (isPrivilegeError(err)) throw new SourcePrivilegeError('10-ddl-capture.sql', 'install DDL capture (schema kasho, event trigger)', err);
      throw new SourceSetupError(`installing DDL capture (sql/10-ddl-capture.sql) failed: ${pgMessage(err)}`, { cause: err });
    }
    const status = await this.ddlCaptureStatus(client);
    if (!ddlCaptureReady(status)) {
      throw new SourceSetupError(
        `DDL capture is not active on the source (table ${status.table_ok ? 'ok' : 'missing'}, function version ` +
          `${status.fn_version ?? 'missing'}, event triggers ${status.trigger_ok ? 'ok' : 'missing or disabled'}); ` +
          'enable them with ALTER EVENT TRIGGER kasho_capture_ddl / kasho_capture_drop / kasho_publication_upkeep ENABLE, or re-run sql/10-ddl-capture.sql',
      );
    }
    this.logger.log('Installed DDL capture (kasho.ddl_log, event triggers kasho_capture_ddl, kasho_capture_drop, kasho_publication_upkeep)');
  }

  private async ddlCaptureStatus(client: Client): Promise<DdlCaptureStatus> {
    const { rows } = await client.query<DdlCaptureStatus>(`
      SELECT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname = 'kasho' AND c.relname = 'ddl_log' AND c.relkind = 'r') AS table_ok,
             (SELECT pg_catalog.obj_description(p.oid, 'pg_proc') FROM pg_catalog.pg_proc p
                JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
               WHERE n.nspname = 'kasho' AND p.proname = 'capture_ddl' AND p.pronargs = 0) AS fn_version,
             (SELECT pg_catalog.count(*) FROM pg_catalog.pg_event_trigger t
                       JOIN pg_catalog.pg_proc p ON p.oid = t.evtfoid
                       JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                      WHERE n.nspname = 'kasho' AND t.evtenabled <> 'D'
                        AND ((t.evtevent = 'ddl_command_end' AND p.proname = 'capture_ddl')
                          OR (t.evtevent = 'sql_drop' AND p.proname = 'capture_drop')
                          OR (t.evtevent = 'ddl_command_end' AND p.proname = 'publication_upkeep'))) = 3 AS trigger_ok`);
    return rows[0];
  }

  private async ensureSlot(client: Client): Promise<void> {
    const name = this.options.slotName;
    let slot = await this.slotStatus(client);
    if (!slot) {
      try {
        // Its own statement: a slot cannot be created in a transaction that has written.
        await client.query(renderSetupSql('30-replication-slot.sql', { slot_name: name }));
        this.logger.log(`Created logical replication slot "${name}" (pgoutput)`);
      } catch (err) {
        if (isPrivilegeError(err)) throw new SourcePrivilegeError('30-replication-slot.sql', `create the replication slot "${name}"`, err);
        if (sqlState(err) === '53400') {
          throw new SourceSetupError(`cannot create replication slot "${name}": ${pgMessage(err)}; raise max_replication_slots or drop unused slots`, {
            cause: err,
          });
        }
        if (sqlState(err) !== '42710') {
          throw new SourceSetupError(`creating replication slot "${name}" (sql/30-replication-slot.sql) failed: ${pgMessage(err)}`, { cause: err });
        }
        // 42710: created concurrently by another process; checked below.
      }
      slot = await this.slotStatus(client);
    }
    if (!slot) throw new SourceSetupError(`replication slot "${name}" is missing after sql/30-replication-slot.sql ran`);
    if (slot.slot_type !== 'logical' || slot.plugin !== 'pgoutput') {
      throw new SourceSetupError(
        `replication slot "${name}" exists but is ${slot.slot_type}/${slot.plugin ?? 'no plugin'}; Kasho needs a logical pgoutput slot (use another REPLICATION_SLOT)`,
      );
    }
    if (slot.database !== slot.current_db) {
      throw new SourceSetupError(`replication slot "${name}" belongs to database "${slot.database}", not "${slot.current_db}"; use another REPLICATION_SLOT`);
    }
    if (slot.active) throw new SlotInUseError(name, slot.active_pid);
  }

  private async slotStatus(client: Client): Promise<SlotStatus | undefined> {
    const { rows } = await client.query<SlotStatus>(
      `SELECT plugin, slot_type, database, pg_catalog.current_database() AS current_db, active, active_pid
         FROM pg_catalog.pg_replication_slots WHERE slot_name = $1`,
      [this.options.slotName],
    );
    return rows[0];
  }
}

function ddlCaptureReady(status: DdlCaptureStatus): boolean {
  return status.table_ok && status.fn_version === DDL_CAPTURE_VERSION && status.trigger_ok;
}
