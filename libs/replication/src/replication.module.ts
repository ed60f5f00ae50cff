import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigurableReplicationModule } from './replication.module-definition';
import { SourceHealthIndicator } from './source.health';
import { SourceSetupService } from './source-setup.service';
import { WalReader } from './wal-reader.service';

/**
 * Capture from the source: `ReplicationModule.forRootAsync({ imports, inject, useFactory })` with
 * `ReplicationOptions`. Provides the idempotent source setup, the WAL reader and the source health check.
 */
@Module({
  imports: [TerminusModule],
  providers: [SourceSetupService, WalReader, SourceHealthIndicator],
  exports: [SourceSetupService, WalReader, SourceHealthIndicator],
})
export class ReplicationModule extends ConfigurableReplicationModule {}
