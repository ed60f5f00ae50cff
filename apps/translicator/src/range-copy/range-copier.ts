import { Inject, Injectable } from '@nestjs/common';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BlockRange, CopyFormat, SnapshotPlan, SnapshotTable } from '@kasho/contracts';
import { BINARY_TEXT_TYPE_OIDS, copyOptions } from '@kasho/pg-copy';
import { CopyTransformers } from '../copy-transform/copy-transformers';
import { SnapshotGrpcClient } from '../ingest/snapshot.client';
import { CopyRowCountError } from './range-copy.errors';
import { RANGE_COPY_OPTIONS, RangeCopyOptions } from './range-copy.module-definition';
import type { TargetCatalog } from './target-catalog';

/** Type OIDs below this are built into PostgreSQL: the same type on every server of a major version. */
const FIRST_NORMAL_OBJECT_ID = 16384;

/**
 * One block range from pg-change-stream into the target, in the caller's transaction, through the
 * table's transformer when it has rules. COPY binary when both servers read the rows alike and the
 * transforms can read them: every column a built-in type, an enum or a domain over a built-in type,
 * each one the same type on the target, source and target on the same major version, the columns
 * the transforms read or write text-typed, SNAPSHOT_COPY_FORMAT=auto; else COPY text.
 */
@Injectable()
export class RangeCopier {
  constructor(
    private readonly client: SnapshotGrpcClient,
    private readonly transformers: CopyTransformers,
    @Inject(RANGE_COPY_OPTIONS) private readonly options: RangeCopyOptions,
  ) {}

  /** `mode: strict`: refuses (TransformError) a table with a column transforms.yml does not list, before any row is copied. */
  /** Which rules apply to each of `tables`, from the target's partition trees (CopyTransformers.learnPartitions). */
  learnPartitions(target: Pick<Client, 'query'>, tables: readonly SnapshotTable[]): Promise<void> {
    return this.transformers.learnPartitions(target, tables);
  }

  refuseUnlisted(tables: readonly SnapshotTable[]): void {
    this.transformers.refuseUnlisted(tables);
  }

  /**
   * The format `table`'s ranges travel in. Binary values carry no type: a column of another type on
   * the target (changed there by hand) would read them wrongly, so such a table goes as text. An
   * enum's binary value is its label, read by name on the target, and a domain's is its built-in base
   * type's (arrays and composites of user-defined types carry their OIDs, which differ on the
   * target: they go as text).
   */
  formatFor(plan: SnapshotPlan, table: SnapshotTable, target: TargetCatalog): CopyFormat {
    if (this.options.copyFormat !== 'auto') return 'text';
    const sameMajor = plan.sourceVersionNum > 0 && Math.floor(plan.sourceVersionNum / 10_000) === Math.floor(target.versionNum / 10_000);
    const sameTypes = table.columns.every(
      (c) =>
        c.typeOid > 0 &&
        (c.typeOid < FIRST_NORMAL_OBJECT_ID || target.isPortable(table.schema, table.table, c.name)) &&
        target.columnType(table.schema, table.table, c.name) === c.type,
    );
    const ruled = new Set(this.transformers.ruleColumns(table));
    const readable = table.columns.every((c) => !ruled.has(c.name) || BINARY_TEXT_TYPE_OIDS.has(c.typeOid));
    return sameMajor && sameTypes && readable ? 'binary' : 'text';
  }

  /**
   * Resolves with the rows written: PostgreSQL's own count (`COPY n`), which must equal the rows
   * pg-change-stream said it sent, or the range fails (and rolls back with the caller's transaction).
   */
  async copy(
    target: Client,
    plan: SnapshotPlan,
    table: SnapshotTable,
    range: BlockRange,
    format: CopyFormat,
    onProgress: (rows: number, bytes: number) => void,
  ): Promise<number> {
    const transformer = await this.transformers.for(table, format);
    let sent = 0;
    const source = this.client.copyRange(plan.snapshotId, table.schema, table.table, range, format, (rows) => {
      sent += rows;
      onProgress(rows, 0);
    });
    try {
      const written = await copyIntoTarget(target, table, source, transformer, format, (bytes) => onProgress(0, bytes));
      if (written !== sent) throw new CopyRowCountError(table.schema, table.table, written, sent);
      return written;
    } catch (err) {
      onProgress(-sent, 0);
      throw err;
    }
  }
}

/**
 * Pipes one range's COPY data (already transformed where the table has rules) into
 * `COPY table (columns) FROM STDIN` on `target`, inside the caller's transaction. Resolves with the
 * rows PostgreSQL reports written; `onBytes` sees the bytes as they stream (and takes them back on
 * failure).
 */
async function copyIntoTarget(
  target: Client,
  table: SnapshotTable,
  source: Readable,
  transformer: Transform | null,
  format: CopyFormat,
  onBytes: (bytes: number) => void,
): Promise<number> {
  const name = `${target.escapeIdentifier(table.schema)}.${target.escapeIdentifier(table.table)}`;
  const columns = table.columns.map((c) => target.escapeIdentifier(c.name)).join(', ');
  const ingest = target.query(copyFrom(`COPY ${name} (${columns}) FROM STDIN${copyOptions(format)}`));
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
  try {
    if (transformer) await pipeline(source, transformer, counter, ingest);
    else await pipeline(source, counter, ingest);
  } catch (err) {
    onBytes(-bytes);
    throw err;
  }
  return ingest.rowCount;
}
