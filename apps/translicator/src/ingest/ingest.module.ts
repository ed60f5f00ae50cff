import { Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { TerminusModule } from '@nestjs/terminus';
import { GRPC_HEALTH_PACKAGE, GRPC_HEALTH_PROTO_PATH, GRPC_MESSAGE_LIMITS, KASHO_PROTO_LOADER_OPTIONS, KASHO_PROTO_PACKAGE, KASHO_PROTO_PATH } from '@kasho/contracts';
import { TranslicatorEnv } from '../config/translicator.env';
import { changeStreamChannel } from './change-stream-channel';
import { ChangeStreamGrpcClient } from './change-stream.client';
import { ChangeStreamPeerHealthIndicator } from './change-stream.health';
import { CHANGE_STREAM_GRPC_CLIENT } from './ingest.tokens';

/** The gRPC client of pg-change-stream (CHANGE_STREAM_SERVICE) and its readiness check (grpc.health.v1). */
@Module({
  imports: [
    TerminusModule,
    ClientsModule.registerAsync([
      {
        name: CHANGE_STREAM_GRPC_CLIENT,
        inject: [TranslicatorEnv],
        useFactory: (env: TranslicatorEnv) => {
          const { credentials, interceptors } = changeStreamChannel(env);
          return {
            transport: Transport.GRPC,
            options: {
              package: [KASHO_PROTO_PACKAGE, GRPC_HEALTH_PACKAGE],
              protoPath: [KASHO_PROTO_PATH, GRPC_HEALTH_PROTO_PATH],
              url: env.CHANGE_STREAM_SERVICE,
              loader: KASHO_PROTO_LOADER_OPTIONS,
              credentials,
              channelOptions: { interceptors, 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000, ...GRPC_MESSAGE_LIMITS },
            },
          };
        },
      },
    ]),
  ],
  providers: [ChangeStreamGrpcClient, ChangeStreamPeerHealthIndicator],
  exports: [ChangeStreamGrpcClient, ChangeStreamPeerHealthIndicator],
})
export class IngestModule {}
