import { Module, Provider } from '@nestjs/common';
import { ClientGrpcProxy, ClientProxyFactory, GrpcOptions, Transport } from '@nestjs/microservices';
import { TerminusModule } from '@nestjs/terminus';
import {
  GRPC_HEALTH_PACKAGE,
  GRPC_HEALTH_PROTO_PATH,
  GRPC_MESSAGE_LIMITS,
  KASHO_PROTO_LOADER_OPTIONS,
  KASHO_PROTO_PACKAGE,
  KASHO_PROTO_PATH,
} from '@kasho/contracts';
import { changeStreamChannel } from './change-stream-channel';
import { ChangeStreamGrpcClient } from './change-stream.client';
import { ChangeStreamPeerHealthIndicator } from './change-stream.health';
import { ConfigurableIngestModule, INGEST_OPTIONS, IngestOptions } from './ingest.module-definition';
import { CHANGE_STREAM_GRPC_CLIENT, SNAPSHOT_GRPC_CLIENT } from './ingest.tokens';
import { SnapshotGrpcClient } from './snapshot.client';

/** A Nest gRPC client built from the module's options, closed on application shutdown (as ClientsModule does). */
function grpcClient(token: symbol, options: (ingest: IngestOptions) => GrpcOptions['options']): Provider {
  return {
    provide: token,
    inject: [INGEST_OPTIONS],
    useFactory: (ingest: IngestOptions) => {
      const client = ClientProxyFactory.create({ transport: Transport.GRPC, options: options(ingest) }) as ClientGrpcProxy & {
        onApplicationShutdown?: () => unknown;
      };
      client.onApplicationShutdown = () => client.close();
      return client;
    },
  };
}

/**
 * The clients of pg-change-stream (CHANGE_STREAM_SERVICE): the change stream with its readiness check
 * (grpc.health.v1), and the Snapshot service (full snapshot, resyncs, sequences) on its own channel.
 * `IngestModule.forRootAsync({ useFactory: (cfg) => ({ url, tls, token }) })`.
 */
@Module({
  imports: [TerminusModule],
  providers: [
    grpcClient(CHANGE_STREAM_GRPC_CLIENT, (ingest) => {
      const { credentials, interceptors } = changeStreamChannel(ingest);
      return {
        package: [KASHO_PROTO_PACKAGE, GRPC_HEALTH_PACKAGE],
        protoPath: [KASHO_PROTO_PATH, GRPC_HEALTH_PROTO_PATH],
        url: ingest.url,
        loader: KASHO_PROTO_LOADER_OPTIONS,
        credentials,
        channelOptions: { interceptors, 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000, ...GRPC_MESSAGE_LIMITS },
      };
    }),
    grpcClient(SNAPSHOT_GRPC_CLIENT, (ingest) => {
      const { credentials, interceptors } = changeStreamChannel(ingest);
      return {
        package: KASHO_PROTO_PACKAGE,
        protoPath: KASHO_PROTO_PATH,
        url: ingest.url,
        loader: KASHO_PROTO_LOADER_OPTIONS,
        credentials,
        // One row must fit in a message (GRPC_MAX_MESSAGE_BYTES of COPY text). A 4 MiB HTTP/2 window per
        // stream (instead of 64 KiB) keeps copies from stalling on window updates; still bounded.
        channelOptions: {
          interceptors,
          'grpc.keepalive_time_ms': 10_000,
          'grpc.keepalive_timeout_ms': 5_000,
          ...GRPC_MESSAGE_LIMITS,
          'grpc-node.flow_control_window': 4 * 1024 * 1024,
        },
      };
    }),
    ChangeStreamGrpcClient,
    ChangeStreamPeerHealthIndicator,
    SnapshotGrpcClient,
  ],
  exports: [ChangeStreamGrpcClient, ChangeStreamPeerHealthIndicator, SnapshotGrpcClient],
})
export class IngestModule extends ConfigurableIngestModule {}
