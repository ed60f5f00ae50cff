import { bigIntToLsn } from '@kasho/contracts';

/**
 * Errors of the capture side. Messages name what to do and never carry a password or a connection
 * string: they end up in logs and in /health.
 */

/** Base class: anything that stops the source setup or the WAL reader. */
export class ReplicationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `wal_level` is not `logical`: nothing Kasho can fix without a server restart. */
export class WalLevelError extends ReplicationError {
  constructor(readonly walLevel: string) {
    super(`source wal_level is "${walLevel}"; Kasho needs wal_level=logical (see sql/00-check-wal-level.sql)`);
  }
}

/** The connected role may not create what Kasho needs; a DBA has to run the named file once. */
export class SourcePrivilegeError extends ReplicationError {
  constructor(
    readonly sqlFile: string,
    what: string,
    cause: unknown,
  ) {
    super(
      `insufficient privilege to ${what} on the source (${pgMessage(cause)}); ` +
        `a DBA must run sql/${sqlFile} once as a superuser, then Kasho only verifies it`,
      { cause },
    );
  }
}

/** The slot is streaming to another process; two readers on one slot would each lose changes. */
export class SlotInUseError extends ReplicationError {
  constructor(
    readonly slotName: string,
    readonly activePid: number | null,
  ) {
    super(
      `replication slot "${slotName}" is in use by another process (pid ${activePid ?? 'unknown'}): ` +
        `only one pg-change-stream may use a slot; stop the other instance, or drop the slot with ` +
        `SELECT pg_drop_replication_slot('${slotName}') / use a different REPLICATION_SLOT`,
    );
  }
}

/** The source is set up in a way Kasho cannot work with (wrong plugin, publication without DDL log...). */
export class SourceSetupError extends ReplicationError {}

/**
 * Not a failure: the slot has passed the creation of `<publication>_inserts`, so the session that streamed
 * `<publication>` alone ends and the next one streams both (capture restarts from the slot, losing nothing).
 */
export class PublicationSwitchError extends ReplicationError {
  constructor(publication: string, lsn: bigint) {
    super(`the slot has passed the creation of publication "${publication}_inserts" (LSN ${bigIntToLsn(lsn)}): restarting the stream with both publications`);
  }
}

/** A `kasho.ddl_log` row that cannot be matched to exactly one statement: fail closed, never guess. */
export class DdlCaptureError extends ReplicationError {}

/** The server's message of a pg error (or any error), without anything from the connection config. */
export function pgMessage(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `${err.message} [SQLSTATE ${code}]` : err.message;
  }
  return String(err);
}

/** SQLSTATE of a pg error, if any. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** insufficient_privilege (42501), or a "must be superuser / replication role" refusal. */
export function isPrivilegeError(err: unknown): boolean {
  return sqlState(err) === '42501' || /must be (a )?superuser|must be superuser or replication role|permission denied/i.test(pgMessage(err));
}

/** Creating a slot with an exported snapshot did not give a snapshot. */
export class SlotExportError extends ReplicationError {}

/** A snapshot id that pg_export_snapshot() cannot have made; refused before it is put in SQL. */
export class InvalidSnapshotNameError extends ReplicationError {
  constructor(readonly snapshotName: string) {
    super(`invalid snapshot id "${snapshotName}"`);
  }
}
