import { Module } from '@nestjs/common';
import { ClientsModule, Transport } from '@nestjs/microservices';
import { KASHO_PROTO_LOADER_OPTIONS, KASHO_PROTO_PACKAGE, KASHO_PROTO_PATH } from '@kasho/contracts';
import { TranslicatorEnv } from '../config/translicator.env';
import { ChangeStreamGrpcClient } from './change-stream.client';
import { CHANGE_STREAM_GRPC_CLIENT } from './ingest.tokens';

/** The gRPC client of pg-change-stream (CHANGE_STREAM_SERVICE). */
@Module({
  imports: [
    ClientsModule.registerAsync([
      {
        name: CHANGE_STREAM_GRPC_CLIENT,
        inject: [TranslicatorEnv],
        useFactory: (env: TranslicatorEnv) => ({
          transport: Transport.GRPC,
          options: {
            package: KASHO_PROTO_PACKAGE,
            protoPath: KASHO_PROTO_PATH,
            url: env.CHANGE_STREAM_SERVICE,
            loader: KASHO_PROTO_LOADER_OPTIONS,
            channelOptions: { 'grpc.keepalive_time_ms': 10_000, 'grpc.keepalive_timeout_ms': 5_000, 'grpc.max_receive_message_length': 64 * 1024 * 1024 },
          },
        }),
      },
    ]),
  ],
  providers: [ChangeStreamGrpcClient],
  exports: [ChangeStreamGrpcClient],
})
export class IngestModule {}
