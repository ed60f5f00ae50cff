import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ApplyModule } from '@kasho/apply';
import { kashoPinoParams } from '@kasho/logging';
import { MetricsModule } from '@kasho/metrics';
import { EventLoopHealthIndicator } from '@kasho/runtime';
import { TransformsModule } from '@kasho/transforms';
import { ApplyLoopModule } from './apply/apply-loop.module';
import { ApplyState } from './apply/apply-state';
import { TranslicatorConfigModule } from './config/translicator-config.module';
import { TranslicatorEnv } from './config/translicator.env';
import { ApplyHealthIndicator } from './health/apply.health';
import { HealthController } from './health/health.controller';
import { IngestModule } from './ingest/ingest.module';
import { APPLY_ERROR_KINDS } from './metrics/apply.metrics';
import { TransformMetrics } from './metrics/transform.metrics';
import { SnapshotClientModule } from './snapshot/snapshot-client.module';
import { SnapshotCoordinator } from './snapshot/snapshot-coordinator.service';
import { SNAPSHOT_CONTROLLERS, SNAPSHOT_PROVIDERS } from './snapshot/snapshot.providers';

const transforms = TransformsModule.forRootAsync({
  imports: [TranslicatorConfigModule],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ file: env.TRANSFORMS_FILE, secret: env.TRANSFORMS_SECRET }),
});
const target = ApplyModule.forRootAsync({
  imports: [TranslicatorConfigModule],
  inject: [TranslicatorEnv],
  useFactory: (env: TranslicatorEnv) => ({ connectionString: env.REPLICA_DATABASE_URL }),
});

/**
 * Interim (issue 15): ApplyState and the snapshot providers in a module of their own, so that
 * ApplyLoopModule can import SnapshotCoordinator; replaced by the state and snapshot modules.
 */
@Module({
  imports: [SnapshotClientModule, transforms],
  controllers: SNAPSHOT_CONTROLLERS,
  providers: [ApplyState, ...SNAPSHOT_PROVIDERS],
  exports: [ApplyState, SnapshotCoordinator],
})
class SnapshotHostModule {}

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
    SnapshotHostModule,
    transforms,
    target,
    ApplyLoopModule.forRootAsync({
      imports: [SnapshotHostModule, transforms, target],
      inject: [TranslicatorEnv],
      useFactory: (env: TranslicatorEnv) => ({
        targetUrl: env.REPLICA_DATABASE_URL,
        streamWindow: env.STREAM_WINDOW,
        maxTransactions: env.APPLY_MAX_TRANSACTIONS,
        maxChanges: env.APPLY_MAX_CHANGES,
        shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      }),
    }),
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
  ],
  controllers: [HealthController],
  providers: [ApplyHealthIndicator, EventLoopHealthIndicator, TransformMetrics],
})
export class TranslicatorModule {}
