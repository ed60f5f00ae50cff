import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ApplyModule } from '@kasho/apply';
import { kashoPinoParams } from '@kasho/logging';
import { MetricsModule } from '@kasho/metrics';
import { EventLoopHealthIndicator } from '@kasho/runtime';
import { TransformsModule } from '@kasho/transforms';
import { ApplyState } from './apply/apply-state';
import { ReplicationLoopService } from './apply/replication-loop.service';
import { TransformsCoverageService } from './apply/transforms-coverage.service';
import { TranslicatorConfigModule } from './config/translicator-config.module';
import { TranslicatorEnv } from './config/translicator.env';
import { CopyTransformModule } from './copy-transform/copy-transform.module';
import { ApplyHealthIndicator } from './health/apply.health';
import { HealthController } from './health/health.controller';
import { IngestModule } from './ingest/ingest.module';
import { APPLY_ERROR_KINDS, ApplyMetrics } from './metrics/apply.metrics';
import { TransformMetrics } from './metrics/transform.metrics';
import { SnapshotClientModule } from './snapshot/snapshot-client.module';
import { SNAPSHOT_CONTROLLERS, SNAPSHOT_PROVIDERS } from './snapshot/snapshot.providers';

/** One TransformEngine for the app: imported here and handed to the modules that transform rows. */
const transforms = TransformsModule.forRootAsync({
  imports: [TranslicatorConfigModule],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ file: env.TRANSFORMS_FILE, secret: env.TRANSFORMS_SECRET }),
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
    IngestModule,
    SnapshotClientModule,
    transforms,
    CopyTransformModule.forRootAsync({
      imports: [TranslicatorConfigModule, transforms],
      inject: [TranslicatorEnv],
      useFactory: (env: TranslicatorEnv) => ({
        transformsFile: env.TRANSFORMS_FILE,
        transformsSecret: env.TRANSFORMS_SECRET,
        threads: env.SNAPSHOT_TRANSFORM_THREADS,
        startOnInit: env.SNAPSHOT_MODE !== 'never',
      }),
    }),
    ApplyModule.forRootAsync({
      imports: [TranslicatorConfigModule],
      inject: [TranslicatorEnv],
      useFactory: (env: TranslicatorEnv) => ({ connectionString: env.REPLICA_DATABASE_URL }),
    }),
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
  ],
  controllers: [HealthController, ...SNAPSHOT_CONTROLLERS],
  providers: [ReplicationLoopService, TransformsCoverageService, ApplyState, ApplyHealthIndicator, EventLoopHealthIndicator, ApplyMetrics, TransformMetrics, ...SNAPSHOT_PROVIDERS],
})
export class TranslicatorModule {}
