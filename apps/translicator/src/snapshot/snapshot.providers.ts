import { Provider, Type } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard';
import { RangeCopier } from './range-copier';
import { ResyncController } from './resync.controller';
import { ResyncFilter } from './resync-filter';
import { SequenceSyncService } from './sequence-sync.service';
import { SnapshotCoordinator } from './snapshot-coordinator.service';
import { SnapshotMetrics } from './snapshot.metrics';
import { SnapshotProgress } from './snapshot-progress';
import { SnapshotRunner } from './snapshot-runner.service';
import { TableResyncService } from './table-resync.service';

/**
 * The snapshot capability's providers, for the root module (they need its TransformEngine and
 * ApplyState). Import SnapshotClientModule alongside for the gRPC client, CopyTransformModule for
 * the COPY row transformers.
 */
export const SNAPSHOT_PROVIDERS: Provider[] = [
  SnapshotCoordinator,
  SnapshotRunner,
  SnapshotProgress,
  SnapshotMetrics,
  SequenceSyncService,
  TableResyncService,
  ResyncFilter,
  RangeCopier,
  AdminTokenGuard,
];

export const SNAPSHOT_CONTROLLERS: Type[] = [ResyncController];
