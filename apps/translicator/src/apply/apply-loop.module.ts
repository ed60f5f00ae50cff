import { Module, Provider } from '@nestjs/common';
import { ApplyMetrics } from '../metrics/apply.metrics';
import { ApplyProgress } from './apply-progress';
import { ApplySession } from './apply-session';
import { ApplyShutdown } from './apply-shutdown';
import { ConfigurableApplyLoopModule } from './apply-loop.module-definition';
import { ChangeDispatcher } from './change-dispatcher';
import { ChangeFeed } from './change-feed';
import { ReplicationLoopService } from './replication-loop.service';
import { StreamFollower } from './stream-follower';
import { TargetPartitionTrees } from './target-partition-trees';
import { TargetTransaction } from './target-transaction';
import { TargetUniqueIndexes } from './target-unique-indexes';
import { TransactionBatcher } from './transaction-batcher';
import { TransformsCoverageService } from './transforms-coverage.service';

/** The apply loop and its collaborators (also assembled by its unit spec, over fakes). */
export const APPLY_LOOP_PROVIDERS: Provider[] = [
  ReplicationLoopService,
  ApplySession,
  StreamFollower,
  TransactionBatcher,
  TargetTransaction,
  ChangeDispatcher,
  TargetUniqueIndexes,
  TargetPartitionTrees,
  ChangeFeed,
  ApplyProgress,
  ApplyShutdown,
  ApplyMetrics,
];

/**
 * Stream → transforms → target, exactly once, and the check of transforms.yml against the target at
 * start: `ApplyLoopModule.forRootAsync({ imports, inject, useFactory: (cfg) => ApplyLoopOptions })`.
 * `imports` must bring the change stream (ChangeStreamGrpcClient, IngestModule), the target
 * (TargetApplier, ApplyModule), the transforms (TransformEngine, TransformsModule), ApplyState and the snapshot
 * (SnapshotCoordinator), all registered once by the application.
 */
@Module({
  providers: [...APPLY_LOOP_PROVIDERS, TransformsCoverageService],
})
export class ApplyLoopModule extends ConfigurableApplyLoopModule {}
