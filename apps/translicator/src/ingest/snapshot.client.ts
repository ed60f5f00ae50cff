import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ClientGrpc } from '@nestjs/microservices';
import { Metadata, ServiceError } from '@grpc/grpc-js';
import { Readable, Transform } from 'node:stream';
import {
  BlockRange,
  CopyFormat,
  SNAPSHOT_SERVICE_NAME,
  SequenceValue,
  SnapshotPlan,
  WireCopyChunk,
  WireEmpty,
  WireSequenceList,
  WireSnapshotClient,
  WireSnapshotPlan,
  fromWireSequence,
  fromWireSnapshotPlan,
  toWireCopyFormat,
} from '@kasho/contracts';
import { snapshotCallError } from './grpc-status.mapper';
import { SNAPSHOT_GRPC_CLIENT } from './ingest.tokens';

type Callback<T> = (err: ServiceError | null, value?: T) => void;

/** The translicator's side of kasho.v1.Snapshot; the only place here that knows its proto shapes. */
@Injectable()
export class SnapshotGrpcClient implements OnModuleInit {
  private static readonly PREPARE_TIMEOUT_MS = 30 * 60_000;
  private static readonly CALL_TIMEOUT_MS = 60_000;
  /** The raw grpc-js client: its server streams are Node Readables, so a slow target pauses the read (I5). */
  private client!: WireSnapshotClient;

  constructor(@Inject(SNAPSHOT_GRPC_CLIENT) private readonly grpc: ClientGrpc) {}

  onModuleInit(): void {
    this.client = this.grpc.getClientByServiceName<WireSnapshotClient>(SNAPSHOT_SERVICE_NAME);
  }

  async prepare(request: { table?: string; resumeSnapshotId?: string; workers: number; targetId?: string }): Promise<SnapshotPlan> {
    const wire = await this.unary<WireSnapshotPlan>(
      (cb) =>
        this.client.Prepare(
          { table: request.table ?? '', resume_snapshot_id: request.resumeSnapshotId ?? '', workers: request.workers, target_id: request.targetId ?? '' },
          new Metadata(),
          { deadline: Date.now() + SnapshotGrpcClient.PREPARE_TIMEOUT_MS },
          cb,
        ),
      'Prepare',
    );
    return fromWireSnapshotPlan(wire);
  }

  /**
   * COPY data of one range as a byte stream (whole rows per chunk); `onRows` hears how many rows each
   * chunk holds as it arrives. Errors: SnapshotLostError when the snapshot is gone.
   */
  copyRange(snapshotId: string, schema: string, table: string, range: BlockRange, format: CopyFormat, onRows: (rows: number) => void): Readable {
    const call = this.client.CopyRange({
      snapshot_id: snapshotId,
      schema,
      table,
      start_block: range.startBlock.toString(),
      end_block: range.endBlock.toString(),
      format: toWireCopyFormat(format),
    });
    const bytes = new Transform({
      writableObjectMode: true,
      transform(chunk: WireCopyChunk, _enc, cb) {
        onRows(Number(chunk.rows));
        cb(null, chunk.data);
      },
    });
    call.on('error', (err: ServiceError) => bytes.destroy(snapshotCallError(err, 'CopyRange')));
    bytes.on('close', () => call.cancel());
    return call.pipe(bytes);
  }

  async finish(snapshotId: string): Promise<void> {
    await this.unary<WireEmpty>(
      (cb) => this.client.Finish({ snapshot_id: snapshotId }, new Metadata(), { deadline: Date.now() + SnapshotGrpcClient.CALL_TIMEOUT_MS }, cb),
      'Finish',
    );
  }

  async sequences(): Promise<SequenceValue[]> {
    const wire = await this.unary<WireSequenceList>(
      (cb) => this.client.Sequences({}, new Metadata(), { deadline: Date.now() + SnapshotGrpcClient.CALL_TIMEOUT_MS }, cb),
      'Sequences',
    );
    return (wire.sequences ?? []).map(fromWireSequence);
  }

  private unary<T>(call: (cb: Callback<T>) => void, name: string): Promise<T> {
    return new Promise<T>((resolve, reject) => call((err, value) => (err ? reject(snapshotCallError(err, name)) : resolve(value as T))));
  }
}
