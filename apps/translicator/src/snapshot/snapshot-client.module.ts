import { Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { GRPC_MESSAGE_LIMITS, KASHO_PROTO_LOADER_OPTIONS, KASHO_PROTO_PACKAGE, KASHO_PROTO_PATH } from '@kasho/contracts';
import { TranslicatorEnv } from '../config/translicator.env';
import { changeStreamChannel } from '../ingest/change-stream-channel';
import { SnapshotGrpcClient } from './snapshot.client';
import { SNAPSHOT_GRPC_CLIENT } from './snapshot.tokens';

/** The gRPC client of pg-change-stream's Snapshot service (CHANGE_STREAM_SERVICE). */
@Module({
  imports: [
    ClientsModule.registerAsync([
      {
        name: SNAPSHOT_GRPC_CLIENT,
        inject: [TranslicatorEnv],
        useFactory: (env: TranslicatorEnv) => {
          const { credentials, interceptors } = changeStreamChannel(env);
          return {
            transport: Transport.GRPC,
            options: {
              package: KASHO_PROTO_PACKAGE,
              protoPath: KASHO_PROTO_PATH,
              url: env.CHANGE_STREAM_SERVICE,
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
            },
          };
        },
      },
    ]),
  ],
  providers: [SnapshotGrpcClient],
  exports: [SnapshotGrpcClient],
})
export class SnapshotClientModule {}
