import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { BufferModule } from '@kasho/buffer';
import { kashoPinoParams } from '@kasho/logging';
import { MetricsModule } from '@kasho/metrics';
import { ReplicationModule } from '@kasho/replication';
import { BufferBackpressure } from './capture/buffer-backpressure';
import { CaptureState } from './capture/capture-state';
import { EvictionPolicyCheck } from './capture/eviction-policy.check';
import { CaptureService } from './capture/capture.service';
import { SlotProgress } from './capture/slot-progress';
import { ChangeStreamConfigModule } from './config/change-stream-config.module';
import { ChangeStreamEnv } from './config/change-stream.env';
import { GrpcSecurityModule } from './grpc-security/grpc-security.module';
import { HealthModule } from './health/health.module';
import { CaptureMetrics } from './metrics/capture.metrics';
import { SnapshotSourceModule } from './snapshot/snapshot-source.module';
import { StreamingModule } from './streaming/streaming.module';

/**
 * Capture's providers, reached by streaming, the snapshot source and health (global: the one
 * capture of this process). Until capture/ has its own module (issue 15), which replaces this.
 */
@Global()
@Module({
  providers: [EvictionPolicyCheck, CaptureService, CaptureState, SlotProgress, BufferBackpressure, CaptureMetrics],
  exports: [CaptureService, CaptureState, SlotProgress],
})
class CaptureProvidersModule {}

/**
 * Composition only: source capture → Redis buffer → gRPC feed, plus health, metrics and logs.
 * On shutdown Nest ends the feature modules first, then the global ones in reverse import order:
 * the gRPC streams, the snapshot source, capture, and only then Redis and the source connections.
 */
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
      isGlobal: true,
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({
        connectionString: env.PRIMARY_DATABASE_URL,
        slotName: env.REPLICATION_SLOT,
        publicationName: env.PUBLICATION,
      }),
    }),
    BufferModule.forRootAsync({
      isGlobal: true,
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({ url: env.KV_URL, name: env.BUFFER_NAME }),
    }),
    CaptureProvidersModule,
    StreamingModule,
    SnapshotSourceModule.forRootAsync({
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({
        connectionString: env.PRIMARY_DATABASE_URL,
        slotName: env.REPLICATION_SLOT,
        publicationName: env.PUBLICATION,
      }),
    }),
    HealthModule,
    GrpcSecurityModule.forRootAsync({
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({ token: env.CHANGE_STREAM_TOKEN, maxCopyRanges: env.GRPC_MAX_COPY_RANGES }),
    }),
  ],
})
export class ChangeStreamModule {}
