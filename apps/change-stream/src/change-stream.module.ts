import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { BufferModule } from '@kasho/buffer';
import { kashoPinoParams } from '@kasho/logging';
import { MetricsModule } from '@kasho/metrics';
import { ReplicationModule } from '@kasho/replication';
import { EventLoopHealthIndicator } from '@kasho/runtime';
import { CaptureModule } from './capture/capture.module';
import { ChangeStreamConfigModule } from './config/change-stream-config.module';
import { ChangeStreamEnv } from './config/change-stream.env';
import { GrpcSecurityModule } from './grpc-security/grpc-security.module';
import { CaptureHealthIndicator } from './health/capture.health';
import { GrpcHealthController } from './health/grpc-health.grpc.controller';
import { HealthController } from './health/health.controller';
import { ChangeStreamReadiness } from './health/readiness.service';
import { AckService } from './streaming/ack.service';
import { ChangeFeedService } from './streaming/change-feed.service';
import { ConsumerLease } from './streaming/consumer-lease';
import { ChangeStreamGrpcController } from './streaming/change-stream.grpc.controller';
import { SnapshotGrpcController } from './snapshot/snapshot.grpc.controller';
import { SnapshotService } from './snapshot/snapshot.service';

/** One instance each, imported here and by the capability modules that use them. */
const replication = ReplicationModule.forRootAsync({
  imports: [ChangeStreamConfigModule],
  inject: [ChangeStreamEnv],
  useFactory: (env: ChangeStreamEnv) => ({
    connectionString: env.PRIMARY_DATABASE_URL,
    slotName: env.REPLICATION_SLOT,
    publicationName: env.PUBLICATION,
  }),
});
const buffer = BufferModule.forRootAsync({
  imports: [ChangeStreamConfigModule],
  inject: [ChangeStreamEnv],
  useFactory: (env: ChangeStreamEnv) => ({ url: env.KV_URL, name: env.BUFFER_NAME }),
});

/** Composition only: source capture → Redis buffer → gRPC feed, plus health, metrics and logs. */
@Module({
  imports: [
    ChangeStreamConfigModule,
    LoggerModule.forRootAsync({
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => kashoPinoParams({ service: 'pg-change-stream', level: env.LOG_LEVEL }),
    }),
    MetricsModule.forRoot({ service: 'pg-change-stream', errorKinds: ['capture', 'ack', 'stream', 'buffer_gap'] }),
    replication,
    buffer,
    CaptureModule.forRootAsync({
      imports: [ChangeStreamConfigModule, replication, buffer],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({
        maxBufferedChanges: env.MAX_BUFFERED_CHANGES,
        maxBufferedBytes: env.MAX_BUFFERED_BYTES,
        bufferUrl: env.KV_URL,
      }),
    }),
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    GrpcSecurityModule,
  ],
  controllers: [ChangeStreamGrpcController, HealthController, GrpcHealthController, SnapshotGrpcController],
  providers: [
    ChangeFeedService,
    ConsumerLease,
    AckService,
    CaptureHealthIndicator,
    ChangeStreamReadiness,
    EventLoopHealthIndicator,
    SnapshotService,
  ],
})
export class ChangeStreamModule {}
