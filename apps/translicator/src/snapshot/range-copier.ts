import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SnapshotTable } from '@kasho/contracts';

/**
 * Pipes one range's COPY text (already transformed where the table has rules) into
 * `COPY table (columns) FROM STDIN` on `target`, inside the caller's transaction. Resolves with the
 * rows and bytes written; `onProgress` sees them as they stream.
 */
export async function copyIntoTarget(
  target: Client,
  table: SnapshotTable,
  source: Readable,
  transformer: Transform | null,
  onProgress: (rows: number, bytes: number) => void,
): Promise<{ rows: number; bytes: number }> {
  const name = `${target.escapeIdentifier(table.schema)}.${target.escapeIdentifier(table.table)}`;
  const columns = table.columns.map((c) => target.escapeIdentifier(c.name)).join(', ');
  const ingest = target.query(copyFrom(`COPY ${name} (${columns}) FROM STDIN`));
  let rows = 0;
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let n = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
      rows += n;
      bytes += chunk.length;
      onProgress(n, chunk.length);
      callback(null, chunk);
    },
  });
  try {
    if (transformer) await pipeline(source, transformer, counter, ingest);
    else await pipeline(source, counter, ingest);
  } catch (err) {
    onProgress(-rows, -bytes);
    throw err;
  }
  return { rows, bytes };
}
