import { Transform, TransformCallback } from 'node:stream';
import type { CopyFormat, SnapshotTable } from '@kasho/contracts';
import { textRowsEnd } from '@kasho/pg-copy';
import type { TransformPool } from './transform-pool';

/** Chunks of one range in the pool at once; the output keeps their order. */
const IN_FLIGHT = 4;

/**
 * The CopyTransformer contract on worker threads: chunks are cut at the last row boundary (COPY
 * text; COPY binary chunks hold whole rows, the CopyRange contract, which the thread checks), sent to
 * the pool (up to IN_FLIGHT at a time, bounded) and pushed back in their original order.
 */
export class PooledCopyTransformer extends Transform {
  private carry: Buffer | null = null;
  private readonly inflight: Promise<Buffer>[] = [];

  constructor(
    private readonly pool: TransformPool,
    private readonly table: SnapshotTable,
    private readonly format: CopyFormat = 'text',
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = this.format === 'binary' ? buf.length : textRowsEnd(buf);
    this.carry = end < buf.length ? Buffer.from(buf.subarray(end)) : null;
    if (end > 0) {
      // An own copy of the rows: it is handed (transferred) to a worker thread.
      const job = this.pool.transform(this.table, this.format, Buffer.from(buf.subarray(0, end)));
      job.catch(() => undefined); // awaited in order below; this only avoids an unhandled rejection meanwhile
      this.inflight.push(job);
    }
    this.drainTo(IN_FLIGHT - 1).then(
      () => callback(),
      (err: Error) => callback(err),
    );
  }

  override _flush(callback: TransformCallback): void {
    if (this.carry && this.carry.length > 0) {
      callback(new Error(`COPY data of ${this.table.schema}.${this.table.table} ends inside a row`));
      return;
    }
    this.drainTo(0).then(
      () => callback(),
      (err: Error) => callback(err),
    );
  }

  private async drainTo(limit: number): Promise<void> {
    while (this.inflight.length > limit) this.push(await this.inflight.shift()!);
  }
}
