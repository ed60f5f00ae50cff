import { Module } from '@nestjs/common';
import { StateModule } from '../state/state.module';
import { ConfigurableSequenceSyncModule } from './sequence-sync.module-definition';
import { SequenceSyncService } from './sequence-sync.service';

/**
 * Periodic sequence sync: target sequences moved forward to the source's values while streaming.
 * `SequenceSyncModule.forRootAsync({ imports: [ingest], useFactory: (cfg) => ({ intervalSeconds, targetUrl }) })`:
 * the imports must provide SnapshotGrpcClient (IngestModule).
 */
@Module({
  imports: [StateModule],
  providers: [SequenceSyncService],
  exports: [SequenceSyncService],
})
export class SequenceSyncModule extends ConfigurableSequenceSyncModule {}
