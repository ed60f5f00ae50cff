import { Module } from '@nestjs/common';
import { CopyTransformers } from '../snapshot/copy-transformers';
import { ConfigurableRangeCopyModule } from './range-copy.module-definition';
import { RangeCopier } from './range-copier';
import { SnapshotMetrics } from './snapshot.metrics';
import { SnapshotProgress } from './snapshot-progress';

/**
 * Copying block ranges from pg-change-stream into the target (through the transformers), and the
 * progress of those copies with its gauges: shared by the full snapshot and table resyncs.
 * `RangeCopyModule.forRootAsync({ imports: [ingest], useFactory: (cfg) => ({ copyFormat }) })`: the
 * imports must provide SnapshotGrpcClient (IngestModule).
 */
@Module({
  providers: [RangeCopier, SnapshotProgress, SnapshotMetrics, CopyTransformers],
  exports: [RangeCopier, SnapshotProgress, CopyTransformers],
})
export class RangeCopyModule extends ConfigurableRangeCopyModule {}
