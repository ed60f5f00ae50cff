import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { SnapshotCoordinator } from './snapshot-coordinator.service';
import { ConfigurableSnapshotModule } from './snapshot.module-definition';
import { SnapshotRunner } from './snapshot-runner.service';

/**
 * The full initial snapshot (docs/snapshot.md) and the apply loop's one door to it and to table
 * resyncs: {@link SnapshotCoordinator}. `SnapshotModule.forRootAsync({ imports: [ingest, rangeCopy,
 * copyTransform, resync], useFactory: (cfg) => ({ mode, workers, targetUrl }) })`: the imports must provide
 * SnapshotGrpcClient (IngestModule), RangeCopier and SnapshotProgress (RangeCopyModule),
 * CopyTransformers (CopyTransformModule), TableResyncService and ResyncFilter (ResyncModule).
 */
@Module({
  imports: [StateModule],
  providers: [SnapshotCoordinator, SnapshotRunner],
  exports: [SnapshotCoordinator],
})
export class SnapshotModule extends ConfigurableSnapshotModule {}
