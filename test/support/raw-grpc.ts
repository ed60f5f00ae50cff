import { ChannelCredentials, Client, Metadata, ServiceClientConstructor, ServiceError, credentials, loadPackageDefinition } from '@grpc/grpc-js';
import { Options, loadSync } from '@grpc/proto-loader';
import { GRPC_HEALTH_PROTO_PATH, KASHO_PROTO_LOADER_OPTIONS, KASHO_PROTO_PATH } from '@kasho/contracts';

/** The outcome of one call: the gRPC status code (0 = OK), its details, and the messages received. */
export interface CallOutcome {
  code: number;
  details: string;
  messages: unknown[];
}

type Package = { kasho: { v1: Record<string, ServiceClientConstructor> }; grpc: { health: { v1: Record<string, ServiceClientConstructor> } } };
const pkg = loadPackageDefinition(loadSync([KASHO_PROTO_PATH, GRPC_HEALTH_PROTO_PATH], KASHO_PROTO_LOADER_OPTIONS as Options)) as unknown as Package;

/**
 * A plain grpc-js client of pg-change-stream, as an attacker on the network would hold one: any
 * metadata, any credentials, the raw proto. For tests only.
 */
export class RawGrpc {
  readonly changeStream: Client;
  readonly snapshot: Client;
  readonly health: Client;

  constructor(address: string, creds: ChannelCredentials = credentials.createInsecure()) {
    this.changeStream = new pkg.kasho.v1.ChangeStream(address, creds);
    this.snapshot = new pkg.kasho.v1.Snapshot(address, creds);
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

  close(): void {
    for (const c of [this.changeStream, this.snapshot, this.health]) c.close();
  }
}

export function bearer(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}
