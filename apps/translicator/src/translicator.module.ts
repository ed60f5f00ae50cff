import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ApplyModule } from '@kasho/apply';
import { TransformsModule } from '@kasho/transforms';
import { ApplyState } from './apply/apply-state';
import { ReplicationLoopService } from './apply/replication-loop.service';
import { TranslicatorConfigModule } from './config/translicator-config.module';
import { TranslicatorEnv } from './config/translicator.env';
import { ApplyHealthIndicator } from './health/apply.health';
import { HealthController } from './health/health.controller';
import { IngestModule } from './ingest/ingest.module';
import { SnapshotClientModule } from './snapshot/snapshot-client.module';
import { SNAPSHOT_CONTROLLERS, SNAPSHOT_PROVIDERS } from './snapshot/snapshot.providers';

/** Composition only: change stream → transforms → target, plus health. */
@Module({
  imports: [
    TranslicatorConfigModule,
    IngestModule,
    SnapshotClientModule,
    TransformsModule.forRootAsync({
      imports: [TranslicatorConfigModule],
      inject: [TranslicatorEnv],
      useFactory: (env: TranslicatorEnv) => ({ file: env.TRANSFORMS_FILE, secret: env.TRANSFORMS_SECRET }),
    }),
    ApplyModule.forRootAsync({
      imports: [TranslicatorConfigModule],
      inject: [TranslicatorEnv],
      useFactory: (env: TranslicatorEnv) => ({ connectionString: env.REPLICA_DATABASE_URL }),
    }),
    TerminusModule,
  ],
  controllers: [HealthController, ...SNAPSHOT_CONTROLLERS],
  providers: [ReplicationLoopService, ApplyState, ApplyHealthIndicator, ...SNAPSHOT_PROVIDERS],
})
export class TranslicatorModule {}
