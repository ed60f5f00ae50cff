import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { BufferModule } from '@kasho/buffer';
import { kashoPinoParams } from '@kasho/logging';
import { MetricsModule } from '@kasho/metrics';
import { ReplicationModule, excludeTableGlobs } from '@kasho/replication';
import { CaptureModule } from './capture/capture.module';
import { ChangeStreamConfigModule } from './config/change-stream-config.module';
import { ChangeStreamEnv } from './config/change-stream.env';
import { GrpcSecurityModule } from './grpc-security/grpc-security.module';
import { HealthModule } from './health/health.module';
import { SnapshotSourceModule } from './snapshot/snapshot-source.module';
import { StreamingModule } from './streaming/streaming.module';

/** The source database, its slot and publication: capture's and the snapshot source's. */
const sourceOptions = (env: ChangeStreamEnv) => ({
  connectionString: env.PRIMARY_DATABASE_URL,
  slotName: env.REPLICATION_SLOT,
  publicationName: env.PUBLICATION,
  noKeyTables: env.NO_KEY_TABLES,
  excludeTables: excludeTableGlobs(env.EXCLUDE_TABLES),
  publishViaPartitionRoot: env.PUBLISH_VIA_PARTITION_ROOT,
});

/**
 * Composition only: source capture → Redis buffer → gRPC feed, plus health, metrics and logs.
 * The source, the buffer and capture are global: the one of each in this process, reached by
 * streaming, the snapshot source and health. On shutdown Nest ends the feature modules first, then
 * the global ones in reverse import order: the gRPC streams, the snapshot source, capture, and only
 * then Redis and the source connections (so capture is imported after the buffer and the source).
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
      useFactory: (env: ChangeStreamEnv) => ({ ...sourceOptions(env), connectionName: 'PRIMARY_DATABASE_URL (the source)' }),
    }),
    BufferModule.forRootAsync({
      isGlobal: true,
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({ url: env.KV_URL, name: env.BUFFER_NAME }),
    }),
    CaptureModule.forRootAsync({
      isGlobal: true,
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({
        maxBufferedChanges: env.MAX_BUFFERED_CHANGES,
        maxBufferedBytes: env.MAX_BUFFERED_BYTES,
        bufferUrl: env.KV_URL,
      }),
    }),
    StreamingModule,
    SnapshotSourceModule.forRootAsync({
      imports: [ChangeStreamConfigModule],
      inject: [ChangeStreamEnv],
      useFactory: (env: ChangeStreamEnv) => ({ ...sourceOptions(env), pgDump: env.PG_DUMP }),
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
