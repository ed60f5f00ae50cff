/**
 * A transform worker thread (see TransformPool): loads the built-in transforms on the same
 * transforms.yml and secret as the main thread (without a Nest application: @nestjs/core is not
 * loaded here), then turns chunks of whole COPY rows into transformed ones.
 * Messages in: {id, schema, table, columns, uniqueIndexes, foreignKeys, format, data}; out: {id, data} or {id, error}. Errors name the
 * table and column, never a value.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parentPort, workerData } from 'node:worker_threads';
import type { ColumnMeta, CopyFormat, ForeignKey, UniqueIndex } from '@kasho/contracts';
import { createBuiltinTransformEngine } from '@kasho/transforms/builtin-engine';
import { CopyRowTransformer } from './copy-row-transformer';

interface Job {
  id: number;
  schema: string;
  table: string;
  columns: ColumnMeta[];
  /** The table's unique indexes and foreign keys on the source: which columns get unique-safe output. */
  uniqueIndexes: UniqueIndex[];
  foreignKeys: ForeignKey[];
  format: CopyFormat;
  data: Uint8Array;
}

async function main(): Promise<void> {
  const { file, secret } = workerData as { file: string; secret?: string };
  // The main thread has logged the same load and warnings already.
  Logger.overrideLogger(false);
  const engine = createBuiltinTransformEngine({ file, secret });
  const transformers = new Map<string, CopyRowTransformer>();
  parentPort!.on('message', (job: Job) => {
    const key = `${job.format}\u0000${job.schema}\u0000${job.table}\u0000${job.columns.map((c) => c.name).join('\u0000')}`;
    engine.useUniqueKeys(job.schema, job.table, { uniqueIndexes: job.uniqueIndexes, foreignKeys: job.foreignKeys });
    let rows = transformers.get(key);
    if (!rows) transformers.set(key, (rows = new CopyRowTransformer(engine, job.schema, job.table, job.columns, job.format)));
    const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
    rows.transformRows(data).then(
      ({ output, consumed }) => {
        if (consumed !== data.length) parentPort!.postMessage({ id: job.id, error: `COPY data of ${job.schema}.${job.table} ends inside a row` });
        else {
          const copy = Buffer.from(output);
          const transferable = copy.byteOffset === 0 && copy.buffer.byteLength === copy.length;
          parentPort!.postMessage({ id: job.id, data: copy }, transferable ? [copy.buffer as ArrayBuffer] : []);
        }
      },
      (err: Error) => parentPort!.postMessage({ id: job.id, error: err.message }),
    );
  });
  parentPort!.postMessage({ ready: true });
}

main().catch((err: Error) => parentPort!.postMessage({ ready: false, error: err.message }));
