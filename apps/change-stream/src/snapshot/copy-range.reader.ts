import { Observable } from 'rxjs';
import type { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { BlockRange, CopyChunk, CopyFormat } from '@kasho/contracts';
import { copyOptions, copyRowScanner } from '@kasho/pg-copy';
import { assertSnapshotName } from '@kasho/replication';
import { closePg, connectPg } from '@kasho/runtime';
import { rangePredicate } from './range-planner';
import { CopyRangeTruncatedError } from './snapshot.errors';

/** A chunk is sent once it holds at least this many bytes (and ends at a row boundary). */
export const COPY_CHUNK_BYTES = 128 * 1024;

/** Where the chunks go: pausing the read while the consumer's buffer is full keeps memory bounded (I5). */
export interface CopySink {
  /** True while the consumer wants no more data (gRPC: the call's buffer is full). */
  full(): boolean;
  /** Calls `resume` once when it may send again. */
  onDrain(resume: () => void): void;
}

export interface CopyRangeRequest {
  connectionString: string;
  snapshotId: string;
  schema: string;
  table: string;
  /** A partitioned table: read through its root, which scans each partition (ONLY would read none). */
  partitioned: boolean;
  columns: readonly string[];
  range: BlockRange;
  format: CopyFormat;
}

/**
 * The rows of one block range, read inside the exported snapshot with COPY … TO STDOUT (text or
 * binary), in chunks of whole rows. Each subscription opens its own source connection:
 * BEGIN REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT; COPY. Unsubscribing closes it.
 */
export function readCopyRange(request: CopyRangeRequest, sink: CopySink): Observable<CopyChunk> {
  return new Observable<CopyChunk>((subscriber) => {
    let client: Client | undefined;
    let closed = false;
    const run = async () => {
      client = await connectPg({ connectionString: request.connectionString, application_name: 'kasho-snapshot-copy' });
      // Unsubscribed while connecting: the teardown found no client to close.
      if (closed) return closePg(client);
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await client.query(`SET TRANSACTION SNAPSHOT '${assertSnapshotName(request.snapshotId)}'`);
      const stream = client.query(copyTo(copySql(client, request)));
      const scanner = copyRowScanner(request.format);
      let parts: Buffer[] = [];
      let size = 0;
      // Bytes of `parts` up to the last row end, and the rows they hold (scanner.rows at that point).
      let whole = 0;
      let wholeRows = 0;
      let sentRows = 0;
      const emit = () => {
        if (whole === 0) return; // no complete row yet: keep accumulating
        const all = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
        const rest = all.subarray(whole);
        parts = rest.length > 0 ? [rest] : [];
        size = rest.length;
        subscriber.next({ data: all.subarray(0, whole), rows: wholeRows - sentRows });
        sentRows = wholeRows;
        whole = 0;
        if (!closed && sink.full()) {
          stream.pause();
          sink.onDrain(() => stream.resume());
        }
      };
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (chunk: Buffer) => {
          let end: number;
          try {
            end = scanner.scan(chunk);
          } catch (err) {
            stream.destroy(err as Error);
            return;
          }
          if (end !== -1) {
            whole = size + end;
            wholeRows = scanner.rows;
          }
          parts.push(chunk);
          size += chunk.length;
          if (size >= COPY_CHUNK_BYTES) emit();
        });
        stream.on('error', reject);
        stream.on('end', () => {
          if (!scanner.complete) {
            reject(new CopyRangeTruncatedError(`COPY ${request.format} data of ${request.schema}.${request.table} ended inside a row`));
            return;
          }
          emit();
          resolve();
        });
      });
      await client.query('COMMIT');
    };
    run().then(
      () => {
        if (!closed) subscriber.complete();
      },
      (err: unknown) => {
        if (!closed) subscriber.error(err);
      },
    );
    return () => {
      closed = true;
      void closePg(client);
    };
  });
}

function copySql(client: Client, request: CopyRangeRequest): string {
  const table = `${client.escapeIdentifier(request.schema)}.${client.escapeIdentifier(request.table)}`;
  const columns = request.columns.map((c) => client.escapeIdentifier(c)).join(', ');
  const where = rangePredicate(request.range);
  const options = copyOptions(request.format);
  // COPY of a partitioned table itself is refused; its SELECT form reads every partition.
  if (request.partitioned) return `COPY (SELECT ${columns} FROM ${table}${where ? ` WHERE ${where}` : ''}) TO STDOUT${options}`;
  if (!where) return `COPY ${table} (${columns}) TO STDOUT${options}`;
  return `COPY (SELECT ${columns} FROM ONLY ${table} WHERE ${where}) TO STDOUT${options}`;
}
