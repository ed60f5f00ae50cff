import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ApplyModule } from '@kasho/apply';
import { kashoPinoParams } from '@kasho/logging';
import { MetricsModule } from '@kasho/metrics';
import { EventLoopHealthIndicator } from '@kasho/runtime';
import { TransformsModule } from '@kasho/transforms';
import { ApplyLoopModule } from './apply/apply-loop.module';
import { TranslicatorConfigModule } from './config/translicator-config.module';
import { TranslicatorEnv, grpcTlsFiles } from './config/translicator.env';
import { CopyTransformModule } from './copy-transform/copy-transform.module';
import { ApplyHealthIndicator } from './health/apply.health';
import { HealthController } from './health/health.controller';
import { IngestModule } from './ingest/ingest.module';
import { APPLY_ERROR_KINDS } from './metrics/apply.metrics';
import { TransformMetrics } from './metrics/transform.metrics';
import { RangeCopyModule } from './range-copy/range-copy.module';
import { ResyncModule } from './resync/resync.module';
import { SequenceSyncModule } from './sequence-sync/sequence-sync.module';
import { SnapshotModule } from './snapshot/snapshot.module';
import { StateModule } from './state/state.module';

// Each capability's options, built from the validated environment; a module imported by several
// others is one instance (the same object).
const transforms = TransformsModule.forRootAsync({
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ file: env.TRANSFORMS_FILE, secret: env.TRANSFORMS_SECRET }),
});
const target = ApplyModule.forRootAsync({
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ connectionString: env.REPLICA_DATABASE_URL, connectionName: 'REPLICA_DATABASE_URL (the target)' }),
});
const ingest = IngestModule.forRootAsync({
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ url: env.CHANGE_STREAM_SERVICE, tls: grpcTlsFiles(env), token: env.CHANGE_STREAM_TOKEN }),
});
const copyTransform = CopyTransformModule.forRootAsync({
  imports: [transforms],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({
    transformsFile: env.TRANSFORMS_FILE,
    transformsSecret: env.TRANSFORMS_SECRET,
    threads: env.SNAPSHOT_TRANSFORM_THREADS,
    startOnInit: env.SNAPSHOT_MODE !== 'never',
  }),
});
const rangeCopy = RangeCopyModule.forRootAsync({
  imports: [ingest, copyTransform],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ copyFormat: env.SNAPSHOT_COPY_FORMAT }),
});
const resync = ResyncModule.forRootAsync({
  imports: [ingest, rangeCopy],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ targetUrl: env.REPLICA_DATABASE_URL, adminToken: env.ADMIN_TOKEN }),
});
const snapshot = SnapshotModule.forRootAsync({
  imports: [ingest, rangeCopy, copyTransform, resync],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ mode: env.SNAPSHOT_MODE, workers: env.SNAPSHOT_WORKERS, targetUrl: env.REPLICA_DATABASE_URL }),
});
const sequenceSync = SequenceSyncModule.forRootAsync({
  imports: [ingest],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ intervalSeconds: env.SEQUENCE_SYNC_SECONDS, targetUrl: env.REPLICA_DATABASE_URL }),
});
const applyLoop = ApplyLoopModule.forRootAsync({
  imports: [StateModule, ingest, transforms, target, snapshot],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({
    targetUrl: env.REPLICA_DATABASE_URL,
    streamWindow: env.STREAM_WINDOW,
    maxTransactions: env.APPLY_MAX_TRANSACTIONS,
    maxChanges: env.APPLY_MAX_CHANGES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  }),
});

/** Composition only: change stream → transforms → target, plus health, metrics and logs. */
@Module({
  imports: [
    TranslicatorConfigModule,
    LoggerModule.forRootAsync({
      imports: [TranslicatorConfigModule],
      inject: [TranslicatorEnv],
      useFactory: (env: TranslicatorEnv) => kashoPinoParams({ service: 'pg-translicator', level: env.LOG_LEVEL }),
    }),
    MetricsModule.forRoot({ service: 'pg-translicator', errorKinds: APPLY_ERROR_KINDS }),
    StateModule,
    ingest,
    transforms,
    target,
    copyTransform,
    rangeCopy,
    resync,
    snapshot,
    sequenceSync,
    applyLoop,
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
  ],
  controllers: [HealthController],
  providers: [ApplyHealthIndicator, EventLoopHealthIndicator, TransformMetrics],
})
export class TranslicatorModule {}
