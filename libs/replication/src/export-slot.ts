import type { Client } from 'pg';
import { lsnToBigInt } from '@kasho/contracts';
import { closePg, connectPg } from '@kasho/runtime';
import { InvalidSnapshotNameError, SlotExportError } from './replication.errors';

export interface ExportedSlot {
  slotName: string;
  snapshotName: string;
  consistentLsn: bigint;
}

/**
 * A replication connection that creates a logical slot with an exported snapshot and then stays
 * idle: the snapshot can be imported (SET TRANSACTION SNAPSHOT) only until this connection runs
 * another command or closes. A TEMPORARY slot disappears with the connection.
 *
 * Replication connections accept only the simple query protocol, so names are quoted by hand.
 */
export class ExportSlot {
  private constructor(
    private readonly client: Client,
    readonly slot: ExportedSlot,
  ) {}

  /**
   * Creates `slotName` (dropping an existing slot of that name first unless `temporary`, waiting
   * while a reader still holds it) with pgoutput and an exported snapshot.
   */
  static async create(connectionString: string, slotName: string, options: { temporary: boolean }): Promise<ExportSlot> {
    const client = await connectPg({ connectionString, application_name: 'kasho-snapshot-export', keepAlive: true }, { replication: true });
    try {
      const version = Number((await client.query<{ server_version_num: string }>('SHOW server_version_num')).rows[0].server_version_num);
      const ident = quoteIdent(slotName);
      if (!options.temporary) {
        const exists = await client.query(`SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = ${quoteLiteral(slotName)}`);
        if (exists.rows.length > 0) await client.query(`DROP_REPLICATION_SLOT ${ident}${version >= 130000 ? ' WAIT' : ''}`);
      }
      const temporary = options.temporary ? ' TEMPORARY' : '';
      const sql =
        version >= 150000
          ? `CREATE_REPLICATION_SLOT ${ident}${temporary} LOGICAL pgoutput (SNAPSHOT 'export')`
          : `CREATE_REPLICATION_SLOT ${ident}${temporary} LOGICAL pgoutput EXPORT_SNAPSHOT`;
      const { rows } = await client.query<{ slot_name: string; consistent_point: string; snapshot_name: string }>(sql);
      const row = rows[0];
      if (!row?.snapshot_name) throw new SlotExportError('CREATE_REPLICATION_SLOT returned no snapshot');
      return new ExportSlot(client, { slotName: row.slot_name, snapshotName: row.snapshot_name, consistentLsn: lsnToBigInt(row.consistent_point) });
    } catch (err) {
      await closePg(client);
      throw err;
    }
  }

  /** Ends the export (and drops a temporary slot). Idempotent. */
  async close(): Promise<void> {
    await closePg(this.client);
  }
}

/** A snapshot name as pg_export_snapshot() makes it (hex digits and dashes); checked before it is put in SQL. */
export function assertSnapshotName(name: string): string {
  if (!/^[0-9A-Fa-f-]{1,64}$/.test(name)) throw new InvalidSnapshotNameError(name);
  return name;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
