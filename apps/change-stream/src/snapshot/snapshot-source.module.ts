import { Module } from '@nestjs/common';
import { StreamingModule } from '../streaming/streaming.module';
import { SnapshotGrpcController } from './snapshot.grpc.controller';
import { SnapshotService } from './snapshot.service';
import { ConfigurableSnapshotSourceModule } from './snapshot-source.module-definition';

/**
 * The source side of the initial snapshot and of one-table resyncs (kasho.v1.Snapshot):
 * `SnapshotSourceModule.forRootAsync({ …, useFactory: () => ({ connectionString, slotName, publicationName }) })`.
 * Uses capture (suspended while the slot is re-created), the buffer, the source setup, and the
 * consumer lease of StreamingModule (a full snapshot takes it).
 */
@Module({
  imports: [StreamingModule],
  controllers: [SnapshotGrpcController],
  providers: [SnapshotService],
})
export class SnapshotSourceModule extends ConfigurableSnapshotSourceModule {}
