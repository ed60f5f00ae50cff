import { Transform, TransformCallback } from 'node:stream';
import type { ColumnMeta, CopyFormat } from '@kasho/contracts';
import type { TransformEngine } from '@kasho/transforms';
import { CopyRowTransformer } from './copy-row-transformer';

/**
 * COPY text or binary in, the same out, for a table with transform rules, in this thread (see
 * {@link CopyRowTransformer}; {@link PooledCopyTransformer} does the same on worker threads).
 * Chunks may end anywhere: an incomplete row waits for the next chunk.
 */
export class CopyTransformer extends Transform {
  private carry: Buffer | null = null;
  private readonly rows: CopyRowTransformer;

  constructor(engine: TransformEngine, schema: string, table: string, columns: ColumnMeta[], format: CopyFormat = 'text') {
    super();
    this.rows = new CopyRowTransformer(engine, schema, table, columns, format);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    this.rows.transformRows(buf).then(
      ({ output, consumed }) => {
        if (consumed < buf.length) this.carry = Buffer.from(buf.subarray(consumed));
        callback(null, output);
      },
      (err: Error) => callback(err),
    );
  }

  override _flush(callback: TransformCallback): void {
    if (this.carry && this.carry.length > 0) callback(new Error(`COPY data of ${this.rows.schema}.${this.rows.table} ends inside a row`));
    else callback();
  }
}
