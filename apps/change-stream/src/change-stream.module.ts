import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { BufferModule } from '@kasho/buffer';
import { ReplicationModule } from '@kasho/replication';
import { BufferBackpressure } from './capture/buffer-backpressure';
import { CaptureState } from './capture/capture-state';
import { CaptureService } from './capture/capture.service';
import { SlotProgress } from './capture/slot-progress';
import { ChangeStreamConfigModule } from './config/change-stream-config.module';
import { ChangeStreamEnv } from './config/change-stream.env';
import { CaptureHealthIndicator } from './health/capture.health';
import { HealthController } from './health/health.controller';
import { ChangeFeedService } from './streaming/change-feed.service';
import { ChangeStreamGrpcController } from './streaming/change-stream.grpc.controller';
import { SnapshotGrpcController } from './snapshot/snapshot.grpc.controller';
import { SnapshotService } from './snapshot/snapshot.service';

/** Composition only: source capture → Redis buffer → gRPC feed, plus health. */
@Module({
  imports: [
    ChangeStreamConfigModule,
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
    TerminusModule,
  ],
  controllers: [ChangeStreamGrpcController, HealthController, SnapshotGrpcController],
  providers: [CaptureService, CaptureState, SlotProgress, BufferBackpressure, ChangeFeedService, CaptureHealthIndicator, SnapshotService],
})
export class ChangeStreamModule {}
