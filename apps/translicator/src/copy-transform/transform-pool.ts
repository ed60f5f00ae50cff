import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CopyFormat, SnapshotTable } from '@kasho/contracts';

interface Pending {
  resolve: (data: Buffer) => void;
  reject: (err: Error) => void;
}

/**
 * Worker threads that transform COPY rows, so a table with transform rules does not serialise the
 * snapshot on the main thread (which keeps moving bytes for the other ranges). Each thread runs its
 * own TransformEngine on the same transforms.yml and secret: outputs are identical (keyed and
 * deterministic); only `unique` collision detection is per thread (the target's unique index stays
 * the final check). Only built-in transforms exist in the threads; not available from ts sources
 * (tests), where the in-thread CopyTransformer is used instead.
 */
export class TransformPool {
  private static readonly SCRIPT = join(__dirname, 'transform.worker.js');
  private readonly logger = new Logger('Snapshot');
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[];
  private nextId = 0;
  private closed = false;

  private constructor(private readonly workers: Worker[]) {
    this.load = workers.map(() => 0);
  }

  static available(): boolean {
    return existsSync(TransformPool.SCRIPT);
  }

  /** Starts `threads` workers and resolves once every one has loaded the transforms. */
  static async start(options: { file: string; secret?: string; threads: number }): Promise<TransformPool> {
    const workers = Array.from(
      { length: options.threads },
      () => new Worker(TransformPool.SCRIPT, { workerData: { file: options.file, secret: options.secret } }),
    );
    const pool = new TransformPool(workers);
    try {
      await Promise.all(workers.map((w, i) => pool.attach(w, i)));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Transforms whole rows of `table` (its columns, unique indexes and foreign keys go with them); resolves with the transformed rows. */
  transform(table: SnapshotTable, format: CopyFormat, data: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the transform pool is closed'));
    const id = this.nextId++;
    let index = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i] < this.load[index]) index = i;
    this.load[index]++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, {
        resolve: (d) => (this.load[index]--, resolve(d)),
        reject: (e) => (this.load[index]--, reject(e)),
      });
      const transferable = data.byteOffset === 0 && data.buffer.byteLength === data.length;
      const { schema, table: name, columns, uniqueIndexes, foreignKeys } = table;
      this.workers[index].postMessage(
        { id, schema, table: name, columns, uniqueIndexes, foreignKeys, format, data },
        transferable ? [data.buffer as ArrayBuffer] : [],
      );
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) p.reject(new Error('the transform pool closed'));
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate().catch(() => undefined)));
  }

  private attach(worker: Worker, index: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: { id?: number; data?: Uint8Array; error?: string; ready?: boolean }) => {
        if (message.ready !== undefined) {
          if (message.ready) resolve();
          else reject(new Error(`transform worker ${index} failed to start: ${message.error}`));
          return;
        }
        const pending = this.pending.get(message.id!);
        if (!pending) return;
        this.pending.delete(message.id!);
        if (message.error !== undefined) pending.reject(new Error(message.error));
        else pending.resolve(Buffer.from(message.data!.buffer, message.data!.byteOffset, message.data!.byteLength));
      });
      worker.on('error', (err) => {
        reject(err);
        this.failAll(new Error(`transform worker ${index} failed: ${err.message}`));
      });
      worker.on('exit', (code) => {
        if (!this.closed) this.failAll(new Error(`transform worker ${index} exited (code ${code})`));
      });
    });
  }

  private failAll(err: Error): void {
    if (!this.closed) this.logger.error(err.message);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
