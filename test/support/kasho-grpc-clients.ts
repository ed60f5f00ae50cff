import { ClientReadableStream, Metadata, ServiceError, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import {
  KASHO_PROTO_LOADER_OPTIONS,
  KASHO_PROTO_PATH,
  KashoGrpcPackage,
  WireAckRequestInput,
  WireAckResponse,
  WireChangeBatch,
  WireChangeStreamClient,
  WireCopyChunk,
  WireCopyRangeRequestInput,
  WireEmpty,
  WireFinishSnapshotRequestInput,
  WirePrepareSnapshotRequestInput,
  WireSnapshotClient,
  WireSnapshotPlan,
  WireStreamRequestInput,
} from '@kasho/contracts';
import { E2E_CHANGE_STREAM_TOKEN } from './service-process';

type Callback<T> = (err: ServiceError | null, value?: T) => void;

/**
 * Plain @grpc/grpc-js clients of kasho.v1 (ChangeStream, Snapshot), as any program on the network could
 * build them: for tests that call the RPCs directly (forged acks, refused tables). The one place a
 * test builds such clients, so credentials (a token, TLS) are added here once.
 */
export class KashoGrpcClients {
  readonly changeStream: WireChangeStreamClient;
  readonly snapshot: WireSnapshotClient;

  constructor(port: string | number) {
    const pkg = loadPackageDefinition(loadSync(KASHO_PROTO_PATH, KASHO_PROTO_LOADER_OPTIONS)) as unknown as KashoGrpcPackage;
    const address = `127.0.0.1:${port}`;
    this.changeStream = new pkg.kasho.v1.ChangeStream(address, credentials.createInsecure());
    this.snapshot = new pkg.kasho.v1.Snapshot(address, credentials.createInsecure());
  }

  /** The test file's CHANGE_STREAM_TOKEN: these clients are authenticated, their requests are what is forged. */
  metadata(): Metadata {
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${E2E_CHANGE_STREAM_TOKEN}`);
    return metadata;
  }

  stream(request: WireStreamRequestInput): ClientReadableStream<WireChangeBatch> {
    return this.changeStream.Stream(request, this.metadata());
  }

  ack(request: WireAckRequestInput): Promise<WireAckResponse> {
    return this.unary<WireAckResponse>((metadata, options, cb) => this.changeStream.Ack(request, metadata, options, cb));
  }

  prepare(request: WirePrepareSnapshotRequestInput): Promise<WireSnapshotPlan> {
    return this.unary<WireSnapshotPlan>((metadata, options, cb) => this.snapshot.Prepare(request, metadata, options, cb));
  }

  finish(request: WireFinishSnapshotRequestInput): Promise<WireEmpty> {
    return this.unary<WireEmpty>((metadata, options, cb) => this.snapshot.Finish(request, metadata, options, cb));
  }

  /** Every chunk of a CopyRange call, or its error. */
  copyRange(request: WireCopyRangeRequestInput): Promise<WireCopyChunk[]> {
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

  private unary<Res>(call: (metadata: Metadata, options: { deadline: number }, cb: Callback<Res>) => void): Promise<Res> {
    return new Promise((resolve, reject) =>
      call(this.metadata(), { deadline: Date.now() + 30_000 }, (err, value) => (err ? reject(err) : resolve(value as Res))),
    );
  }
}
