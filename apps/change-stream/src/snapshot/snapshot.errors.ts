/**
 * Errors of the snapshot source. Messages say what to do next and never carry a connection string
 * or a password (they reach the translicator and the logs). grpc/grpc-status.mapper.ts gives each
 * its gRPC status.
 */

/** Base class of the snapshot source's own errors. */
export class SnapshotError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The snapshot id names no snapshot held here (released, expired, or the process restarted). */
export class SnapshotNotHeldError extends SnapshotError {}

/** The table is not published, or not in the snapshot's plan. */
export class SnapshotTableNotFoundError extends SnapshotError {}

/** The request itself is wrong (a missing target id, a table name that does not parse). */
export class SnapshotRequestError extends SnapshotError {}

/** No pg_dump to read the schema with. */
export class PgDumpNotFoundError extends SnapshotError {}

/** pg_dump exited with an error (its last lines, the password masked). */
export class PgDumpError extends SnapshotError {}

/** COPY data ended in the middle of a row: the range was not read whole. */
export class CopyRangeTruncatedError extends SnapshotError {}
