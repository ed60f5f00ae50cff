import { ChannelCredentials, Client, ClientReadableStream, Metadata, ServiceError, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { Options, loadSync } from '@grpc/proto-loader';
import {
  GRPC_HEALTH_PROTO_PATH,
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

/** The outcome of one call: the gRPC status code (0 = OK), its details, and the messages received. */
export interface CallOutcome {
  code: number;
  details: string;
  messages: unknown[];
}

type Callback<T> = (err: ServiceError | null, value?: T) => void;
type Unary<Req, Res> = (request: Req, metadata: Metadata, options: { deadline: number }, cb: Callback<Res>) => void;

type RawChangeStream = Client & {
  Stream(request: Partial<WireStreamRequest>, metadata: Metadata): ClientReadableStream<WireChangeBatch>;
  Ack: Unary<Partial<WireAckRequest>, Record<string, never>>;
};

type RawSnapshot = Client & {
  Prepare: Unary<Partial<WirePrepareSnapshotRequest>, WireSnapshotPlan>;
  CopyRange(request: Partial<WireCopyRangeRequest>, metadata: Metadata): ClientReadableStream<WireCopyChunk>;
  Finish: Unary<Partial<WireFinishSnapshotRequest>, Record<string, never>>;
};

type ClientConstructor = new (address: string, creds: ChannelCredentials) => Client;
type Package = { kasho: { v1: Record<string, ClientConstructor> }; grpc: { health: { v1: Record<string, ClientConstructor> } } };
const pkg = loadPackageDefinition(loadSync([KASHO_PROTO_PATH, GRPC_HEALTH_PROTO_PATH], KASHO_PROTO_LOADER_OPTIONS as Options)) as unknown as Package;

/**
 * Plain @grpc/grpc-js clients of pg-change-stream (kasho.v1 ChangeStream and Snapshot, grpc.health.v1),
 * as any program on the network could build them: the raw proto, any credentials, any metadata. The
 * one place a test builds such clients. For tests only.
 *
 * - `unary` / `serverStream` call any method with the metadata given and report the status, as an
 *   attacker would (no token, a wrong one, no client certificate).
 * - `stream` / `ack` / `prepare` / `finish` / `copyRange` carry the client's own token (see
 *   `authenticated`): the client is let in, its requests are what is forged (acks, refused tables).
 */
export class RawGrpc {
  readonly changeStream: RawChangeStream;
  readonly snapshot: RawSnapshot;
  readonly health: Client;

  /** Clients of the pg-change-stream on 127.0.0.1:`port` that carry the test file's CHANGE_STREAM_TOKEN. */
  static authenticated(port: string | number): RawGrpc {
    return new RawGrpc(`127.0.0.1:${port}`, credentials.createInsecure(), E2E_CHANGE_STREAM_TOKEN);
  }

  constructor(
    address: string,
    creds: ChannelCredentials = credentials.createInsecure(),
    private readonly token?: string,
  ) {
    this.changeStream = new pkg.kasho.v1.ChangeStream(address, creds) as RawChangeStream;
    this.snapshot = new pkg.kasho.v1.Snapshot(address, creds) as RawSnapshot;
    this.health = new pkg.grpc.health.v1.Health(address, creds);
  }

  unary(client: Client, method: string, request: object, metadata = new Metadata(), timeoutMs = 15_000): Promise<CallOutcome> {
    return new Promise((resolve) => {
      const fn = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method].bind(client);
      fn(request, metadata, { deadline: Date.now() + timeoutMs }, (err: ServiceError | null, value: unknown) =>
        resolve(err ? { code: err.code, details: err.details, messages: [] } : { code: 0, details: '', messages: [value] }),
      );
    });
  }

  /** A server stream: resolves at its status, or after `maxMessages` messages (then cancels it). */
  serverStream(client: Client, method: string, request: object, metadata = new Metadata(), timeoutMs = 15_000, maxMessages = 1): Promise<CallOutcome> {
    return new Promise((resolve) => {
      const fn = (client as unknown as Record<string, (...args: unknown[]) => NodeJS.EventEmitter & { cancel(): void }>)[method].bind(client);
      const call = fn(request, metadata, { deadline: Date.now() + timeoutMs });
      const messages: unknown[] = [];
      let done = false;
      const finish = (outcome: CallOutcome) => {
        if (done) return;
        done = true;
        resolve(outcome);
      };
      call.on('data', (m: unknown) => {
        messages.push(m);
        if (messages.length >= maxMessages) {
          finish({ code: 0, details: 'stopped after the first messages', messages });
          call.cancel();
        }
      });
      call.on('error', (err: ServiceError) => finish({ code: err.code, details: err.details, messages }));
      call.on('status', (s: { code: number; details: string }) => finish({ code: s.code, details: s.details, messages }));
    });
  }

  /** The client's own token as `authorization: Bearer …` (no header without one). */
  metadata(): Metadata {
    return this.token === undefined ? new Metadata() : bearer(this.token);
  }

  stream(request: Partial<WireStreamRequest>): ClientReadableStream<WireChangeBatch> {
    return this.changeStream.Stream(request, this.metadata());
  }

  ack(request: Partial<WireAckRequest>): Promise<Record<string, never>> {
    return this.call(this.changeStream.Ack.bind(this.changeStream), request);
  }

  prepare(request: Partial<WirePrepareSnapshotRequest>): Promise<WireSnapshotPlan> {
    return this.call(this.snapshot.Prepare.bind(this.snapshot), request);
  }

  finish(request: Partial<WireFinishSnapshotRequest>): Promise<Record<string, never>> {
    return this.call(this.snapshot.Finish.bind(this.snapshot), request);
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
    for (const c of [this.changeStream, this.snapshot, this.health]) c.close();
  }

  private call<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) =>
      method(request, this.metadata(), { deadline: Date.now() + 30_000 }, (err, value) => (err ? reject(err) : resolve(value as Res))),
    );
  }
}

export function bearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}
