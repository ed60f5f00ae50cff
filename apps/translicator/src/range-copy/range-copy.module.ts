import { Module } from '@nestjs/common';
import { ConfigurableRangeCopyModule } from './range-copy.module-definition';
import { RangeCopier } from './range-copier';
import { SnapshotMetrics } from './snapshot.metrics';
import { SnapshotProgress } from './snapshot-progress';

/**
 * Copying block ranges from pg-change-stream into the target (through the transformers), and the
 * progress of those copies with its gauges: shared by the full snapshot and table resyncs.
 * `RangeCopyModule.forRootAsync({ imports: [ingest, copyTransform], useFactory: (cfg) => ({ copyFormat }) })`:
 * the imports must provide SnapshotGrpcClient (IngestModule) and CopyTransformers (CopyTransformModule).
 */
@Module({
  providers: [RangeCopier, SnapshotProgress, SnapshotMetrics],
  exports: [RangeCopier, SnapshotProgress],
})
export class RangeCopyModule extends ConfigurableRangeCopyModule {}
