import { ClientReadableStream, Metadata, ServiceError, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import {
  KASHO_PROTO_LOADER_OPTIONS,
  KASHO_PROTO_PATH,
  WireAckRequest,
  WireChangeBatch,
  WireCopyChunk,
  WireCopyRangeRequest,
  WireFinishSnapshotRequest,
  WirePrepareSnapshotRequest,
  WireSnapshotPlan,
  WireStreamRequest,
} from '@kasho/contracts';
import { E2E_CHANGE_STREAM_TOKEN } from './service-process';

type Callback<T> = (err: ServiceError | null, value?: T) => void;
type Unary<Req, Res> = (request: Req, metadata: Metadata, options: { deadline: number }, cb: Callback<Res>) => void;

interface RawChangeStream {
  Stream(request: Partial<WireStreamRequest>, metadata: Metadata): ClientReadableStream<WireChangeBatch>;
  Ack: Unary<Partial<WireAckRequest>, Record<string, never>>;
  close(): void;
}

interface RawSnapshot {
  Prepare: Unary<Partial<WirePrepareSnapshotRequest>, WireSnapshotPlan>;
  CopyRange(request: Partial<WireCopyRangeRequest>, metadata: Metadata): ClientReadableStream<WireCopyChunk>;
  Finish: Unary<Partial<WireFinishSnapshotRequest>, Record<string, never>>;
  close(): void;
}

/**
 * Plain @grpc/grpc-js clients of kasho.v1 (ChangeStream, Snapshot), as any program on the network could
 * build them: for tests that call the RPCs directly (forged acks, refused tables). The one place a
 * test builds such clients, so credentials (a token, TLS) are added here once.
 */
export class KashoGrpcClients {
  readonly changeStream: RawChangeStream;
  readonly snapshot: RawSnapshot;

  constructor(port: string | number) {
    const pkg = loadPackageDefinition(loadSync(KASHO_PROTO_PATH, KASHO_PROTO_LOADER_OPTIONS)) as unknown as {
      kasho: { v1: Record<'ChangeStream' | 'Snapshot', new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => unknown> };
    };
    const address = `127.0.0.1:${port}`;
    this.changeStream = new pkg.kasho.v1.ChangeStream(address, credentials.createInsecure()) as RawChangeStream;
    this.snapshot = new pkg.kasho.v1.Snapshot(address, credentials.createInsecure()) as RawSnapshot;
  }

  /** The test file's CHANGE_STREAM_TOKEN: these clients are authenticated, their requests are what is forged. */
  metadata(): Metadata {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${E2E_CHANGE_STREAM_TOKEN}`);
    return metadata;
  }

  stream(request: Partial<WireStreamRequest>): ClientReadableStream<WireChangeBatch> {
    return this.changeStream.Stream(request, this.metadata());
  }

  ack(request: Partial<WireAckRequest>): Promise<Record<string, never>> {
    return this.unary(this.changeStream.Ack.bind(this.changeStream), request);
  }

  prepare(request: Partial<WirePrepareSnapshotRequest>): Promise<WireSnapshotPlan> {
    return this.unary(this.snapshot.Prepare.bind(this.snapshot), request);
  }

  finish(request: Partial<WireFinishSnapshotRequest>): Promise<Record<string, never>> {
    return this.unary(this.snapshot.Finish.bind(this.snapshot), request);
  }

  /** Every chunk of a CopyRange call, or its error. */
  copyRange(request: Partial<WireCopyRangeRequest>): Promise<WireCopyChunk[]> {
    const call = this.snapshot.CopyRange(request, this.metadata());
    const chunks: WireCopyChunk[] = [];
    return new Promise((resolve, reject) => {
      call.on('data', (chunk: WireCopyChunk) => chunks.push(chunk));
      call.on('error', reject);
      call.on('end', () => resolve(chunks));
    });
  }

  close(): void {
    this.changeStream.close();
    this.snapshot.close();
  }

  private unary<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
      method(request, this.metadata(), { deadline: Date.now() + 30_000 }, (err, value) => (err ? reject(err) : resolve(value as Res))),
    );
  }
}
