import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { BufferModule } from '@kasho/buffer';
import { kashoPinoParams } from '@kasho/logging';
import { MetricsModule } from '@kasho/metrics';
import { ReplicationModule } from '@kasho/replication';
import { EventLoopHealthIndicator } from '@kasho/runtime';
import { BufferBackpressure } from './capture/buffer-backpressure';
import { CaptureState } from './capture/capture-state';
import { EvictionPolicyCheck } from './capture/eviction-policy.check';
import { CaptureService } from './capture/capture.service';
import { SlotProgress } from './capture/slot-progress';
import { ChangeStreamConfigModule } from './config/change-stream-config.module';
import { ChangeStreamEnv } from './config/change-stream.env';
import { GrpcSecurityModule } from './grpc-security/grpc-security.module';
import { CaptureHealthIndicator } from './health/capture.health';
import { GrpcHealthController } from './health/grpc-health.grpc.controller';
import { HealthController } from './health/health.controller';
import { ChangeStreamReadiness } from './health/readiness.service';
import { CaptureMetrics } from './metrics/capture.metrics';
import { AckService } from './streaming/ack.service';
import { ChangeFeedService } from './streaming/change-feed.service';
import { ConsumerLease } from './streaming/consumer-lease';
import { ChangeStreamGrpcController } from './streaming/change-stream.grpc.controller';
import { SnapshotGrpcController } from './snapshot/snapshot.grpc.controller';
import { SnapshotService } from './snapshot/snapshot.service';

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
    ReplicationModule.forRootAsync({
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({
        connectionString: env.PRIMARY_DATABASE_URL,
        slotName: env.REPLICATION_SLOT,
        publicationName: env.PUBLICATION,
      }),
    }),
    BufferModule.forRootAsync({
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({ url: env.KV_URL, name: env.BUFFER_NAME }),
    }),
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    GrpcSecurityModule,
  ],
  controllers: [ChangeStreamGrpcController, HealthController, GrpcHealthController, SnapshotGrpcController],
  providers: [
    EvictionPolicyCheck,
    CaptureService,
    CaptureState,
    SlotProgress,
    BufferBackpressure,
    ChangeFeedService,
    ConsumerLease,
    AckService,
    CaptureHealthIndicator,
    ChangeStreamReadiness,
    EventLoopHealthIndicator,
    CaptureMetrics,
    SnapshotService,
  ],
})
export class ChangeStreamModule {}
